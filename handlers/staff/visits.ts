import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import type { Translate } from "../../core/i18n.ts";
import { escapeHtml, formatDate, truncate } from "../../core/format.ts";
import { cellFormats, tableGroupNames, tableLines } from "../../views/weekly-table/payload.ts";
import {
  visitReportFor,
  type VisitFigures,
  type VisitGroup,
  type VisitReport,
} from "../../models/report/visit-stats.ts";
import type { Locale } from "../../models/common/platform.ts";
import { MAX_DAYS, parseDays } from "./stats.ts";
import { staffOrRefuse } from "./auth.ts";
import { MESSAGE_MAX } from "../../views/fit-message.ts";

/** /visits [7d|30d]: field visits per region and per official, for managers and admins. */
export const visitsHandlers = new Composer<BotContext>();

const DAY = 86_400_000;
/**
 * Rows per section: two lines each (a name of at most NAME_MAX, 21 characters of cells), so both
 * sections, headers and the legend stay well under Telegram's 4096 characters.
 */
export const VISITS_MAX_ROWS = 20;
const NAME_MAX = 40;
const COLUMNS = ["count", "onsite", "first"] as const;

export interface VisitsView {
  t: Translate;
  locale: Locale;
  timeZone: string;
  days: number;
  /** Region display names by key. */
  regions: Map<string, string>;
}

/** The /visits reply as HTML, with as many rows per section as keep it within one message. */
export function formatVisitReport(report: VisitReport, v: VisitsView): string {
  // Escaped names (& → &amp;) can outgrow the estimate behind VISITS_MAX_ROWS: fewer rows until it fits.
  for (let rows = VISITS_MAX_ROWS; ; rows = Math.floor(rows / 2)) {
    const html = renderVisitReport(report, v, rows);
    if (html.length <= MESSAGE_MAX || rows === 0) return html;
  }
}

/** Title, range, a <pre> per section (regions with the total, officials), "…and N more", legend. */
function renderVisitReport(report: VisitReport, v: VisitsView, maxRows: number): string {
  const { t, locale } = v;
  const head = [
    `<b>${escapeHtml(t("visits-title", { days: v.days }))}</b>`,
    escapeHtml(
      t("weekly-range", {
        from: formatDate(report.from, locale, v.timeZone),
        to: formatDate(report.to, locale, v.timeZone),
      }),
    ),
  ];
  if (report.total.visits === 0) return [...head, escapeHtml(t("visits-empty", { days: v.days }))].join("\n");
  const c = cellFormats(locale);
  const { text, cells } = tableLines(locale);
  const figures = (f: VisitFigures) => cells([c.count(f.visits), c.pct(f.onSitePct), c.hours(f.medianFirstVisitHours)]);
  const header = cells(COLUMNS.map((col) => t(`visits-col-${col}`)));
  const section = (title: string, groups: VisitGroup[], nameOf: (g: VisitGroup) => string, total: string[]) => {
    const shown = groups.slice(0, maxRows);
    const body = [header, ...shown.flatMap((g) => [text(truncate(nameOf(g), NAME_MAX)), figures(g)]), ...total];
    const more = groups.length - shown.length;
    return [
      `<b>${escapeHtml(title)}</b>`,
      `<pre>${escapeHtml(body.join("\n"))}</pre>`,
      more > 0 ? escapeHtml(t("visits-more", { count: more })) : "",
    ];
  };
  const regionName = (g: VisitGroup) => v.regions.get(g.key) ?? (g.key === "" ? t("weekly-no-region") : g.key);
  return [
    ...head,
    ...section(t("visits-by-region"), report.regions, regionName, [text(t("weekly-total")), figures(report.total)]),
    ...section(t("visits-by-official"), report.officials, (g) => g.name || g.key, []),
    escapeHtml(t("visits-legend")),
  ]
    .filter(Boolean)
    .join("\n");
}

visitsHandlers.command("visits", async (ctx) => {
  // The whole city's field work: managers and admins only; officials get the usual role refusal.
  if (!(await staffOrRefuse(ctx, ["manager", "admin"]))) return;
  const days = parseDays(ctx.match);
  if (days === null) return void (await ctx.reply(ctx.t("visits-usage", { max: MAX_DAYS })));
  const now = ctx.app.now();
  const report = await visitReportFor({ from: new Date(now.getTime() - days * DAY), to: now });
  const html = formatVisitReport(report, {
    t: ctx.t,
    locale: ctx.locale,
    timeZone: ctx.app.config.TZ_NAME,
    days,
    regions: await tableGroupNames("regions", ctx.locale),
  });
  await ctx.reply(html, { parse_mode: "HTML" });
});
