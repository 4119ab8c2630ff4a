import mongoose, { Schema, type InferSchemaType } from "mongoose";
import type { Locale, Platform } from "./platform.ts";
import { outboxMessageFields } from "./outbox-message.ts";

export const OUTBOX_STATUSES = ["pending", "sending", "sent", "failed", "unreachable"] as const;

const outboxSchema = new Schema(
  {
    ...outboxMessageFields,
    status: { type: String, enum: OUTBOX_STATUSES, default: "pending" },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    lockedBy: { type: String, default: "" },
    lockedUntil: { type: Date, default: null },
    lastError: { type: String, default: "" },
    sentAt: { type: Date, default: null },
  },
  { timestamps: true },
);
// The claim's sort keys after the status equality: each $or branch of claimNextRow can then read
// rows in order from the index (a merge sort) instead of sorting every due row on each claim.
outboxSchema.index({ status: 1, nextAttemptAt: 1, createdAt: 1, _id: 1 });
outboxSchema.index({ platform: 1, chatId: 1, status: 1 });

export type OutboxRow = InferSchemaType<typeof outboxSchema> & { _id: string; createdAt: Date };
export const Outbox = mongoose.model("Outbox", outboxSchema);

export interface OutboxMessage {
  id: string;
  platform: Platform;
  chatId: number;
  kind: string;
  locale: Locale;
  payload: Record<string, unknown>;
}

export interface ClaimedRow extends OutboxMessage {
  attempts: number;
}

/** How many chats a claim may pass over (their earlier rows are in another worker's hands) before giving up this round. */
const MAX_SKIPPED_CHATS = 20;

/**
 * Leases a due row to one worker with a single findAndModify: two dispatchers never hold the same
 * row. A chat's rows go out in order even with several dispatchers: a row whose chat still has an
 * earlier unsent row (pending, or being sent by another worker) is put back, and that chat is
 * passed over until the earlier one is settled.
 */
export async function claimNextRow(workerId: string, now: Date, leaseMs = 60_000): Promise<ClaimedRow | null> {
  const skipped: { platform: string; chatId: number }[] = [];
  while (skipped.length <= MAX_SKIPPED_CHATS) {
    const due: Record<string, unknown> = {
      $or: [
        { status: "pending", nextAttemptAt: { $lte: now } },
        // A worker that died mid-send: its lease runs out and the row becomes claimable again.
        { status: "sending", lockedUntil: { $lte: now } },
      ],
      ...(skipped.length > 0 ? { $nor: skipped } : {}),
    };
    const row = await Outbox.findOneAndUpdate(
      due as { status: "pending" },
      { $set: { status: "sending", lockedBy: workerId, lockedUntil: new Date(now.getTime() + leaseMs) }, $inc: { attempts: 1 } },
      // _id last: rows of one event share createdAt, and their ids carry the event's (increasing) id.
      { sort: { nextAttemptAt: 1, createdAt: 1, _id: 1 }, returnDocument: "after" },
    ).lean();
    if (!row) return null;
    const earlier = await Outbox.exists({
      platform: row.platform,
      chatId: row.chatId,
      status: { $in: ["pending", "sending"] },
      $or: [{ createdAt: { $lt: row.createdAt } }, { createdAt: row.createdAt, _id: { $lt: row._id } }],
    });
    if (!earlier) {
      return {
        id: row._id,
        platform: row.platform as Platform,
        chatId: row.chatId,
        kind: row.kind,
        locale: (row.locale === "en" ? "en" : "fa") as Locale,
        payload: (row.payload ?? {}) as Record<string, unknown>,
        attempts: row.attempts,
      };
    }
    await Outbox.updateOne(held(row._id, workerId), { $set: { status: "pending", lockedBy: "", lockedUntil: null }, $inc: { attempts: -1 } });
    skipped.push({ platform: row.platform, chatId: row.chatId });
  }
  return null;
}

/** Only the lease holder may settle a row (a worker whose lease expired must not overwrite the new holder). */
function held(id: string, workerId: string) {
  return { _id: id, status: "sending" as const, lockedBy: workerId };
}

export async function markSent(id: string, workerId: string, now: Date): Promise<void> {
  await Outbox.updateOne(held(id, workerId), { $set: { status: "sent", sentAt: now, lockedUntil: null, lastError: "" } });
}

/**
 * Back to pending until `at`. `countAttempt: false` (a 429: the Bot API asked us to wait, nothing
 * failed) gives the claim's attempt back, so a rate-limit storm never exhausts a row's attempts.
 */
export async function markRetry(id: string, workerId: string, at: Date, error: string, opts: { countAttempt?: boolean } = {}): Promise<void> {
  const refund = opts.countAttempt === false ? { $inc: { attempts: -1 } } : {};
  await Outbox.updateOne(held(id, workerId), { $set: { status: "pending", nextAttemptAt: at, lockedUntil: null, lastError: error }, ...refund });
}

export async function markFinal(id: string, workerId: string, status: "failed" | "unreachable", error: string): Promise<void> {
  await Outbox.updateOne(held(id, workerId), { $set: { status, lockedUntil: null, lastError: error } });
}

/** Keeps a chat's messages in order: when one row must wait (429, 5xx), the chat's later rows wait too. */
export async function postponeChat(platform: Platform, chatId: number, until: Date): Promise<void> {
  await Outbox.updateMany({ platform, chatId, status: "pending", nextAttemptAt: { $lt: until } }, { $set: { nextAttemptAt: until } });
}

/** Stops every pending row for a chat that blocked the bot. */
export async function dropChatRows(platform: Platform, chatId: number, error: string): Promise<number> {
  const res = await Outbox.updateMany({ platform, chatId, status: "pending" }, { $set: { status: "unreachable", lastError: error } });
  return res.modifiedCount;
}

export async function outboxBacklog(): Promise<{ pending: number; oldest: Date | null }> {
  const pending = await Outbox.countDocuments({ status: { $in: ["pending", "sending"] } });
  const oldest = await Outbox.findOne({ status: { $in: ["pending", "sending"] } }).sort({ createdAt: 1 }).lean();
  return { pending, oldest: oldest ? oldest.createdAt : null };
}
