import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { countReportsSince } from "../../models/report/report-submit.ts";
import { REPORT_CONVERSATION } from "../../scenes/report/intake.ts";
import type { Prefill } from "../../scenes/report/draft.ts";
import { mainMenuKeyboard } from "../../views/main-menu.ts";

export const newReportHandlers = new Composer<BotContext>();

const DAY = 86_400_000;

/** Checks the daily limit before the form starts, so nobody fills it in for nothing. */
export async function startReport(ctx: BotContext): Promise<void> {
  await startReportWith(ctx);
}

/**
 * The form, optionally started from a message sent outside it (its text as the description, its
 * photo as the first photo). False when the daily limit refused it (the citizen was told).
 */
export async function startReportWith(ctx: BotContext, prefill?: Prefill): Promise<boolean> {
  const userId = ctx.from?.id;
  if (userId === undefined) return false;
  const since = new Date(ctx.app.now().getTime() - DAY);
  const limit = ctx.app.config.REPORTS_PER_DAY;
  const filed = await countReportsSince(ctx.app.platform, userId, since);
  if (filed >= limit) {
    await ctx.reply(ctx.t("rate-limited", { limit }), { reply_markup: mainMenuKeyboard(ctx.t) });
    return false;
  }
  // Conversation arguments are stored with its state: plain JSON only. The room left is the form's
  // to know: Submit counts again only when this form takes the last place (scenes/report/submit.ts).
  await ctx.conversation.enter(REPORT_CONVERSATION, ctx.locale, prefill ?? null, limit - filed);
  return true;
}

newReportHandlers.command("new", (ctx) => startReport(ctx));
