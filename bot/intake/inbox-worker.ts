import { Context, type Api } from "grammy";
import { errorSummary } from "../../core/error-summary.ts";
import type { Update, UserFromGetMe } from "grammy/types";
import type { Logger } from "../../core/logger.ts";
import type { InFlight } from "../in-flight.ts";
import type { Platform } from "../../models/common/platform.ts";
import { withEventKey, type EventState } from "../../models/infra/event-key.ts";
import { saveStateAndSettle } from "../../models/infra/inbox-on-state.ts";
import { CONVERSATION_NAMESPACE, stateDocId } from "../../models/infra/kv-store.ts";
import { screenUpdate } from "./update-shape.ts";
import {
  claimAvailable,
  markDone,
  markFailed,
  recordUpdates,
  renewLeases,
  type InboxHolder,
  type InboxRow,
} from "../../models/infra/inbox.ts";

/** Every tenth sweep also looks at the inbox collection (rows an earlier version recorded there). */
const COLLECTION_SWEEP_EVERY = 10;

/** A row in hand is leased this long; the lease is renewed while its handler runs. */
export const INBOX_LEASE_MS = 60_000;
/** How often unfinished rows left by others (a dead instance, a failure's retry time) are looked for. */
export const INBOX_SWEEP_MS = 30_000;

export interface InboxWorkerOptions {
  platform: Platform;
  holder: InboxHolder;
  /** Handles one update to the end (replies sent, conversation state saved); rejects when it failed. */
  handle(update: Update): Promise<void>;
  /** The bot's Api and identity: only to read an update's chat the way grammY does. */
  api: Api;
  me: UserFromGetMe;
  /** The key its handler keeps the chat's conversation state under (bot/conversation-storage.ts): the update is recorded on that document. */
  stateKey(ctx: Context): string | undefined;
  inflight: InFlight;
  logger: Logger;
  now?: () => Date;
  leaseMs?: number;
  sweepMs?: number;
}

