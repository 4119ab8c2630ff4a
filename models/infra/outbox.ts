import mongoose, { Schema, type InferSchemaType } from "mongoose";
import type { Locale, Platform } from "../common/platform.ts";
import { outboxMessageFields } from "./outbox-message.ts";
import { GROUP_DIGEST_KIND } from "./outbox-kinds.ts";

/**
 * `failed`: nothing was sent and nothing was refused (the subject is gone, no bot for the platform).
 * `unreachable`: the chat blocked or removed the bot (403). `dead`: the Bot API refused the message,
 * also as plain text, or a transient failure outlasted every attempt; a dead row raises an alert.
 * `deferred`: a new case's rows held back while its staff group is behind (models/infra/group-backlog.ts);
 * not claimed, still to send: they go back to `pending` as the group's budget allows.
 */
export const OUTBOX_STATUSES = ["pending", "sending", "sent", "failed", "unreachable", "dead", "deferred"] as const;

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
    /** When the row was given up (status dead), on the dispatcher's clock. */
    deadAt: { type: Date, default: null },
    /** When the alerts about this dead row were queued; null = still to do (a sweep catches crashes in between). */
    alertedAt: { type: Date, default: null },
    /**
     * Set on a row that absorbs later copies of itself while it waits (a card redraw: one edit draws
     * every change made meanwhile). Unique among the rows that carry it, and removed when the row is
     * claimed: from then on the row may already have read the report, so a new change queues anew.
     */
    coalesceKey: { type: String },
    /** When the row was deferred (group-backlog.ts); kept once released, so the row is not deferred again. */
    deferredAt: { type: Date, default: null },
    /** On a deferred card row: when a "📥 new cases" digest listing it was queued. */
    digestedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
// The claim's sort keys after the status equality: each $or branch of claimNextRow can then read
// rows in order from the index (a merge sort) instead of sorting every due row on each claim.
outboxSchema.index({ status: 1, nextAttemptAt: 1, createdAt: 1, _id: 1 });
outboxSchema.index({ platform: 1, chatId: 1, status: 1 });
outboxSchema.index({ coalesceKey: 1 }, { unique: true, sparse: true });

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

/**
 * The messages of a row that sends several (the new-case alert: "photos", "card") already sent:
 * noted on the claimed row as they go, and saved with a retry or a hand-back, so the next attempt
 * goes on after them instead of posting them again.
 */
export function sentSteps(row: Pick<ClaimedRow, "payload">): string[] {
  const sent = row.payload.sent;
  return Array.isArray(sent) ? sent.filter((s): s is string => typeof s === "string") : [];
}

export function noteSentStep(row: Pick<ClaimedRow, "payload">, step: string): void {
  row.payload.sent = [...sentSteps(row), step];
}

/** The retry's write of what sentSteps holds; nothing when the row sends one message. */
function savedSteps(sent: readonly string[] | undefined): Record<string, string[]> {
  return sent && sent.length > 0 ? { "payload.sent": [...sent] } : {};
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
      {
        $set: { status: "sending", lockedBy: workerId, lockedUntil: new Date(now.getTime() + leaseMs) },
        $unset: { coalesceKey: 1 },
        $inc: { attempts: 1 },
      },
      // _id last: rows of one event share createdAt, and their ids carry the event's (increasing) id.
      { sort: { nextAttemptAt: 1, createdAt: 1, _id: 1 }, returnDocument: "after" },
    ).lean();
    if (!row) return null;
    const earlier = await Outbox.findOne({
      platform: row.platform,
      chatId: row.chatId,
      status: { $in: ["pending", "sending"] },
      // A "📥 new cases" digest is put first by its createdAt (models/infra/group-backlog.ts) but may be
      // due later than the rows behind it: it holds none of them back (else neither could be claimed).
      kind: { $ne: GROUP_DIGEST_KIND },
      $or: [{ createdAt: { $lt: row.createdAt } }, { createdAt: row.createdAt, _id: { $lt: row._id } }],
    })
      .select({ status: 1, nextAttemptAt: 1 })
      .lean();
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
    // Queued behind an earlier row that waits out a 429, a backoff or the group's budget: this one
    // waits as long, so it is not claimed (and put back) on every pass until then.
    const waitsUntil =
      earlier.status === "pending" && earlier.nextAttemptAt > row.nextAttemptAt
        ? earlier.nextAttemptAt
        : row.nextAttemptAt;
    await Outbox.updateOne(held(row._id, workerId), {
      $set: { status: "pending", lockedBy: "", lockedUntil: null, nextAttemptAt: waitsUntil },
      $inc: { attempts: -1 },
    });
    skipped.push({ platform: row.platform, chatId: row.chatId });
  }
  return null;
}

