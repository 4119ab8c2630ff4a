import mongoose, { Schema, type mongo } from "mongoose";
import type { Platform } from "../common/platform.ts";
import { insertManyUnlessDuplicate, insertUnlessDuplicate } from "./insert-once.ts";
import {
  claimOnState,
  countOnState,
  deleteChatRowsOnState,
  recordOnState,
  removeFromState,
  renewOnState,
  retryOnState,
  settleOnState,
  stateRowStatus,
  type InboxHolder,
  type StateEntry,
  type StateSnapshot,
} from "./inbox-on-state.ts";

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
 *
 * An update with a state document (`stateDoc`: the chat's conversation state in `bot_state`, as
 * the bot process records every update) is kept there instead (models/infra/inbox-on-state.ts), so
 * that recording it also reads the state and saving the state also settles it; this collection
 * then holds the parked rows, and the rows recorded by a version before that (taken over at
 * start-up and by every tenth sweep).
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

export type { InboxHolder } from "./inbox-on-state.ts";

export interface InboxUpdate {
  updateId: number;
  chatKey: string | null;
  chatId: number | null;
  /** The update itself. */
  update: unknown;
  /** The `bot_state` document its handler reads and writes: the row is kept there. */
  stateDoc?: string;
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
  /** The state document the row is kept on, or null for a row of this collection. */
  stateDoc: string | null;
  /** Just recorded on its state document: that document's state as the record returned it. */
  primed?: StateSnapshot;
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

/** A stored row (of this collection, or on `stateDoc`) as the worker holds it. */
function toRow(doc: Omit<StoredRow, "_id"> & { id: string }, stateDoc: string | null = null): InboxRow {
  return {
    id: doc.id,
    platform: doc.platform as Platform,
    updateId: doc.updateId,
    chatKey: doc.chatKey,
    attempts: doc.attempts,
    update: doc.update === null ? null : JSON.parse(doc.update),
    receivedAt: doc.receivedAt,
    stateDoc,
  };
}

/**
 * Records a batch and returns what this call inserted, in order: those rows are now leased to
 * `holder`. Rows with a state document take one write each (one chat's in order, chats side by
 * side), which also returns the chat's state; the others one write for all. A redelivered update
 * (its id already recorded) is not returned: it was handled, or is being handled, or will be taken
 * over. Anything else failing throws, and the caller must not acknowledge the batch (the messenger
 * delivers it again; rows recorded this time are then recognised and taken over).
 */
export async function recordUpdates(
  platform: Platform,
  updates: InboxUpdate[],
  holder: InboxHolder,
  now: Date,
  leaseMs: number,
): Promise<InboxRow[]> {
  if (updates.length === 0) return [];
  const lockedUntil = new Date(now.getTime() + leaseMs);
  const recorded = new Map<InboxUpdate, InboxRow>();
  const row = (u: InboxUpdate, stateDoc: string | null, primed?: StateSnapshot): InboxRow => ({
    id: inboxId(platform, u.updateId),
    platform,
    updateId: u.updateId,
    chatKey: u.chatKey,
    attempts: 1,
    update: u.update,
    receivedAt: now,
    stateDoc,
    ...(primed ? { primed } : {}),
  });

  // A new row's stored fields, wherever it is kept.
  const fresh = (u: InboxUpdate) => ({
    platform,
    updateId: u.updateId,
    chatKey: u.chatKey,
    chatId: u.chatId,
    update: JSON.stringify(u.update),
    status: "working" as const,
    attempts: 1,
    instance: holder.instance,
    boot: holder.boot,
    lockedUntil,
    lastError: "",
    receivedAt: now,
  });

  const byDoc = new Map<string, InboxUpdate[]>();
  for (const u of updates) if (u.stateDoc) byDoc.set(u.stateDoc, [...(byDoc.get(u.stateDoc) ?? []), u]);
  await Promise.all(
    [...byDoc].map(async ([docId, list]) => {
      for (const u of list) {
        const done = await recordOnState(docId, { id: inboxId(platform, u.updateId), ...fresh(u) });
        if (done) recorded.set(u, row(u, docId, done.state ?? undefined));
      }
    }),
  );

  const plain = updates.filter((u) => !u.stateDoc);
  const docs = plain.map((u) => ({ _id: inboxId(platform, u.updateId), ...fresh(u), doneAt: null }));
  if (docs.length > 0) {
    // The driver's own insert: one command for the batch, and its per-document errors as they are.
    const duplicates = await insertManyUnlessDuplicate(() =>
      (Inbox.collection as unknown as mongo.Collection<(typeof docs)[number]>).insertMany(docs, { ordered: false }),
    );
    plain.forEach((u, i) => {
      if (!duplicates.has(i)) recorded.set(u, row(u, null));
    });
  }
  return updates.flatMap((u) => recorded.get(u) ?? []);
}

/**
 * Takes over one unfinished row that nobody is working on: a lease that ran out (its holder died
 * or gave up), a failed row whose wait is over, or a row an earlier life of this very instance
 * left behind (`earlierLives`, at start-up only: it restarted, so nobody can be working on them).
 * A chat's rows are taken in the order they were recorded. Returns null when there is none. A row
 * that has used up its attempts is parked instead and not returned. Rows of this collection are
 * looked for only with `collection` (or `earlierLives`).
 */
export async function claimAvailable(
  platform: Platform,
  holder: InboxHolder,
  now: Date,
  leaseMs: number,
  opts: ClaimOptions = {},
): Promise<InboxRow | null> {
  const exclude = opts.exclude ?? [];
  for (;;) {
    const claimed = await claimOnState(platform, holder, now, leaseMs, { exclude, earlierLives: opts.earlierLives });
    if (!claimed) break;
    const { docId, entry } = claimed;
    if (entry.attempts <= INBOX_MAX_ATTEMPTS) return toRow(entry, docId);
    await parkStateRow(docId, entry, entry.lastError || interrupted());
  }
  if (!opts.collection && !opts.earlierLives) return null;
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
    if (doc.attempts <= INBOX_MAX_ATTEMPTS) return toRow({ ...doc, id: doc._id });
    // Taken over this often, it keeps failing or killing its handler: set aside for a person.
    await Inbox.updateOne(held(doc._id, holder), {
      $set: { status: "parked", lockedUntil: null, lastError: doc.lastError || interrupted() },
    });
  }
}

