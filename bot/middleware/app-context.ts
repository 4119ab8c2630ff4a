import type { NextFunction } from "grammy";
import type { AppDeps } from "../app.ts";
import type { BotContext } from "../context.ts";
import { negotiateLocale, translator } from "../i18n.ts";
import { touchCitizen } from "../../models/citizen.ts";

/**
 * Attaches the citizen record (private chats) and the locale; `ctx.app` is set earlier, before the
 * error boundary that needs it (bot/create-bot.ts). Before the DB answers, the locale comes from
 * the client language, so even a "temporarily unavailable" reply is localised.
 */
export function appContext(app: AppDeps) {
  return async (ctx: BotContext, next: NextFunction): Promise<void> => {
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
