import type { NextFunction } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { negotiateLocale, translator } from "../../core/i18n.ts";
import { isDbUnavailable } from "../../core/db-errors.ts";
import { EventAlreadyApplied } from "../../models/infra/event-key.ts";
import { updateFields } from "./log-update.ts";
import { describeError } from "../../core/logger.ts";

/**
 * Outermost middleware: whatever fails below, the person hears about it and the process lives on.
 * A database outage gets "try again in a minute" (the update is not lost: they resend).
 */
export async function errorBoundary(ctx: BotContext, next: NextFunction): Promise<void> {
  try {
    await next();
  } catch (err) {
    // Not a failure: the update was handled to the end before (the inbox replays it); say nothing.
    if (err instanceof EventAlreadyApplied) throw err;
    const dbDown = isDbUnavailable(err);
    // Described here: whatever was thrown (a string too: the logger lets strings under `err` pass).
    ctx.app.logger.error({ err: describeError(err), ...updateFields(ctx), dbDown }, "update handling failed");
    const t =
      ctx.t ??
      translator(ctx.app.i18n, negotiateLocale(undefined, ctx.from?.language_code, ctx.app.config.DEFAULT_LOCALE));
    const text = t(dbDown ? "error-db-unavailable" : "error-generic");
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
      else if (ctx.chat?.type === "private") await ctx.reply(text);
    } catch (replyErr) {
      ctx.app.logger.warn(
        { err: describeError(replyErr), ...updateFields(ctx) },
        "could not tell the user about the failure",
      );
    }
  }
}
