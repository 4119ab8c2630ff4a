import type { Types } from "mongoose";
import { Report } from "./report.ts";
import type { ChatRef } from "./routing.ts";

/** Remembers where a case's card is; the card it replaces (if any) is kept as superseded. */
export async function recordCard(reportId: Types.ObjectId, card: ChatRef & { messageId: number }): Promise<void> {
  const report = await Report.findById(reportId, { card: 1 }).lean();
  const old = report?.card?.messageId && report.card.chatId === card.chatId ? [report.card.messageId] : [];
  await Report.updateOne(
    { _id: reportId },
    { $set: { "card.platform": card.platform, "card.chatId": card.chatId, "card.messageId": card.messageId }, ...(old.length ? { $addToSet: { "card.superseded": { $each: old } } } : {}) },
    { timestamps: false },
  );
}