/** Only the lease holder may settle a row (a worker whose lease expired must not overwrite the new holder). */
function held(id: string, workerId: string) {
  return { _id: id, status: "sending" as const, lockedBy: workerId };
}

export async function markSent(id: string, workerId: string, now: Date): Promise<void> {
  await Outbox.updateOne(held(id, workerId), {
    $set: { status: "sent", sentAt: now, lockedUntil: null, lastError: "" },
  });
}

/**
 * Back to pending until `at`. `countAttempt: false` (a 429: the Bot API asked us to wait, nothing
 * failed) gives the claim's attempt back, so a rate-limit storm never exhausts a row's attempts.
 */
export async function markRetry(
  id: string,
  workerId: string,
  at: Date,
  error: string,
  opts: { countAttempt?: boolean; sent?: readonly string[] } = {},
): Promise<void> {
  const refund = opts.countAttempt === false ? { $inc: { attempts: -1 } } : {};
  await Outbox.updateOne(held(id, workerId), {
    $set: { status: "pending", nextAttemptAt: at, lockedUntil: null, lastError: error, ...savedSteps(opts.sent) },
    ...refund,
  });
}

export async function markFinal(
  id: string,
  workerId: string,
  status: "failed" | "unreachable",
  error: string,
): Promise<void> {
  await Outbox.updateOne(held(id, workerId), { $set: { status, lockedUntil: null, lastError: error } });
}

/** Gives the row up for good; false when this worker no longer held it (nothing changed, nothing to alert). */
export async function markDead(id: string, workerId: string, error: string, now: Date): Promise<boolean> {
  const res = await Outbox.updateOne(held(id, workerId), {
    $set: { status: "dead", lockedUntil: null, lastError: error, deadAt: now, alertedAt: null },
  });
  return res.modifiedCount === 1;
}

/**
 * Hands a row back untouched (the dispatcher is stopping mid-send): due as before, and the claim's
 * attempt refunded, since nothing failed. If this write does not happen, the lease runs out instead.
 */
export async function releaseRow(id: string, workerId: string, sent?: readonly string[]): Promise<void> {
  await Outbox.updateOne(held(id, workerId), {
    $set: { status: "pending", lockedBy: "", lockedUntil: null, ...savedSteps(sent) },
    $inc: { attempts: -1 },
  });
}

/**
 * Rows an earlier life of this instance was sending when it stopped or died: nobody is sending
 * them now, so they are queued again at once instead of waiting for their leases to run out.
 * Worker ids are `<instance>#<life>`. The interrupted attempt still counts.
 */
export async function releaseEarlierLives(instance: string, workerId: string): Promise<number> {
  const mine = new RegExp(`^${instance.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}#`);
  const res = await Outbox.updateMany(
    { status: "sending", lockedBy: { $regex: mine, $ne: workerId } },
    { $set: { status: "pending", lockedBy: "", lockedUntil: null } },
  );
  return res.modifiedCount;
}

/** Keeps a chat's messages in order: when one row must wait (429, 5xx), the chat's later rows wait too. */
export async function postponeChat(platform: Platform, chatId: number, until: Date): Promise<void> {
  await Outbox.updateMany(
    { platform, chatId, status: "pending", nextAttemptAt: { $lt: until } },
    { $set: { nextAttemptAt: until } },
  );
}

/** Stops every pending row for a chat that blocked the bot. */
export async function dropChatRows(platform: Platform, chatId: number, error: string): Promise<number> {
  const res = await Outbox.updateMany(
    { platform, chatId, status: { $in: ["pending", "deferred"] } },
    { $set: { status: "unreachable", lastError: error } },
  );
  return res.modifiedCount;
}

/**
 * Whether a coalescing row (one with a `coalesceKey`: a card redraw) would be absorbed: a row of the
 * same kind about the same report is still waiting in that chat. Waiting includes a row back from a
 * 429 or a failed attempt, whose claim removed its key: it reads the report when it is sent, after
 * this change. The unique key then settles two writers that both found none.
 */
export async function waitingLikeRow(row: {
  platform: Platform;
  chatId: number;
  kind: string;
  payload: { reportId?: unknown };
}): Promise<boolean> {
  const like = { platform: row.platform, chatId: row.chatId, kind: row.kind, "payload.reportId": row.payload.reportId };
  // A deferred one waits too (its group is behind): it is sent after its card, drawing the case as it is then.
  return (await Outbox.exists({ ...like, status: { $in: ["pending", "deferred"] } })) !== null;
}

export async function outboxBacklog(): Promise<{ pending: number; oldest: Date | null }> {
  const pending = await Outbox.countDocuments({ status: { $in: ["pending", "sending", "deferred"] } });
  const oldest = await Outbox.findOne({ status: { $in: ["pending", "sending", "deferred"] } })
    .sort({ createdAt: 1 })
    .lean();
  return { pending, oldest: oldest ? oldest.createdAt : null };
}
