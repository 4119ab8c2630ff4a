import { BotError, type Bot } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../logger.ts";
import type { BotContext } from "../context.ts";

export type UpdateHandler = (update: Update) => Promise<void>;

/**
 * `bot.handleUpdate` with the bot's error handler (bot.catch) applied, as grammY's own polling
 * does: the returned promise never rejects, so polling and webhook callers need no error path.
 */
export function updateHandler(bot: Bot<BotContext>, logger: Logger): UpdateHandler {
  return (update) =>
    bot
      .handleUpdate(update)
      .catch(async (err: unknown) => {
        if (!(err instanceof BotError)) throw err;
        await bot.errorHandler(err);
      })
      .catch((err: unknown) => logger.error({ err, updateId: update.update_id }, "update failed outside the middleware"));
}
