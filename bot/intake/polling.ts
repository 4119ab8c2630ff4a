import { run } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../logger.ts";
import type { BotContext } from "../context.ts";
import type { InFlight } from "../in-flight.ts";
import { ALLOWED_UPDATES } from "../platforms.ts";
import type { UpdateHandler } from "./handle-update.ts";

export interface Polling {
  /** Stops fetching. Handlers already started keep running: `InFlight` follows them. */
  stop(): Promise<void>;
  /** Confirms everything fetched to the Bot API. Only once every handler has finished. */
  confirm(): Promise<void>;
}

export interface PollingOptions {
  handle: UpdateHandler;
  inflight: InFlight;
  logger: Logger;
  /** The runner gave up (401 wrong token, 409 another poller or a webhook): the process should stop. */
  onFatal(err: unknown): void;
}

/*
 * What @grammyjs/runner 2.0.3 does with fetched updates (node_modules/@grammyjs/runner/out/*.js):
 * - Its concurrent sink starts a handler for every update of a batch at once (`DecayingDeque.add`);
 *   the concurrency limit only delays the next getUpdates. Nothing fetched waits unstarted.
 * - A batch is confirmed by the next getUpdates (its `offset`), which the runner sends as soon as
 *   the batch is handed to the sink, not when its handlers finish.
 * - `stop()` aborts the pending getUpdates and resolves when the fetch loop has ended. It does not
 *   wait for handlers: they run on, and exiting then would lose updates already confirmed.
 * - If stop() lands between a batch arriving and the next getUpdates going out, that batch is
 *   handled but never confirmed, and a restart would get it again (a doubled reply).
 * So shutdown stops the runner, waits for `InFlight` (every handler is tracked), then sends one
 * getUpdates with offset = last fetched id + 1, limit 1, timeout 0: it confirms what we handled
 * and returns at once (whatever it returns stays unconfirmed for the next run).
 */
export function startPolling(bot: Bot<BotContext>, opts: PollingOptions): Polling {
  let lastFetched: number | undefined;
  const runner = run<Update, unknown>(
    {
      handleUpdate: (update) => opts.inflight.track(opts.handle(update)),
      // `handle` never rejects; the runner still wants an error handler.
      errorHandler: (err) => opts.logger.error({ err }, "update failed"),
      api: {
        getUpdates: async (args, signal) => {
          try {
            const updates = await bot.api.getUpdates(args, signal);
            lastFetched = updates.at(-1)?.update_id ?? lastFetched;
            return updates;
          } catch (err) {
            // The runner retries; logged here (it is `silent`: its console output would show the error's request URL, token included).
            if (!signal.aborted) opts.logger.warn({ err }, "getUpdates failed; retrying");
            throw err;
          }
        },
      },
    },
    { runner: { silent: true, fetch: { allowed_updates: ALLOWED_UPDATES } } },
  );
  runner.task()?.catch(opts.onFatal);
  return {
    async stop() {
      if (runner.isRunning()) await runner.stop();
    },
    async confirm() {
      if (lastFetched !== undefined) await bot.api.getUpdates({ offset: lastFetched + 1, limit: 1, timeout: 0 });
    },
  };
}
