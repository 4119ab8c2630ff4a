import mongoose, { Schema, type mongo } from "mongoose";
import type { Platform } from "../common/platform.ts";
import { insertManyUnlessDuplicate } from "./insert-once.ts";

/**
 * The durable inbox: every update from the messenger (long polling or webhook) is inserted here
 * BEFORE it is acknowledged (the next getUpdates offset, the webhook's 200), and marked done only
 * after its handler and the conversation state it wrote have finished. A process killed at any
 * moment in between leaves its rows `working` under its lease; they are taken over (by the same
 * instance when it restarts, by anyone once the lease has run out) and handled again: at least
 * once, never lost. The unique `_id` (`platform:update_id`) also recognises a redelivered update.
 *
 * Rows carry the update (personal data) only while it is unfinished: done rows keep the id, for
 * recognising a redelivery, and expire after a day. Parked rows (failed too often) keep it until
 * an admin handles them or the citizen's data is erased.
 */
export const INBOX_STATUSES = ["working", "pending", "done", "parked"] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

/** Done rows are remembered this long: Telegram redelivers an unanswered webhook update for far less than a day. */
export const INBOX_DONE_TTL_S = 24 * 3_600;
/** Handled this often without success (crashes included: each take-over counts), a row is parked. */
export const INBOX_MAX_ATTEMPTS = 5;

const inboxSchema = new Schema(
  {
    _id: { type: String, required: true },
    platform: { type: String, required: true },
    updateId: { type: Number, required: true },
    /** One chat's updates are handled in order (the private chat, or the group plus the member). */
    chatKey: { type: String, default: null },
    /** The chat the update came from: erasure finds a forgotten citizen's unfinished rows by it. */
    chatId: { type: Number, default: null },
    /** The update as JSON text (its keys need not be valid MongoDB field names); unset once done. */
    update: { type: String, default: null },
    status: { type: String, enum: INBOX_STATUSES, required: true },
    attempts: { type: Number, default: 1 },
    /** The instance (stable across its restarts) and the life of it that holds the row. */
    instance: { type: String, default: "" },
    boot: { type: String, default: "" },
    /** Working: the lease runs out then. Pending (after a failure): not retried before then. */
    lockedUntil: { type: Date, default: null },
    lastError: { type: String, default: "" },
    receivedAt: { type: Date, required: true },
    doneAt: { type: Date, default: null },
  },
  { versionKey: false },
);
inboxSchema.index({ doneAt: 1 }, { expireAfterSeconds: INBOX_DONE_TTL_S });
// The take-over query: unfinished rows whose lease ran out, oldest first.
inboxSchema.index({ status: 1, lockedUntil: 1, receivedAt: 1 });
inboxSchema.index({ platform: 1, chatId: 1 });

export const Inbox = mongoose.model("Inbox", inboxSchema, "inbox");

/** Who holds rows: `instance` survives restarts (its rows left working are its own to resume), `boot` is this life. */
export interface InboxHolder {
  instance: string;
  boot: string;
}

export interface InboxUpdate {
  updateId: number;
  chatKey: string | null;
  chatId: number | null;
  /** The update itself. */
  update: unknown;
}

/** A row in this process's hands: handle it, then settle it. */
export interface InboxRow {
  id: string;
  platform: Platform;
  updateId: number;
  chatKey: string | null;
  attempts: number;
  update: unknown;
  receivedAt: Date;
}

export const inboxId = (platform: Platform, updateId: number) => `${platform}:${updateId}`;

/** The fields of a stored row the worker reads (lean documents). */
interface StoredRow {
  _id: string;
  platform: string;
  updateId: number;
  chatKey: string | null;
  attempts: number;
  update: string | null;
  receivedAt: Date;
}

function toRow(doc: StoredRow): InboxRow {
  return {
    id: doc._id,
    platform: doc.platform as Platform,
    updateId: doc.updateId,
    chatKey: doc.chatKey,
    attempts: doc.attempts,
    update: doc.update === null ? null : JSON.parse(doc.update),
    receivedAt: doc.receivedAt,
  };
}

/**
 * Records a batch in ONE write and returns what this call inserted, in order: those rows are now
 * leased to `holder`. A redelivered update (its id already in the inbox) is not returned: it was
 * handled, or is being handled, or will be taken over. Anything else failing throws, and the
 * caller must not acknowledge the batch (the messenger delivers it again; rows inserted this time
 * are then recognised and taken over by `claimAvailable`).
 */
export async function recordUpdates(
  platform: Platform,
  updates: InboxUpdate[],
  holder: InboxHolder,
  now: Date,
  leaseMs: number,
): Promise<InboxRow[]> {
  if (updates.length === 0) return [];
  const docs = updates.map((u) => ({
    _id: inboxId(platform, u.updateId),
    platform,
    updateId: u.updateId,
    chatKey: u.chatKey,
    chatId: u.chatId,
    update: JSON.stringify(u.update),
    status: "working" as const,
    attempts: 1,
    instance: holder.instance,
    boot: holder.boot,
    lockedUntil: new Date(now.getTime() + leaseMs),
    lastError: "",
    receivedAt: now,
    doneAt: null,
  }));
  // The driver's own insert: one command for the batch, and its per-document errors as they are.
  const duplicates = await insertManyUnlessDuplicate(() =>
    (Inbox.collection as unknown as mongo.Collection<(typeof docs)[number]>).insertMany(docs, { ordered: false }),
  );
  return docs.flatMap((d, i) =>
    duplicates.has(i)
      ? []
      : [
          {
            id: d._id,
            platform,
            updateId: d.updateId,
            chatKey: d.chatKey,
            attempts: 1,
            update: updates[i]!.update,
            receivedAt: now,
          },
        ],
  );
}

