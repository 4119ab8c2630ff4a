import { run } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../../core/logger.ts";
import type { BotContext } from "../../core/context.ts";
import { ALLOWED_UPDATES } from "../../core/platforms.ts";
import { errorSummary } from "../../core/error-summary.ts";

export interface Polling {
  /** Stops fetching. Handlers already started keep running: `InFlight` follows them. */
  stop(): Promise<void>;
  /** Confirms everything fetched to the Bot API (spares the next start a redelivery); bounded. */
  confirm(): Promise<void>;
}

export interface PollingOptions {
  /** Records a fetched batch durably (the inbox); rejects when it could not. */
  accept(updates: Update[]): Promise<void>;
  logger: Logger;
  /** The runner gave up (401 wrong token, 409 another poller or a webhook): the process should stop. */
  onFatal(err: unknown): void;
}

/** The closing confirmation may take this long; it is a courtesy (the inbox recognises a redelivery). */
const CONFIRM_TIMEOUT_MS = 1_000;

/*
 * @grammyjs/runner 2.0.3 confirms a batch (the next getUpdates `offset`) as soon as its getUpdates
 * call returns the batch, before any handler runs (node_modules/@grammyjs/runner/out/runner.js).
 * So the batch is written to the inbox INSIDE that call: the runner only sees (and confirms) what
 * is durable. If the write fails the call throws, the runner retries with the same offset, and
 * the Bot API delivers the batch again. Handling happens from the inbox (InboxWorker), so the
 * runner's own sink has nothing left to do.
 */
export function startPolling(bot: Bot<BotContext>, opts: PollingOptions): Polling {
  let lastFetched: number | undefined;
  const runner = run<Update, unknown>(
    {
      handleUpdate: async () => undefined,
      errorHandler: (err) => opts.logger.error({ err: errorSummary(err) }, "update failed"),
      api: {
        getUpdates: async (args, signal) => {
          let updates: Update[];
          try {
            updates = await bot.api.getUpdates(args, signal);
          } catch (err) {
            // The runner retries; logged here (it is `silent`: its console output would show the error's request URL, token included).
            if (!signal.aborted) opts.logger.warn({ err: errorSummary(err) }, "getUpdates failed; retrying");
            throw err;
          }
          try {
            await opts.accept(updates);
          } catch (err) {
            opts.logger.warn(
              { err: errorSummary(err), updates: updates.length },
              "could not record fetched updates; they stay unconfirmed and come again",
            );
            throw err;
          }
          lastFetched = updates.at(-1)?.update_id ?? lastFetched;
          return updates;
        },
      },
    },
    // A steady 1 s between failed polls: the runner's default doubles without a cap, so after a long
    // outage the first poll could come minutes after the network (or MongoDB) is back.
    { runner: { silent: true, retryInterval: 1_000, fetch: { allowed_updates: ALLOWED_UPDATES } } },
  );
  runner.task()?.catch(opts.onFatal);
  return {
    async stop() {
      if (runner.isRunning()) await runner.stop();
    },
    async confirm() {
      if (lastFetched === undefined) return;
      // Aborted in time whatever the network does (auto-retry gives up once the signal is aborted).
      await bot.api.getUpdates(
        { offset: lastFetched + 1, limit: 1, timeout: 0 },
        AbortSignal.timeout(CONFIRM_TIMEOUT_MS) as Parameters<typeof bot.api.getUpdates>[1],
      );
    },
  };
}
