import type { mongo } from "mongoose";
import type { Platform } from "../common/platform.ts";
import { isDuplicateKey } from "./insert-once.ts";
import { BotState } from "./kv-store.ts";

/*
 * The inbox's rows kept on the chat's own `bot_state` document, next to its conversation state
 * (issue 17 §1). Recording an update is then ONE write that also returns the state the handler
 * needs, and the handler's state write also settles the row: a plain form step costs two commands
 * instead of four (insert, read, write, done mark). Redeliveries are recognised by the ids on the
 * document (its unfinished rows and the last `SEEN_KEPT` settled ones): the same update always
 * lands on the same document. Parked rows move to the `inbox` collection (models/infra/inbox.ts),
 * where the doctor and erasure find them.
 */

/** Settled update ids remembered per chat: a redelivery comes within seconds, never 50 updates later. */
export const SEEN_KEPT = 50;

/** Who holds rows: `instance` survives restarts (its rows left working are its own to resume), `boot` is this life. */
export interface InboxHolder {
  instance: string;
  boot: string;
}

/** One unfinished update on a state document. */
export interface StateEntry {
  id: string;
  platform: string;
  updateId: number;
  chatKey: string | null;
  chatId: number | null;
  /** The update as JSON text (its keys need not be valid MongoDB field names). */
  update: string;
  status: "working" | "pending";
  attempts: number;
  instance: string;
  boot: string;
  lockedUntil: Date;
  lastError: string;
  receivedAt: Date;
}

/** A `bot_state` document as the inbox sees it. */
export interface StateDoc {
  _id: string;
  value?: string | null;
  event?: string;
  inbox?: StateEntry[];
  seen?: string[];
}

/** What a state read needs: the stored value and the event that wrote it. */
export interface StateSnapshot {
  value: string | null;
  event: string;
}

const states = () => BotState.collection as unknown as mongo.Collection<StateDoc>;

/**
 * Records one update on its state document. Returns null when the update is there already
 * (unfinished or settled: a redelivery); else the document's state as it is now — or null state
 * when an earlier row of the chat is still unsettled there (its handling may change the state
 * before this one runs, so the handler must read it then). A document that does not exist yet is
 * created; one that holds the id makes the upsert collide on `_id`.
 */
export async function recordOnState(docId: string, entry: StateEntry): Promise<{ state: StateSnapshot | null } | null> {
  try {
    const doc = await states().findOneAndUpdate(
      { _id: docId, "inbox.id": { $ne: entry.id }, seen: { $ne: entry.id } },
      { $push: { inbox: entry } },
      { upsert: true, returnDocument: "after", projection: { value: 1, event: 1, "inbox.id": 1 } },
    );
    const alone = (doc?.inbox ?? []).length <= 1;
    return { state: alone ? { value: doc?.value ?? null, event: doc?.event ?? "" } : null };
  } catch (err) {
    if (isDuplicateKey(err)) return null;
    throw err;
  }
}

/** The update part of a settling write: the row leaves the document, its id is remembered. */
function settleUpdate(id: string, holder: InboxHolder) {
  return {
    $pull: { inbox: { id, instance: holder.instance, boot: holder.boot } },
    $push: { seen: { $each: [id], $slice: -SEEN_KEPT } },
  };
}

/**
 * Saves the state update `id` produced (null: the conversation is over), marked as that event's,
 * and settles its row, in one write. The state is written even if the row was taken over
 * meanwhile (its new holder then finds it applied); only the holder's row is pulled.
 */
export async function saveStateAndSettle(
  docId: string,
  value: string | null,
  id: string,
  holder: InboxHolder,
  now: Date,
): Promise<void> {
  await states().updateOne(
    { _id: docId },
    { $set: { value, event: id, updatedAt: now }, ...settleUpdate(id, holder) } as never,
    { upsert: true },
  );
}

/** Handled without a state change: the row leaves the document. */
export async function settleOnState(docId: string, id: string, holder: InboxHolder): Promise<void> {
  await states().updateOne({ _id: docId }, settleUpdate(id, holder) as never);
}

const held = (id: string, holder: InboxHolder) => ({
  id,
  status: "working" as const,
  instance: holder.instance,
  boot: holder.boot,
});

/** The handler failed: the row waits until `retryAt` (it is parked by the caller once out of attempts). */
export async function retryOnState(docId: string, id: string, holder: InboxHolder, error: string, retryAt: Date) {
  await states().updateOne({ _id: docId, inbox: { $elemMatch: held(id, holder) } }, {
    $set: { "inbox.$.status": "pending", "inbox.$.lockedUntil": retryAt, "inbox.$.lastError": error },
  } as never);
}

