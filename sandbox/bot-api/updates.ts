// One bot's pending updates, with getUpdates semantics: `offset` confirms (drops) everything
// before it, a negative offset keeps only the last -offset updates, `timeout` long-polls, and a
// second concurrent getUpdates ends the first with 409 Conflict, as on Telegram.
import type { Update } from "grammy/types";
import { BotApiError } from "./errors.ts";
import { Notifier } from "./notifier.ts";

/** What Telegram sends when allowed_updates is empty or was never set. */
const DEFAULT_EXCLUDED = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

export type NewUpdate = Omit<Update, "update_id">;

export interface PollOptions {
  offset?: number;
  limit: number;
  timeoutSeconds: number;
  signal: AbortSignal;
}

export class UpdateQueue {
  private queue: Update[] = [];
  private readonly arrived = new Notifier();
  private current: AbortController | undefined;
  /** Kept across `clear()`: a poller that confirmed id N must never see ids <= N again. */
  // Like Telegram's, ids keep growing across emulator restarts: the bot remembers processed update
  // ids for a day (duplicate-delivery guard), so restarting at 1 would hide the first updates.
  private nextId = Date.now();
  allowed: string[] = [];

  get pendingCount(): number {
    return this.queue.length;
  }

  /** A getUpdates long poll is waiting right now. */
  get isPolling(): boolean {
    return this.current !== undefined;
  }

  push(update: NewUpdate): Update {
    // A snapshot: later edits of the message must not rewrite an update already queued.
    const full = structuredClone({ update_id: this.nextId++, ...update }) as Update;
    this.queue.push(full);
    this.arrived.notify();
    return full;
  }

  clear(): void {
    this.queue = [];
  }

  confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    this.queue = offset > 0 ? this.queue.filter((u) => u.update_id >= offset) : this.queue.slice(offset);
  }

  async poll(opts: PollOptions): Promise<Update[]> {
    this.confirm(opts.offset);
    let batch = this.take(opts.limit);
    if (batch.length > 0 || opts.timeoutSeconds <= 0) return batch;
    // Telegram answers the older of two concurrent long polls with 409.
    this.current?.abort(
      new BotApiError(
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      ),
    );
    const mine = new AbortController();
    this.current = mine;
    const stop = AbortSignal.any([opts.signal, mine.signal]);
    const deadline = Date.now() + opts.timeoutSeconds * 1000;
    while (batch.length === 0 && !stop.aborted && Date.now() < deadline) {
      await this.arrived.wait(deadline - Date.now(), stop);
      batch = this.take(opts.limit);
    }
    if (this.current === mine) this.current = undefined;
    if (mine.signal.aborted) throw mine.signal.reason;
    return batch;
  }

  /** Not confirmed by taking: only a later offset confirms. Types the bot did not ask for are dropped. */
  private take(limit: number): Update[] {
    const excluded = (type: string) =>
      this.allowed.length === 0 ? DEFAULT_EXCLUDED.has(type) : !this.allowed.includes(type);
    this.queue = this.queue.filter((u) => !excluded(Object.keys(u).find((k) => k !== "update_id") ?? ""));
    return this.queue.slice(0, limit);
  }
}
