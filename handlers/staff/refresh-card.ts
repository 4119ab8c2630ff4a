import { GrammyError } from "grammy";
import { CAPABILITIES } from "../../bot/capabilities.ts";
import type { AppDeps } from "../../bot/app.ts";
import { translator } from "../../bot/i18n.ts";
import { recordCard } from "../../models/case-card.ts";
import type { ReportDoc } from "../../models/report.ts";
import type { Platform } from "../../models/platform.ts";
import { caseCardFor } from "./card-data.ts";

/**
 * Redraws a case card after an action: edited in place; where the messenger refuses the edit (old
 * message, deleted, platform without edits) a new card is posted and the old one marked superseded.
 */
export async function refreshCard(app: AppDeps, report: ReportDoc): Promise<void> {
  const card = report.card;
  if (!card?.chatId || !card.messageId) return;
  const platform = card.platform as Platform;
  const api = app.apis[platform];
  if (!api) return void app.logger.warn({ code: report.code, platform }, "no bot for the card's platform; card not refreshed");
  const t = translator(app.i18n, app.config.DEFAULT_LOCALE);
  const { html, keyboard } = await caseCardFor(report, t, app.config.DEFAULT_LOCALE, app.config.TZ_NAME);
  const options = { parse_mode: "HTML" as const, link_preview_options: { is_disabled: true }, reply_markup: keyboard ?? { inline_keyboard: [] } };
  if (CAPABILITIES[platform].edits) {
    try {
      await api.editMessageText(card.chatId, card.messageId, html, options);
      return;
    } catch (err) {
      if (err instanceof GrammyError && /message is not modified/i.test(err.description)) return;
      app.logger.info({ err, code: report.code }, "card edit refused; posting a new card");
    }
  }
  const fresh = await api.sendMessage(card.chatId, html, options);
  await recordCard(report._id, { platform, chatId: card.chatId, messageId: fresh.message_id });
  if (CAPABILITIES[platform].edits) await api.editMessageText(card.chatId, card.messageId, t("card-superseded")).catch(() => undefined);
}
