import type { NextFunction } from "grammy";
import type { AppDeps } from "../../core/app.ts";
import type { BotContext } from "../../core/context.ts";
import { negotiateLocale, translator } from "../../core/i18n.ts";
import { touchCitizen } from "../../models/people/citizen.ts";
import { isChatId, isUserId } from "../../models/common/ids.ts";

/**
 * Attaches the citizen record (private chats) and the locale; `ctx.app` is set earlier, before the
 * error boundary that needs it (bot/create-bot.ts). Before the DB answers, the locale comes from
 * the client language, so even a "temporarily unavailable" reply is localised.
 */
export function appContext(app: AppDeps) {
  return async (ctx: BotContext, next: NextFunction): Promise<void> => {
    // The inbox drops malformed updates at the edge; one that reached the bot anyway (an id that is
    // an object, 2**60, "5200") is nobody's and is ignored before any handler can query with it.
    if ((ctx.from && !isUserId(ctx.from.id)) || (ctx.chat && !isChatId(ctx.chat.id))) {
      const updateId = ctx.update.update_id;
      app.logger.warn(
        { updateId: Number.isSafeInteger(updateId) ? updateId : null },
        "update ignored: a sender or chat id is not a messenger id",
      );
      return;
    }
    ctx.citizen = null;
    ctx.locale = negotiateLocale(undefined, ctx.from?.language_code, app.config.DEFAULT_LOCALE);
    ctx.t = translator(app.i18n, ctx.locale);
    if (ctx.chat?.type === "private" && ctx.from && !ctx.from.is_bot) {
      ctx.citizen = await touchCitizen({
        platform: app.platform,
        userId: ctx.from.id,
        chatId: ctx.chat.id,
        firstName: ctx.from.first_name,
        lastName: ctx.from.last_name,
        username: ctx.from.username,
        languageCode: ctx.from.language_code,
      });
      ctx.locale = negotiateLocale(ctx.citizen.locale, ctx.from.language_code, app.config.DEFAULT_LOCALE);
      ctx.t = translator(app.i18n, ctx.locale);
    }
    await next();
  };
}
