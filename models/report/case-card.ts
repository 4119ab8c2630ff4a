import type { Types } from "mongoose";
import { Report } from "./report.ts";
import type { ChatRef } from "../geography/routing.ts";

/**
 * Remembers where a case's card is; the card it replaces (if any) is kept as superseded. `report`
 * is the case as the caller read it to draw the card: its chat's rows go out one at a time, so no
 * other card of this chat was recorded since.
 */
export async function recordCard(
  report: { _id: Types.ObjectId; card?: { chatId?: number | null; messageId?: number | null } | null },
  card: ChatRef & { messageId: number },
  /** The outbox row that posted it (the new-case alert), taken off the report's pending rows in the same write. */
  postedBy?: string,
): Promise<void> {
  const old = report.card?.messageId && report.card.chatId === card.chatId ? [report.card.messageId] : [];
  await Report.updateOne(
    { _id: report._id },
    {
      $set: { "card.platform": card.platform, "card.chatId": card.chatId, "card.messageId": card.messageId },
      ...(old.length ? { $addToSet: { "card.superseded": { $each: old } } } : {}),
      ...(postedBy ? { $pull: { pendingOutbox: { _id: postedBy } } } : {}),
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