/**
 * Takes over one unfinished row that nobody is working on: a lease that ran out (its holder died
 * or gave up), a failed row whose wait is over, or a row an earlier life of this very instance
 * left behind (`earlierLives`, at start-up only: it restarted, so nobody can be working on them).
 * Oldest first, so a chat's updates keep their order. Returns null when there is none. A row that
 * has used up its attempts is parked instead and not returned.
 */
export async function claimAvailable(
  platform: Platform,
  holder: InboxHolder,
  now: Date,
  leaseMs: number,
  opts: ClaimOptions = {},
): Promise<InboxRow | null> {
  const exclude = opts.exclude ?? [];
  const free: Record<string, unknown>[] = [{ lockedUntil: { $lte: now } }];
  if (opts.earlierLives) free.push({ instance: holder.instance, boot: { $ne: holder.boot } });
  for (;;) {
    const doc = await Inbox.findOneAndUpdate(
      {
        platform,
        status: { $in: ["working", "pending"] },
        $or: free,
        ...(exclude.length > 0 ? { _id: { $nin: exclude } } : {}),
      },
      {
        $set: {
          status: "working",
          instance: holder.instance,
          boot: holder.boot,
          lockedUntil: new Date(now.getTime() + leaseMs),
        },
        $inc: { attempts: 1 },
      },
      { sort: { receivedAt: 1, updateId: 1 }, returnDocument: "after" },
    ).lean<StoredRow & { lastError: string }>();
    if (!doc) return null;
    if (doc.attempts <= INBOX_MAX_ATTEMPTS) return toRow(doc);
    // Taken over this often, it keeps failing or killing its handler: set aside for a person.
    await Inbox.updateOne(held(doc._id, holder), {
      $set: {
        status: "parked",
        lockedUntil: null,
        lastError: doc.lastError || `interrupted ${INBOX_MAX_ATTEMPTS} times (the process died while handling it)`,
      },
    });
  }
}

export interface ClaimOptions {
  /** Rows in this process's hands: never taken. */
  exclude?: string[];
  /** Also rows held by an earlier life of this instance (same `instance`, another `boot`). */
  earlierLives?: boolean;
}

function held(id: string, holder: InboxHolder) {
  return { _id: id, status: "working" as const, instance: holder.instance, boot: holder.boot };
}

/**
 * Handled: the update body, chat and holder are dropped (only the id stays, to recognise a
 * redelivery) and the row expires a day later. Only the holder settles a row: one whose lease
 * ran out and was taken over belongs to the new holder.
 */
export async function markDone(id: string, holder: InboxHolder, now: Date): Promise<void> {
  await Inbox.updateOne(held(id, holder), {
    $set: { status: "done", doneAt: now, lockedUntil: null, lastError: "" },
    $unset: { update: 1, chatKey: 1, chatId: 1, instance: 1, boot: 1 },
  });
}

/** The handler failed: retried after `retryAt`, or parked once the row has used up its attempts. */
export async function markFailed(
  id: string,
  holder: InboxHolder,
  attempts: number,
  error: string,
  retryAt: Date,
): Promise<"retry" | "parked"> {
  const parked = attempts >= INBOX_MAX_ATTEMPTS;
  await Inbox.updateOne(held(id, holder), {
    $set: {
      status: parked ? "parked" : "pending",
      lockedUntil: parked ? null : retryAt,
      lastError: error.slice(0, 500),
    },
  });
  return parked ? "parked" : "retry";
}

/** Keeps the lease of rows still being handled (a slow handler must not be taken over). */
export async function renewLeases(ids: string[], holder: InboxHolder, until: Date): Promise<void> {
  if (ids.length === 0) return;
  await Inbox.updateMany(
    { _id: { $in: ids }, status: "working", instance: holder.instance, boot: holder.boot },
    { $set: { lockedUntil: until } },
  );
}

export interface ParkedUpdate {
  id: string;
  platform: string;
  updateId: number;
  attempts: number;
  lastError: string;
  receivedAt: Date;
}

/** For `npm run doctor`: how many rows are parked, and the oldest few (never their content). */
export async function parkedUpdates(limit = 10): Promise<{ count: number; rows: ParkedUpdate[] }> {
  const count = await Inbox.countDocuments({ status: "parked" });
  const docs =
    count === 0
      ? []
      : await Inbox.find({ status: "parked" }, { platform: 1, updateId: 1, attempts: 1, lastError: 1, receivedAt: 1 })
          .sort({ receivedAt: 1 })
          .limit(limit)
          .lean();
  return {
    count,
    rows: docs.map((d) => ({
      id: d._id,
      platform: d.platform,
      updateId: d.updateId,
      attempts: d.attempts,
      lastError: d.lastError,
      receivedAt: d.receivedAt,
    })),
  };
}

/** Unfinished and parked rows from these chats (they hold the updates' content): erasure removes them. */
export async function deleteChatUpdates(platform: string, chatIds: number[]): Promise<number> {
  if (chatIds.length === 0) return 0;
  return (await Inbox.deleteMany({ platform, chatId: { $in: chatIds } })).deletedCount;
}

/** Rows not yet handled to the end (working or waiting for a retry). */
export async function countUnfinished(platform: Platform): Promise<number> {
  return Inbox.countDocuments({ platform, status: { $in: ["working", "pending"] } });
}
