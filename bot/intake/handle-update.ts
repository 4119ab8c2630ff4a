import { BotError, type Bot } from "grammy";
import type { Update } from "grammy/types";
import type { BotContext } from "../../core/context.ts";
import { EventAlreadyApplied } from "../../models/infra/event-key.ts";

export type UpdateHandler = (update: Update) => Promise<void>;

/**
 * `bot.handleUpdate` with the bot's error handler (bot.catch) applied for logging, as grammY's own
 * polling does. Unlike grammY's polling it still rejects when the middleware failed: the inbox
 * then retries the update (or parks it) instead of counting it as handled.
 */
export function updateHandler(bot: Bot<BotContext>): UpdateHandler {
  return async (update) => {
    try {
      await bot.handleUpdate(update);
    } catch (err) {
      // Its state shows it was handled to the end already (a replay after a crash): done, not failed.
      if (err instanceof BotError && err.error instanceof EventAlreadyApplied) return;
      if (err instanceof BotError) await bot.errorHandler(err);
      throw err;
    }
  };
}
