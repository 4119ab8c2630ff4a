import { Composer } from "grammy";
import type { BotContext } from "../../bot/context.ts";
import { countReportsSince } from "../../models/report-submit.ts";
import { REPORT_CONVERSATION } from "../../scenes/report/intake.ts";
import { mainMenuKeyboard } from "./main-menu.ts";

export const newReportHandlers = new Composer<BotContext>();

const DAY = 86_400_000;

/** Checks the daily limit before the form starts, so nobody fills it in for nothing. */
export async function startReport(ctx: BotContext): Promise<void> {
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  const since = new Date(ctx.app.now().getTime() - DAY);
  const limit = ctx.app.config.REPORTS_PER_DAY;
  if ((await countReportsSince(ctx.app.platform, userId, since)) >= limit) {
    await ctx.reply(ctx.t("rate-limited", { limit }), { reply_markup: mainMenuKeyboard(ctx.t) });
    return;
  }
  await ctx.conversation.enter(REPORT_CONVERSATION, ctx.locale);
}

newReportHandlers.command("new", startReport);
