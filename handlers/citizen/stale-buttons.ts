import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { findSubmittedReport } from "../../models/report/report-queries.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { ownerOf } from "../../views/buttons/callback-data.ts";

/**
 * Button presses nothing else claimed: a form button after its form ended (a second Submit tap
 * lands here and is told the report already exists), or a button from before a restart.
 */
export const staleButtonHandlers = new Composer<BotContext>();

staleButtonHandlers.on("callback_query", async (ctx) => {
  // A form's button, whatever its action (an older release's too): its form ended.
  const formKey = ownerOf("form", ctx.callbackQuery.data);
  if (formKey) {
    // Only the form's own reporter hears its code; anyone else (same id, other messenger) sees an inactive form.
    const report = await findSubmittedReport(formKey, ctx.app.platform, ctx.from.id);
    const text = report ? ctx.t("already-submitted", { code: formatCode(report.code) }) : ctx.t("form-inactive");
    await ctx.answerCallbackQuery({ text, show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery({ text: ctx.t("stale-button"), show_alert: true });
});
