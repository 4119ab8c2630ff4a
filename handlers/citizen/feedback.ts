import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { citizenFeedback, rateCase } from "../../models/report/case-actions.ts";
import { DomainError } from "../../models/common/errors.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { managersChat } from "../../core/platforms.ts";
import { encode } from "../../views/buttons/callback-data.ts";
import { onButton } from "../../views/buttons/on-button.ts";
import { awaitReason } from "../../models/report/kept-message.ts";

/**
 * The reporter's answer to a resolution: fixed, not fixed (reopens and escalates), or stars. Only
 * the reporter on the report's own messenger: the same user id on the other one is someone else.
 */
export const feedbackHandlers = new Composer<BotContext>();

onButton(feedbackHandlers, "feedback", async (ctx, parsed) => {
  const now = ctx.app.now();
  try {
    if (typeof parsed.answer === "number") {
      await rateCase(parsed.reportId, ctx.app.platform, ctx.from.id, parsed.answer, now);
      await ctx.answerCallbackQuery({ text: ctx.t("feedback-thanks-rating", { stars: parsed.answer }) });
      return;
    }
    const managers = managersChat(ctx.app.config);
    const report = await citizenFeedback(
      parsed.reportId,
      ctx.app.platform,
      ctx.from.id,
      parsed.answer === "fixed",
      managers ? { chat: managers, locale: ctx.app.config.DEFAULT_LOCALE } : null,
      now,
    );
    await ctx.answerCallbackQuery();
    if (parsed.answer === "fixed") await ctx.reply(ctx.t("feedback-thanks-fixed"));
    else {
      // The tap's one message to the reporter (the reopening notice goes to followers only): sorry,
      // reopened, and what is still wrong? Their next message answers it (handlers/citizen/info-reply.ts).
      const keptId = await awaitReason(ctx.app.platform, ctx.from.id, report._id, now);
      const text = `${ctx.t("feedback-thanks-notfixed", { code: formatCode(report.code) })}\n\n${ctx.t("notfixed-ask-reason")}`;
      await ctx.reply(text, {
        reply_markup: new InlineKeyboard().text(ctx.t("notfixed-skip"), encode("reasonSkip", { keptId })),
      });
    }
    // The staff card shows the reopened status at once: its redraw was queued with the answer.
    ctx.app.wakeOutbox();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    await ctx.answerCallbackQuery({
      text: ctx.t(err.reason === "not_found" ? "feedback-not-yours" : "feedback-already"),
      show_alert: true,
    });
  }
});
