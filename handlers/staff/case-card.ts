import { InlineKeyboard } from "grammy";
import type { Translate } from "../../bot/i18n.ts";
import { escapeHtml, formatCoordinates, formatDate, ltr, truncate } from "../../bot/format.ts";
import type { ReportDoc } from "../../models/report.ts";
import { isOpen, type ReportStatus } from "../../models/report-status.ts";
import { formatCode } from "../../models/tracking-code.ts";
import { lastVisit } from "../../models/visit.ts";
import { maskPhone } from "../../models/phone-mask.ts";
import { visitPlaceVars } from "./visit-text.ts";
import type { Locale } from "../../models/platform.ts";

/** Card buttons: `c:<report id>:<action>` (2 + 24 + 1 + ≤ 8 bytes, well under Telegram's 64). */
export const CARD_ACTIONS = ["take", "assign", "progress", "resolve", "reject", "dup", "note", "ask", "inote", "visit", "contact"] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

export function cardData(reportId: string, action: CardAction): string {
  return `c:${reportId}:${action}`;
}

export function parseCardData(data: string | undefined): { reportId: string; action: CardAction } | null {
  const m = /^c:([0-9a-f]{24}):([a-z]+)$/.exec(data ?? "");
  const action = CARD_ACTIONS.find((a) => a === m?.[2]);
  return m && action ? { reportId: m[1]!, action } : null;
}

export interface CardContext {
  t: Translate;
  locale: Locale;
  timeZone: string;
  categoryTitle: string;
  regionName: string;
  /** The category requires an on-site visit before Resolve and the case has none (since the last reopen). */
  needsVisit: boolean;
}

const TEXT_MAX = 4096;

/** The case card: everything an official needs to act, and the buttons for the actions still possible. */
export function renderCaseCard(r: ReportDoc, c: CardContext): { html: string; keyboard: InlineKeyboard | undefined } {
  const { t } = c;
  const coords = r.location?.coordinates;
  const where = coords && coords.length >= 2 ? t("summary-coordinates", formatCoordinates(coords[1]!, coords[0]!)) : t("staff-no-coordinates", { address: r.address });
  const place = [r.venueTitle, r.address && coords ? r.address : "", where].filter(Boolean).join(" — ");
  // A staff group has many members: the card shows the number masked; "📞 Contact citizen" gives it whole, in private.
  const phone = maskPhone(r.citizen.phone);
  const reporter = [r.citizen.name, r.citizen.username ? ltr(`@${r.citizen.username}`) : "", phone ? t("card-phone", { phone }) : ""].filter(Boolean).join(" ");
  // Someone looking up the number is not the case's last action.
  const last = r.history.findLast((h) => h.kind !== "phone_viewed");
  const lastAction = last ? t("card-last-action", { who: last.by.name || t(`actor-${last.by.kind}`), what: t(`history-${last.kind ?? "status"}`, { status: t(`status-${last.to}`) }), when: formatDate(last.at, c.locale, c.timeZone) }) : "";
  const render = (description: string) =>
    [
      t("card-title", { code: formatCode(r.code), status: t(`status-${r.status}`) }),
      t("card-category", { category: escapeHtml(c.categoryTitle), region: escapeHtml(c.regionName || t("card-no-region")) }),
      // Erased at the citizen's request: the fact is shown, never what was there.
      r.erasedAt ? t("report-erased") : escapeHtml(description),
      `📍 ${escapeHtml(place)}`,
      r.needsLocationCheck ? t("card-needs-location-check") : "",
      t("card-created", { created: formatDate(r.createdAt, c.locale, c.timeZone), due: formatDate(r.resolveDueAt, c.locale, c.timeZone) }),
      t("card-reporter", { reporter: r.erasedAt ? t("report-erased") : escapeHtml(reporter || "—") }),
      r.assignee ? t("card-assignee", { name: escapeHtml(r.assignee.name ?? "") }) : r.status === "assigned" || r.status === "in_progress" ? t("card-unassigned") : "",
      r.priority > 0 ? t("card-priority", { level: r.priority }) : "",
      r.duplicateOf ? t("card-duplicate-of", { code: formatCode(r.duplicateOf) }) : "",
      visitLine(r, c),
      c.needsVisit && isOpen(r.status as ReportStatus) ? t(r.reopenedAt ? "card-needs-visit-again" : "card-needs-visit") : "",
      escapeHtml(lastAction),
    ]
      .filter(Boolean)
      .join("\n");
  let description = r.description;
  let html = render(description);
  while (html.length > TEXT_MAX && description.length > 20) {
    description = truncate(description, Math.max(20, description.length - (html.length - TEXT_MAX) - 10));
    html = render(description);
  }
  return { html, keyboard: isOpen(r.status as ReportStatus) ? cardKeyboard(r, t) : undefined };
}

/** "Visited by … at …, 40 m (live)": the newest visit, and how many there were. */
function visitLine(r: ReportDoc, c: CardContext): string {
  const v = lastVisit(r);
  if (!v) return "";
  return c.t("card-visited", {
    name: escapeHtml(v.by.name || "—"),
    when: formatDate(v.at, c.locale, c.timeZone),
    ...visitPlaceVars(v),
    count: r.visits.length,
  });
}

function cardKeyboard(r: ReportDoc, t: Translate): InlineKeyboard {
  const id = r._id.toHexString();
  const kb = new InlineKeyboard().text(t("card-btn-take"), cardData(id, "take")).text(t("card-btn-assign"), cardData(id, "assign"));
  if (r.status !== "in_progress") kb.text(t("card-btn-progress"), cardData(id, "progress"));
  kb.row().text(t("card-btn-resolve"), cardData(id, "resolve")).text(t("card-btn-reject"), cardData(id, "reject")).text(t("card-btn-dup"), cardData(id, "dup"));
  kb.row().text(t("card-btn-note"), cardData(id, "note")).text(t("card-btn-ask"), cardData(id, "ask")).text(t("card-btn-inote"), cardData(id, "inote"));
  kb.row().text(t("card-btn-visit"), cardData(id, "visit"));
  if (r.citizen.phone) kb.text(t("card-btn-contact"), cardData(id, "contact"));
  return kb;
}
