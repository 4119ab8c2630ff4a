import { Composer } from "grammy";
import type { BotContext } from "../../bot/context.ts";
import { citizenFeedback, rateCase } from "../../models/case-actions.ts";
import { DomainError } from "../../models/errors.ts";
import { formatCode } from "../../models/tracking-code.ts";
import { managersChat } from "../../bot/platforms.ts";
import { parseFeedbackData } from "./feedback-keyboard.ts";
import { refreshCard } from "../staff/refresh-card.ts";

/**
 * The reporter's answer to a resolution: fixed, not fixed (reopens and escalates), or stars. Only
 * the reporter on the report's own messenger: the same user id on the other one is someone else.
 */
export const feedbackHandlers = new Composer<BotContext>();

feedbackHandlers.callbackQuery(/^fb:/, async (ctx) => {
  const parsed = parseFeedbackData(ctx.callbackQuery.data);
  if (!parsed) return void (await ctx.answerCallbackQuery({ text: ctx.t("stale-button"), show_alert: true }));
  const now = ctx.app.now();
  try {
    if (typeof parsed.answer === "number") {
      await rateCase(parsed.reportId, ctx.app.platform, ctx.from.id, parsed.answer, now);
      await ctx.answerCallbackQuery({ text: ctx.t("feedback-thanks-rating", { stars: parsed.answer }) });
      return;
    }
    const managers = managersChat(ctx.app.config);
    const report = await citizenFeedback(parsed.reportId, ctx.app.platform, ctx.from.id, parsed.answer === "fixed", managers ? { chat: managers, locale: ctx.app.config.DEFAULT_LOCALE } : null, now);
    const text = parsed.answer === "fixed" ? ctx.t("feedback-thanks-fixed") : ctx.t("feedback-thanks-notfixed", { code: formatCode(report.code) });
    await ctx.answerCallbackQuery();
    await ctx.reply(text);
    // The staff card shows the reopened status at once (when this bot is the staff platform).
    await refreshCard(ctx.app, report);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    await ctx.answerCallbackQuery({ text: ctx.t(err.reason === "not_found" ? "feedback-not-yours" : "feedback-already"), show_alert: true });
  }
});
