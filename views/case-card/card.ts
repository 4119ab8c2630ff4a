import { InlineKeyboard } from "grammy";
import type { Translate } from "../../core/i18n.ts";
import { escapeHtml, formatCoordinates, formatDate, ltr, truncate } from "../../core/format.ts";
import type { ReportDoc } from "../../models/report.ts";
import { isOpen, type ReportStatus } from "../../models/report-status.ts";
import { formatCode } from "../../models/tracking-code.ts";
import { lastVisit } from "../../models/visit.ts";
import { maskPhone } from "../../models/phone-mask.ts";
import { visitPlaceVars } from "../visit-lines.ts";
import { historyLine } from "../history.ts";
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
  const lastAction = last ? historyLine(last, c, { for: "card" }) : "";
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

/**
 * Where a case stands, as far as its buttons go. A card in a group is one message for everyone, so
 * the buttons follow the case's state, never the viewer; each press checks the presser's role.
 */
export type CardState = "free" | "held" | "working" | "working_free";

export function cardState(r: Pick<ReportDoc, "status" | "assignee">): CardState {
  if (r.status === "in_progress") return r.assignee ? "working" : "working_free";
  return r.assignee ? "held" : "free";
}

/**
 * State → buttons, row by row. Take only while nobody holds the case (after that managers hand it
 * on with Assign…); In progress only before work started. Contact shows only when there is a phone.
 */
export const CARD_BUTTONS: Record<CardState, readonly (readonly CardAction[])[]> = {
  // New, reopened with nobody on it, or its official was removed.
  free: [["take", "assign", "progress"], ["resolve", "reject", "dup"], ["note", "ask", "inote"], ["visit", "contact"]],
  // Taken or assigned (a reopened case keeps its official): they start it; managers may hand it on.
  held: [["assign", "progress"], ["resolve", "reject", "dup"], ["note", "ask", "inote"], ["visit", "contact"]],
  // Work started.
  working: [["assign"], ["resolve", "reject", "dup"], ["note", "ask", "inote"], ["visit", "contact"]],
  // Work started, then its official was removed: someone takes it over.
  working_free: [["take", "assign"], ["resolve", "reject", "dup"], ["note", "ask", "inote"], ["visit", "contact"]],
};

function cardKeyboard(r: ReportDoc, t: Translate): InlineKeyboard {
  const id = r._id.toHexString();
  const rows = CARD_BUTTONS[cardState(r)].map((row) => row.filter((action) => action !== "contact" || r.citizen.phone).map((action) => InlineKeyboard.text(t(`card-btn-${action}`), cardData(id, action))));
  return InlineKeyboard.from(rows.filter((row) => row.length > 0));
}