const interrupted = () => `interrupted ${INBOX_MAX_ATTEMPTS} times (the process died while handling it)`;

/**
 * Moves a row off its state document into this collection as parked, where the doctor lists it
 * and erasure finds it. Inserted first: a crash in between leaves it on both, and parking it again
 * finds the parked copy.
 */
async function parkStateRow(docId: string, e: StateEntry, lastError: string): Promise<void> {
  await insertUnlessDuplicate(() =>
    Inbox.collection.insertOne({
      _id: e.id,
      platform: e.platform,
      updateId: e.updateId,
      chatKey: e.chatKey,
      chatId: e.chatId,
      update: e.update,
      status: "parked",
      attempts: e.attempts,
      instance: "",
      boot: "",
      lockedUntil: null,
      lastError: lastError.slice(0, 500),
      receivedAt: e.receivedAt,
      doneAt: null,
    } as never),
  );
  await removeFromState(docId, e.id);
}

export interface ClaimOptions {
  /** Rows in this process's hands: never taken. */
  exclude?: string[];
  /** Also rows held by an earlier life of this instance (same `instance`, another `boot`). */
  earlierLives?: boolean;
  /** Also rows of this collection (recorded without a state document). */
  collection?: boolean;
}

function held(id: string, holder: InboxHolder) {
  return { _id: id, status: "working" as const, instance: holder.instance, boot: holder.boot };
}

/**
 * Handled: the update body, chat and holder are dropped (only the id stays, to recognise a
 * redelivery) and the row expires a day later (on a state document: the row leaves it, its id
 * stays among the last few). Only the holder settles a row: one whose lease ran out and was taken
 * over belongs to the new holder.
 */
export async function markDone(row: InboxRow, holder: InboxHolder, now: Date): Promise<void> {
  if (row.stateDoc) return settleOnState(row.stateDoc, row.id, holder);
  await Inbox.updateOne(held(row.id, holder), {
    $set: { status: "done", doneAt: now, lockedUntil: null, lastError: "" },
    $unset: { update: 1, chatKey: 1, chatId: 1, instance: 1, boot: 1 },
  });
}

/** The handler failed: retried after `retryAt`, or parked once the row has used up its attempts. */
export async function markFailed(
  row: InboxRow,
  holder: InboxHolder,
  error: string,
  retryAt: Date,
): Promise<"retry" | "parked"> {
  const parked = row.attempts >= INBOX_MAX_ATTEMPTS;
  if (row.stateDoc) {
    if (!parked) await retryOnState(row.stateDoc, row.id, holder, error.slice(0, 500), retryAt);
    else {
      const entry = await stateRowStatus(row.id, row.stateDoc);
      if (entry && entry !== "done") await parkStateRow(row.stateDoc, entry, error);
    }
    return parked ? "parked" : "retry";
  }
  await Inbox.updateOne(held(row.id, holder), {
    $set: {
      status: parked ? "parked" : "pending",
      lockedUntil: parked ? null : retryAt,
      lastError: error.slice(0, 500),
    },
  });
  return parked ? "parked" : "retry";
}

/** Keeps the lease of rows still being handled (a slow handler must not be taken over). */
export async function renewLeases(rows: InboxRow[], holder: InboxHolder, until: Date): Promise<void> {
  await renewOnState(
    rows.flatMap((r) => (r.stateDoc ? [{ docId: r.stateDoc, id: r.id }] : [])),
    holder,
    until,
  );
  const ids = rows.filter((r) => !r.stateDoc).map((r) => r.id);
  if (ids.length === 0) return;
  await Inbox.updateMany(
    { _id: { $in: ids }, status: "working", instance: holder.instance, boot: holder.boot },
    { $set: { lockedUntil: until } },
  );
}

/** Where one update stands, wherever it is kept (tests, drills): null when it was never recorded (or has expired). */
export async function inboxStatus(id: string): Promise<InboxStatus | null> {
  const row = await Inbox.findById(id, { status: 1 }).lean();
  if (row) return row.status as InboxStatus;
  const onState = await stateRowStatus(id);
  return onState === null || onState === "done" ? onState : onState.status;
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
  const here = (await Inbox.deleteMany({ platform, chatId: { $in: chatIds } })).deletedCount;
  return here + (await deleteChatRowsOnState(platform, chatIds));
}

/** Rows not yet handled to the end (working or waiting for a retry), of these chats when given. */
export async function countUnfinished(platform: Platform, chatIds?: number[]): Promise<number> {
  const here = await Inbox.countDocuments({
    platform,
    status: { $in: ["working", "pending"] },
    ...(chatIds ? { chatId: { $in: chatIds } } : {}),
  });
  return here + (await countOnState(platform, chatIds));
}
