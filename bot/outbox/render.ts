import { InputFile, type Api } from "grammy";
import type { InputMediaPhoto } from "grammy/types";
import type { I18n } from "@grammyjs/i18n";
import type { Config } from "../config.ts";
import { escapeHtml, formatCoordinates, formatDate, truncate } from "../format.ts";
import { translator, type Translate } from "../i18n.ts";
import type { ClaimedRow } from "../../models/outbox.ts";
import { Report, type ReportDoc } from "../../models/report.ts";
import { findCategory } from "../../models/category.ts";
import { readPhoto } from "../../models/photos.ts";
import { formatCode } from "../../models/tracking-code.ts";

export interface RenderDeps {
  i18n: I18n;
  config: Config;
}

/** A row whose subject disappeared (report deleted by retention, say): nothing to send, not an error. */
export class NothingToSend extends Error {}

const CAPTION_MAX = 1024;
const TEXT_MAX = 4096;

/** Turns one outbox row into its Bot API call(s). Each row is one message, so a retry repeats nothing else. */
export async function sendRow(api: Api, row: ClaimedRow, deps: RenderDeps): Promise<void> {
  const t = translator(deps.i18n, row.locale);
  switch (row.kind) {
    case "status_changed":
      await api.sendMessage(row.chatId, truncate(statusText(t, row.payload), TEXT_MAX));
      return;
    case "staff_card":
      await sendStaffCard(api, row, t, deps, await loadReport(row));
      return;
    case "staff_location": {
      const report = await loadReport(row);
      const c = report.location?.coordinates;
      if (!c || c.length < 2) throw new NothingToSend(`report ${report.code} has no coordinates`);
      await api.sendLocation(row.chatId, c[1]!, c[0]!);
      return;
    }
    default:
      throw new NothingToSend(`unknown outbox kind ${row.kind}`);
  }
}

function statusText(t: Translate, payload: Record<string, unknown>): string {
  const code = formatCode(String(payload.code ?? ""));
  const lines = [t("notify-status", { code, status: t(`status-${String(payload.to ?? "")}`) })];
  const note = typeof payload.note === "string" ? payload.note : "";
  if (note) lines.push(t("notify-note", { note }));
  return lines.join("\n");
}

async function loadReport(row: ClaimedRow): Promise<ReportDoc> {
  const report = await Report.findById(String(row.payload.reportId ?? "")).lean<ReportDoc>();
  if (!report) throw new NothingToSend(`report ${String(row.payload.reportId)} not found`);
  return report;
}

/** The new-case card: photo(s) with an HTML caption, or plain text when there is no photo. */
async function sendStaffCard(api: Api, row: ClaimedRow, t: Translate, deps: RenderDeps, report: ReportDoc): Promise<void> {
  const photos = report.photos.filter((p) => p.gridfsId);
  const limit = photos.length > 0 ? CAPTION_MAX : TEXT_MAX;
  const html = await staffCardHtml(t, row, deps, report, limit);
  if (photos.length === 0) {
    await api.sendMessage(row.chatId, html, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
    return;
  }
  // From GridFS, not by file_id: file ids belong to one bot, and staff may sit on another platform.
  const files = await Promise.all(photos.map(async (p, i) => new InputFile(await readPhoto(p.gridfsId!), `${report.code}-${i + 1}.jpg`)));
  if (files.length === 1) {
    await api.sendPhoto(row.chatId, files[0]!, { caption: html, parse_mode: "HTML" });
    return;
  }
  const media: InputMediaPhoto[] = files.map((media, i) => (i === 0 ? { type: "photo", media, caption: html, parse_mode: "HTML" } : { type: "photo", media }));
  await api.sendMediaGroup(row.chatId, media);
}

async function staffCardHtml(t: Translate, row: ClaimedRow, deps: RenderDeps, report: ReportDoc, limit: number): Promise<string> {
  const category = await findCategory(report.categoryKey);
  const c = report.location?.coordinates;
  const where = c && c.length >= 2 ? t("summary-coordinates", formatCoordinates(c[1]!, c[0]!)) : t("staff-no-coordinates", { address: report.address });
  const place = [report.venueTitle, report.address && c ? report.address : "", where].filter(Boolean).join(" — ");
  const reporter = [report.citizen.name, report.citizen.username ? `@${report.citizen.username}` : "", report.citizen.phone].filter(Boolean).join(" ");
  const render = (description: string) =>
    t("staff-card", {
      code: formatCode(report.code),
      category: escapeHtml(category ? category.title[row.locale] : report.categoryKey),
      description: escapeHtml(description),
      location: escapeHtml(place),
      created: formatDate(report.createdAt, row.locale, deps.config.TZ_NAME),
      reporter: escapeHtml(reporter || "—"),
    });
  // Shorten the citizen's text (before escaping, so no entity is cut in half) until the card fits.
  let description = report.description;
  let html = render(description);
  while (html.length > limit && description.length > 20) {
    description = truncate(description, Math.max(20, description.length - (html.length - limit) - 10));
    html = render(description);
  }
  return html;
}