/** Takes the row off its state document (it was parked in the inbox collection). */
export async function removeFromState(docId: string, id: string): Promise<void> {
  await states().updateOne({ _id: docId }, { $pull: { inbox: { id } } } as never);
}

/** Keeps the leases of rows still being handled, in one command. */
export async function renewOnState(rows: { docId: string; id: string }[], holder: InboxHolder, until: Date) {
  if (rows.length === 0) return;
  await states().bulkWrite(
    rows.map((r) => ({
      updateOne: {
        filter: { _id: r.docId, inbox: { $elemMatch: held(r.id, holder) } },
        update: { $set: { "inbox.$.lockedUntil": until } } as never,
      },
    })),
    { ordered: false },
  );
}

/**
 * Takes over one row nobody is working on (see `claimAvailable` in models/infra/inbox.ts) and
 * returns it with its document. A document's rows are taken in the order they were recorded.
 */
export async function claimOnState(
  platform: Platform,
  holder: InboxHolder,
  now: Date,
  leaseMs: number,
  opts: { exclude: string[]; earlierLives?: boolean },
): Promise<{ docId: string; entry: StateEntry } | null> {
  // The periodic sweep asks for run-out leases only, which the `inbox.lockedUntil` index answers;
  // start-up adds this instance's earlier lives.
  const free = opts.earlierLives
    ? { $or: [{ lockedUntil: { $lte: now } }, { instance: holder.instance, boot: { $ne: holder.boot } }] }
    : { lockedUntil: { $lte: now } };
  const lockedUntil = new Date(now.getTime() + leaseMs);
  const doc = await states().findOneAndUpdate(
    {
      inbox: {
        $elemMatch: { platform, ...free, ...(opts.exclude.length > 0 ? { id: { $nin: opts.exclude } } : {}) },
      },
    },
    {
      $set: {
        "inbox.$.status": "working",
        "inbox.$.instance": holder.instance,
        "inbox.$.boot": holder.boot,
        "inbox.$.lockedUntil": lockedUntil,
      },
      $inc: { "inbox.$.attempts": 1 },
    } as never,
    { returnDocument: "after", projection: { inbox: 1 } },
  );
  if (!doc) return null;
  // The first row (in recorded order) that now carries this claim and was not in hand before.
  const entry = (doc.inbox ?? []).find(
    (e) =>
      e.instance === holder.instance &&
      e.boot === holder.boot &&
      e.lockedUntil.getTime() === lockedUntil.getTime() &&
      !opts.exclude.includes(e.id),
  );
  if (!entry) throw new Error("inbox: a claimed row is not on its document");
  return { docId: doc._id, entry };
}

/**
 * Where an update stands on the state documents (on `docId`'s, when known): unfinished (its row),
 * settled, or unknown here.
 */
export async function stateRowStatus(id: string, docId?: string): Promise<StateEntry | "done" | null> {
  const doc = await states().findOne(
    { ...(docId ? { _id: docId } : {}), $or: [{ "inbox.id": id }, { seen: id }] },
    { projection: { inbox: { $elemMatch: { id } } } },
  );
  if (!doc) return null;
  return doc.inbox?.[0] ?? "done";
}

/** Unfinished rows on state documents (of these chats, when given). */
export async function countOnState(platform: Platform, chatIds?: number[]): Promise<number> {
  const docs = await states()
    .find(
      chatIds
        ? { inbox: { $elemMatch: { platform, chatId: { $in: chatIds } } } }
        : { inbox: { $elemMatch: { platform } } },
      { projection: { inbox: 1 } },
    )
    .toArray();
  return docs
    .flatMap((d) => d.inbox ?? [])
    .filter((e) => e.platform === platform && (!chatIds || (e.chatId !== null && chatIds.includes(e.chatId)))).length;
}

/** Unfinished rows from these chats (they hold what was typed): erasure removes them wherever they wait. */
export async function deleteChatRowsOnState(platform: string, chatIds: number[]): Promise<number> {
  if (chatIds.length === 0) return 0;
  const r = await states().updateMany({ inbox: { $elemMatch: { platform, chatId: { $in: chatIds } } } }, {
    $pull: { inbox: { platform, chatId: { $in: chatIds } } },
  } as never);
  return r.modifiedCount;
}
