import type { Types } from "mongoose";
import { Report } from "./report.ts";
import type { ChatRef } from "../geography/routing.ts";

/** Remembers where a case's card is; the card it replaces (if any) is kept as superseded. */
export async function recordCard(reportId: Types.ObjectId, card: ChatRef & { messageId: number }): Promise<void> {
  const report = await Report.findById(reportId, { card: 1 }).lean();
  const old = report?.card?.messageId && report.card.chatId === card.chatId ? [report.card.messageId] : [];
  await Report.updateOne(
    { _id: reportId },
    {
      $set: { "card.platform": card.platform, "card.chatId": card.chatId, "card.messageId": card.messageId },
      ...(old.length ? { $addToSet: { "card.superseded": { $each: old } } } : {}),
    },
    { timestamps: false },
  );
}

/**
 * Claims the right to post one notice under a case's card for one state of the case (`key`, e.g.
 * "visit-required:assigned:0"): true the first time for that key, false on every later press, so
 * a refusal is posted in the staff chat once and further presses only get an alert. One
 * conditional update: two presses at once cannot both win. The key holds no personal data.
 */
export async function claimCardNotice(reportId: Types.ObjectId, key: string): Promise<boolean> {
  const res = await Report.updateOne(
    { _id: reportId, "card.noticePosted": { $ne: key } },
    { $set: { "card.noticePosted": key } },
    { timestamps: false },
  );
  return res.modifiedCount === 1;
}
