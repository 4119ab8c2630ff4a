import { InlineKeyboard } from "grammy";
import type { Translate } from "../../core/i18n.ts";
import { escapeHtml, formatCoordinates, formatDate, ltr, truncate } from "../../core/format.ts";
import type { ReportDoc } from "../../models/report/report.ts";
import { isOpen, type ReportStatus } from "../../models/report/report-status.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { lastVisit } from "../../models/report/visit.ts";
import { maskPhone } from "../../models/people/phone-mask.ts";
import { visitPlaceVars } from "../visit-lines.ts";
import { historyLine } from "../history.ts";
import type { Locale } from "../../models/common/platform.ts";
import { encode } from "../buttons/callback-data.ts";
import { attributeAnswerLines } from "../attribute-answers.ts";
import type { CategoryAttribute } from "../../models/geography/category.ts";
import { CARD_BUTTONS, cardState } from "./card-buttons.ts";

export interface CardContext {
  t: Translate;
  locale: Locale;
  timeZone: string;
  categoryTitle: string;
  regionName: string;
  /** The category requires an on-site visit before Resolve and the case has none (since the last reopen). */
  needsVisit: boolean;
  /** The category's extra questions, naming the answers; absent = answers shown by their codes. */
  attributes?: readonly CategoryAttribute[];
}

const TEXT_MAX = 4096;

/** The case card: everything an official needs to act, and the buttons for the actions still possible. */
export function renderCaseCard(r: ReportDoc, c: CardContext): { html: string; keyboard: InlineKeyboard | undefined } {
  const { t } = c;
  const coords = r.location?.coordinates;
  const where =
    coords && coords.length >= 2
      ? t("summary-coordinates", formatCoordinates(coords[1]!, coords[0]!))
      : t("staff-no-coordinates", { address: r.address });
  const place = [r.venueTitle, r.address && coords ? r.address : "", where].filter(Boolean).join(" — ");
  // A staff group has many members: the card shows the number masked; "📞 Contact citizen" gives it whole, in private.
  const phone = maskPhone(r.citizen.phone);
  const reporter = [
    r.citizen.name,
    r.citizen.username ? ltr(`@${r.citizen.username}`) : "",
    phone ? t("card-phone", { phone }) : "",
  ]
    .filter(Boolean)
    .join(" ");
  // Someone looking up the number is not the case's last action.
  const last = r.history.findLast((h) => h.kind !== "phone_viewed" && h.kind !== "messenger_linked");
  const lastAction = last ? historyLine(last, c, { for: "card" }) : "";
  const render = (description: string) =>
    [
      t("card-title", { code: formatCode(r.code), status: t(`status-${r.status}`) }),
      t("card-category", {
        category: escapeHtml(c.categoryTitle),
        region: escapeHtml(c.regionName || t("card-no-region")),
      }),
      // Erased at the citizen's request: the fact is shown, never what was there.
      r.erasedAt ? t("report-erased") : escapeHtml(description),
      // The citizen's own words too: gone with the description on erasure.
      ...(r.erasedAt
        ? []
        : attributeAnswerLines(c.attributes ?? [], r.attributes, {
            t,
            locale: c.locale,
            timeZone: c.timeZone,
            html: true,
          })),
      `📍 ${escapeHtml(place)}`,
      r.needsLocationCheck ? t("card-needs-location-check") : "",
      t("card-created", {
        created: formatDate(r.createdAt, c.locale, c.timeZone),
        due: formatDate(r.resolveDueAt, c.locale, c.timeZone),
      }),
      t("card-reporter", { reporter: r.erasedAt ? t("report-erased") : escapeHtml(reporter || "—") }),
      r.assignee
        ? t("card-assignee", { name: escapeHtml(r.assignee.name ?? "") })
        : r.status === "assigned" || r.status === "in_progress"
          ? t("card-unassigned")
          : "",
      r.priority > 0 ? t("card-priority", { level: r.priority }) : "",
      r.duplicateOf ? t("card-duplicate-of", { code: formatCode(r.duplicateOf) }) : "",
      // Followers ("👍 Me too", the duplicate hint): how many citizens back the case.
      r.followers.length > 0 ? t("card-supporters", { count: r.followers.length }) : "",
      visitLine(r, c),
      c.needsVisit && isOpen(r.status as ReportStatus)
        ? t(r.reopenedAt ? "card-needs-visit-again" : "card-needs-visit")
        : "",
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
  const rows = CARD_BUTTONS[cardState(r)].map((row) =>
    row
      .filter((action) => (action !== "contact" || r.citizen.phone) && (action !== "ask" || r.citizen.chatId !== 0))
      .map((action) => InlineKeyboard.text(t(`card-btn-${action}`), encode("card", { reportId: id, action }))),
  );
  return InlineKeyboard.from(rows.filter((row) => row.length > 0));
}
