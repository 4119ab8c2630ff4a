import { randomUUID } from "node:crypto";
import { GrammyError, HttpError, type Api } from "grammy";
import type { Logger } from "../logger.ts";
import type { Platform } from "../../models/platform.ts";
import { claimNextRow, dropChatRows, markFinal, markRetry, markSent, postponeChat, type ClaimedRow } from "../../models/outbox.ts";
import { relayStaleOutbox } from "../../models/outbox-relay.ts";
import { markChatUnreachable } from "../../models/citizen.ts";
import { NothingToSend, sendRow, type RenderDeps } from "./render.ts";

export interface DispatcherOptions extends RenderDeps {
  /** Raw Api per platform, without auto-retry: the dispatcher must see 429s to reschedule. */
  apis: Partial<Record<Platform, Api>>;
  logger: Logger;
  now?: () => Date;
  workerId?: string;
  maxAttempts?: number;
  pollMs?: number;
}

const MINUTE = 60_000;

/** Exponential backoff for transient failures: 5 s, 10 s, 20 s … capped at 30 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(30 * MINUTE, 5_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends outbox rows. Rows are leased atomically, so several dispatchers (instances) can run; a
 * row is settled only by its lease holder.
 */
export class OutboxDispatcher {
  readonly workerId: string;
  private readonly now: () => Date;
  private readonly maxAttempts: number;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly opts: DispatcherOptions) {
    this.workerId = opts.workerId ?? `dispatcher-${randomUUID()}`;
    this.now = opts.now ?? (() => new Date());
    this.maxAttempts = opts.maxAttempts ?? 12;
  }

  /** Sends every row due now; returns how many rows it settled. Tests and `job` runs call this directly. */
  async drainOnce(): Promise<number> {
    await relayStaleOutbox(new Date(this.now().getTime() - MINUTE));
    let handled = 0;
    for (;;) {
      const row = await claimNextRow(this.workerId, this.now());
      if (!row) return handled;
      await this.deliver(row);
      handled++;
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.drainOnce();
        } catch (err) {
          this.opts.logger.warn({ err }, "outbox pass failed; will retry");
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.opts.pollMs ?? 1_000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    })();
  }

  /** Finishes the row in hand, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    const { logger } = this.opts;
    const api = this.opts.apis[row.platform];
    if (!api) {
      await markFinal(row.id, this.workerId, "failed", `no bot configured for ${row.platform}`);
      return;
    }
    try {
      await sendRow(api, row, this.opts);
      await markSent(row.id, this.workerId, this.now());
    } catch (err) {
      await this.settleFailure(row, err);
      logger.warn({ err, rowId: row.id, attempts: row.attempts }, "outbox send failed");
    }
  }

  private async settleFailure(row: ClaimedRow, err: unknown): Promise<void> {
    const now = this.now();
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof NothingToSend) {
      await markFinal(row.id, this.workerId, "failed", message);
      return;
    }
    if (err instanceof GrammyError) {
      if (err.error_code === 429) {
        const until = new Date(now.getTime() + (err.parameters.retry_after ?? 5) * 1000);
        await markRetry(row.id, this.workerId, until, message, { countAttempt: false });
        await postponeChat(row.platform, row.chatId, until);
        return;
      }
      if (err.error_code === 403) {
        // Blocked, kicked or deactivated: retrying forever would only earn us rate limits.
        await markFinal(row.id, this.workerId, "unreachable", message);
        await dropChatRows(row.platform, row.chatId, message);
        await markChatUnreachable(row.platform, row.chatId, now);
        return;
      }
      if (err.error_code >= 400 && err.error_code < 500) {
        await markFinal(row.id, this.workerId, "failed", message);
        return;
      }
    }
    if (!(err instanceof GrammyError) && !(err instanceof HttpError)) {
      // Our own bug or the DB: still transient from the row's point of view.
      this.opts.logger.error({ err, rowId: row.id }, "unexpected outbox failure");
    }
    if (row.attempts >= this.maxAttempts) {
      await markFinal(row.id, this.workerId, "failed", message);
      return;
    }
    const until = new Date(now.getTime() + backoffMs(row.attempts));
    await markRetry(row.id, this.workerId, until, message);
    await postponeChat(row.platform, row.chatId, until);
  }
}
