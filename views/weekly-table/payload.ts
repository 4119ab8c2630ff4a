import type { Translate } from "../../core/i18n.ts";
import { escapeHtml, formatDate } from "../../core/format.ts";
import type { Figures, PerformanceTable, TableRow } from "../../models/report/stats.ts";
import { listDepartmentNames, listRegionNames } from "../../models/geography/region.ts";
import type { Locale } from "../../models/common/platform.ts";

export const WEEKLY_SECTIONS = ["regions", "departments"] as const;
export type WeeklySection = (typeof WEEKLY_SECTIONS)[number];

/** What the weekly-table job queues: one message per section, the figures frozen at run time. */
export interface WeeklyTablePayload {
  section: WeeklySection;
  from: string;
  to: string;
  rows: TableRow[];
  /** Rows left out to stay under the message limit (they still count in the total). */
  more: number;
  total: Figures;
}

const CELL = 7;
/** Right-to-left mark: starts every line of a Persian table RTL, so the header and the number rows mirror alike. */
const RLM = "\u200f";

/** The cells of the monospace tables (this one and /visits): counts, hours, stars, percentages; "—" for nothing to show. */
export function cellFormats(locale: Locale) {
  const tag = locale === "fa" ? "fa-IR" : "en-US";
  const count = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const hours = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
  const stars = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const pct = new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 0 });
  // undefined: a row queued before a column existed (frozen payloads outlive a deploy) shows "—", not NaN.
  const or = (v: number | null | undefined, f: Intl.NumberFormat, scale = 1) =>
    v === null || v === undefined ? "—" : f.format(v / scale);
  return {
    count: (v: number | undefined) => or(v, count),
    hours: (v: number | null | undefined) => or(v, hours),
    stars: (v: number | null | undefined) => or(v, stars),
    pct: (v: number | null | undefined) => or(v, pct, 100),
  };
}

/** Lines of a monospace table: a plain line (a name) and a line of right-aligned cells, both RTL in Persian. */
export function tableLines(locale: Locale) {
  const lead = locale === "fa" ? RLM : "";
  return {
    text: (s: string) => lead + s,
    cells: (values: string[]) => lead + values.map((v) => v.padStart(CELL)).join(""),
  };
}

/** One row's ten cells, in COLUMNS order, in the locale's digits: the monospace table and the phone text alike. */
export function cellFormatter(locale: Locale) {
  const c = cellFormats(locale);
  return (f: Figures): string[] => [
    c.count(f.received),
    c.count(f.resolved),
    c.hours(f.medianFirstResponseHours),
    c.hours(f.medianResolveHours),
    c.pct(f.withinSlaPct),
    c.count(f.openOverdue),
    c.stars(f.avgRating),
    c.count(f.visited),
    c.pct(f.resolvedWithVisitPct),
    c.count(f.supporters),
  ];
}

export const COLUMNS = [
  "received",
  "resolved",
  "first",
  "fix",
  "sla",
  "overdue",
  "rating",
  "visited",
  "onsite",
  "supporters",
] as const;

/**
 * The table as monospace HTML: a title, the date range, and a <pre> block with a name line and a
 * number line per group (names vary in width and script; the number columns stay aligned). For a
 * terminal (`npm run stats`); chats get the picture and the phone text (weekly-table-send.ts).
 */
export function formatWeeklyTable(
  p: WeeklyTablePayload,
  names: Map<string, string>,
  t: Translate,
  locale: Locale,
  timeZone: string,
  title = t(`weekly-title-${p.section}`),
): string {
  const cells = cellFormatter(locale);
  const { text, cells: line } = tableLines(locale);
  const nameOf = (key: string) => names.get(key) ?? (key === "" ? t("weekly-no-region") : key);
  const body = [
    line(COLUMNS.map((c) => t(`weekly-col-${c}`))),
    ...p.rows.flatMap((r) => [text(nameOf(r.key)), line(cells(r))]),
    text(t("weekly-total")),
    line(cells(p.total)),
  ];
  return [
    `<b>${escapeHtml(title)}</b>`,
    escapeHtml(
      t("weekly-range", {
        from: formatDate(new Date(p.from), locale, timeZone),
        to: formatDate(new Date(p.to), locale, timeZone),
      }),
    ),
    p.rows.length === 0 ? escapeHtml(t("weekly-empty")) : `<pre>${escapeHtml(body.join("\n"))}</pre>`,
    p.more > 0 ? escapeHtml(t("weekly-more", { count: p.more })) : "",
    escapeHtml(t("weekly-legend")),
  ]
    .filter(Boolean)
    .join("\n");
}

/** Rows per section: twenty four-line blocks (and the legend) keep the phone text under Telegram's 4096 characters. */
export const TABLE_MAX_ROWS = 20;

/** One message payload per section (regions, departments), the figures frozen as computed. */
export function tablePayloads(table: PerformanceTable): WeeklyTablePayload[] {
  return WEEKLY_SECTIONS.map((section) => {
    const rows = table[section];
    return {
      section,
      from: table.from.toISOString(),
      to: table.to.toISOString(),
      rows: rows.slice(0, TABLE_MAX_ROWS),
      more: Math.max(0, rows.length - TABLE_MAX_ROWS),
      total: table.total,
    };
  });
}

/** Region or department display names in the message's language. */
export async function tableGroupNames(section: WeeklySection, locale: Locale): Promise<Map<string, string>> {
  const rows = section === "regions" ? await listRegionNames() : await listDepartmentNames();
  return new Map(rows.map((r) => [r.key, r.name?.[locale] ?? r.key]));
}