/** Retry waits after a failed handler: 5 s, 10 s, 20 s … capped at 10 minutes. */
export function inboxBackoffMs(attempts: number): number {
  return Math.min(600_000, 5_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Takes updates in through the inbox (models/infra/inbox.ts) and handles them: `accept` makes a batch
 * durable and must finish before the caller acknowledges it (polling: returning the batch, so the
 * next getUpdates confirms it; webhook: the 200). Handling runs afterwards, one chat's updates in
 * order and chats side by side; each row is marked done after its handler finished. Rows that an
 * earlier life of this instance or a dead instance left unfinished are taken over by `recover`
 * (at start-up, before any new update) and by a periodic sweep.
 */
export class InboxWorker {
  private readonly inHand = new Map<string, InboxRow>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly now: () => Date;
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private sweeps = 0;
  private stopped = false;

  constructor(private readonly opts: InboxWorkerOptions) {
    this.now = opts.now ?? (() => new Date());
    this.leaseMs = opts.leaseMs ?? INBOX_LEASE_MS;
  }

  /** Rows this process is handling or has queued. */
  get pending(): number {
    return this.inHand.size;
  }

  /** Records the updates durably, then starts handling the ones seen for the first time. Throws if they could not be recorded. */
  async accept(updates: Update[]): Promise<void> {
    // The edge check (update-shape.ts): a malformed update is dropped, never recorded nor handled; acknowledging it is right (it never becomes valid).
    const valid = updates.flatMap((u) => {
      const s = screenUpdate(u);
      if (!s.ok)
        this.opts.logger.warn(
          { updateId: Number.isSafeInteger(u?.update_id) ? u.update_id : null, reason: s.reason },
          "update dropped: not the shape the bot reads",
        );
      return s.ok ? [s.update] : [];
    });
    const rows = await recordUpdates(
      this.opts.platform,
      valid.map((u) => ({ updateId: u.update_id, ...this.chatOf(u), update: u })),
      this.opts.holder,
      this.now(),
      this.leaseMs,
    );
    for (const row of rows) this.schedule(row);
  }

  /**
   * Takes over unfinished rows, oldest first, and queues them for handling. At start-up
   * (`earlierLives`) that includes the rows this instance held when it last stopped or died.
   */
  async recover(opts: { earlierLives?: boolean; collection?: boolean; limit?: number } = {}): Promise<number> {
    let taken = 0;
    while (taken < (opts.limit ?? 1_000) && !this.stopped) {
      const row = await claimAvailable(this.opts.platform, this.opts.holder, this.now(), this.leaseMs, {
        exclude: [...this.inHand.keys()],
        earlierLives: opts.earlierLives,
        collection: opts.collection,
      });
      if (!row) break;
      this.schedule(row);
      taken++;
    }
    if (taken > 0) this.opts.logger.info({ updates: taken }, "took over unfinished updates from the inbox");
    return taken;
  }

  /** The periodic sweep: renews the leases of rows in hand, takes over rows left by others. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.sweep(), this.opts.sweepMs ?? INBOX_SWEEP_MS);
    this.timer.unref();
  }

  /** No more sweeps. Handlers running or queued go on; shutdown waits for them through `inflight`. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Resolves once nothing is queued or running (tests). */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  private async sweep(): Promise<void> {
    if (this.sweeping || this.stopped) return;
    this.sweeping = true;
    try {
      await renewLeases([...this.inHand.values()], this.opts.holder, new Date(this.now().getTime() + this.leaseMs));
      await this.recover({ collection: ++this.sweeps % COLLECTION_SWEEP_EVERY === 0 });
    } catch (err) {
      this.opts.logger.warn({ err: errorSummary(err) }, "inbox sweep failed; will retry");
    } finally {
      this.sweeping = false;
    }
  }

  private chatOf(update: Update): { chatKey: string | null; chatId: number | null; stateDoc: string } {
    // grammY's own reading of "the chat" and "the sender" for every kind of update.
    const ctx = new Context(update, this.opts.api, this.opts.me);
    const id = (ctx.chat ?? ctx.from)?.id;
    const chatKey = id === undefined ? null : String(id);
    const key = this.opts.stateKey(ctx);
    // Updates with no conversation state (no chat) wait on a document of their own chat's, or of no chat.
    const stateDoc =
      key === undefined
        ? stateDocId("inbox", `${this.opts.platform}:${chatKey ?? "none"}`)
        : stateDocId(CONVERSATION_NAMESPACE, key);
    return { chatKey, chatId: id ?? null, stateDoc };
  }

  private schedule(row: InboxRow): void {
    this.inHand.set(row.id, row);
    const key = row.chatKey ?? `update:${row.id}`;
    const next = (this.chains.get(key) ?? Promise.resolve()).then(() => this.process(row));
    this.chains.set(key, next);
    void this.opts.inflight.track(next).finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  /** Never rejects: a failure is recorded on the row (retry or parked), or left to the lease. */
  private async process(row: InboxRow): Promise<void> {
    const { logger, holder } = this.opts;
    const state = this.eventState(row);
    try {
      try {
        // Case writes made while handling it carry its id: handled again after a crash, they are not made twice.
        await withEventKey(row.id, () => this.opts.handle(row.update as Update), state);
      } catch (err) {
        // Its state was saved, and the row settled with it, before the failure surfaced: a retry
        // would find it applied (the error was logged by the bot's error handler).
        if (state?.settled) return;
        const outcome = await markFailed(
          row,
          holder,
          errorSummary(err),
          new Date(this.now().getTime() + inboxBackoffMs(row.attempts)),
        );
        logger.error(
          { rowId: row.id, attempts: row.attempts, outcome, err: errorSummary(err) },
          outcome === "parked"
            ? "update parked after repeated failures (see npm run doctor)"
            : "update failed; will be retried",
        );
        return;
      }
      if (!state?.settled) await markDone(row, holder, this.now());
    } catch (err) {
      // The database is away: the row keeps its lease, which runs out, and it is handled again.
      logger.warn({ rowId: row.id, err: errorSummary(err) }, "could not settle an inbox row; it will be taken over");
    } finally {
      this.inHand.delete(row.id);
    }
  }

  /** What the state store needs to read the state the record returned and to settle the row with its write. */
  private eventState(row: InboxRow): EventState | null {
    const docId = row.stateDoc;
    if (!docId) return null;
    const state: EventState = {
      docId,
      primed: row.primed ?? null,
      settled: false,
      save: async (value) => {
        await saveStateAndSettle(docId, value, row.id, this.opts.holder, this.now());
        state.settled = true;
      },
    };
    return state;
  }
}
