import { GrammyError, type Api } from "grammy";
import type { I18n } from "@grammyjs/i18n";
import { CAPABILITIES } from "../../core/capabilities.ts";
import type { AppDeps } from "../../core/app.ts";
import type { Config } from "../../core/config.ts";
import { translator } from "../../core/i18n.ts";
import { recordCard } from "../../models/report/case-card.ts";
import { queueCardRedraw } from "../../models/report/card-redraw.ts";
import type { ReportDoc } from "../../models/report/report.ts";
import type { Platform } from "../../models/common/platform.ts";
import { caseCardFor } from "./card-data.ts";

export interface DrawCardOptions {
  /** An edit failure that must propagate (the caller retries) instead of posting a new card. */
  rethrow?: (err: unknown) => boolean;
  /** Also overwrite cards superseded earlier (an erasure: no old copy may keep the reporter's lines). */
  resupersede?: boolean;
  /** Told when an edit is refused and a new card is posted instead. */
  onRefused?: (err: unknown) => void;
}

/**
 * Draws a case card as the report is now: edited in place; where the messenger refuses the edit
 * (old message, deleted, platform without edits) a new card is posted, its id recorded, and the
 * old one marked superseded. Cards speak the desk's language whoever triggered the redraw.
 */
export async function drawCard(
  api: Api,
  report: ReportDoc,
  deps: { i18n: I18n; config: Config },
  o: DrawCardOptions = {},
): Promise<void> {
  const card = report.card;
  if (!card?.chatId || !card.messageId) return;
  const platform = card.platform as Platform;
  const t = translator(deps.i18n, deps.config.DEFAULT_LOCALE);
  const { html, keyboard } = await caseCardFor(report, t, deps.config.DEFAULT_LOCALE, deps.config.TZ_NAME);
  const edits = CAPABILITIES[platform].edits;
  if (edits && o.resupersede)
    for (const old of card.superseded ?? [])
      await api.editMessageText(card.chatId, old, t("card-superseded")).catch(() => undefined);
  const options = {
    parse_mode: "HTML" as const,
    link_preview_options: { is_disabled: true },
    reply_markup: keyboard ?? { inline_keyboard: [] },
  };
  if (edits) {
    try {
      await api.editMessageText(card.chatId, card.messageId, html, options);
      return;
    } catch (err) {
      if (err instanceof GrammyError && /message is not modified/i.test(err.description)) return;
      if (o.rethrow?.(err)) throw err;
      o.onRefused?.(err);
    }
  }
  const fresh = await api.sendMessage(card.chatId, html, options);
  await recordCard(report, { platform, chatId: card.chatId, messageId: fresh.message_id });
  if (edits) await api.editMessageText(card.chatId, card.messageId, t("card-superseded")).catch(() => undefined);
}

/**
 * Redraws a case card without a change of the case (a press on a stale view, a new supporter):
 * queued in the outbox (models/report/card-redraw.ts), so the edit keeps the staff chat's order,
 * retries and rate limit, and redraws waiting together are one edit; then this process's
 * dispatcher is woken so the edit goes now, not at the next poll. A change of the case queues its
 * redraw itself, in the change's own write (models/report/report-transition.ts updateCase).
 */
export async function requestCardRedraw(app: AppDeps, report: Pick<ReportDoc, "_id">): Promise<void> {
  if ((await queueCardRedraw(report._id, app.now())) === "queued") app.wakeOutbox();
}
