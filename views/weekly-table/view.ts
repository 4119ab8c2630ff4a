import type { Translate } from "../../core/i18n.ts";
import { formatDate, formatDay } from "../../core/format.ts";
import type { Figures } from "../../models/report/stats.ts";
import type { Locale } from "../../models/common/platform.ts";
import { cellFormats, cellFormatter, COLUMNS, type WeeklyTablePayload } from "./payload.ts";

/**
 * A performance table section in the reader's language, every figure already a display string: what
 * both the image (weekly-table-svg.ts) and the phone text (weekly-table-text.ts) draw, so the two
 * always show the same numbers.
 */
export interface TableView {
  locale: Locale;
  /** The title, then (the weekly job only) the range with times. */
  heading: string[];
  /** The ten figure labels, in column order. */
  columns: string[];
  rows: TableViewRow[];
  total: TableViewRow;
  /** "…and N more rows": rows left out to stay in one message; "" when none. */
  more: string;
  /** "No cases in this period" when the section has no rows; "" otherwise. */
  empty: string;
  chartTitle: string;
  /** What each column means, a line each. */
  legend: string[];
}

export interface TableViewRow {
  name: string;
  /** The ten figures as shown, in column order ("—" where there is nothing to show). */
  cells: string[];
  /** The phone text's three short lines of figures. */
  lines: string[];
  /** % resolved on time, 0–100, for the bar; null: nothing resolved. */
  onTimePct: number | null;
  onTime: string;
}

/**
 * Which range the title names. "weekly": the weekly job's last 7 days (a title that says "weekly"
 * and the range with times); "range": any other period (/stats, the stats script), whose title
 * carries the dates themselves.
 */
export type TableHeading = "weekly" | "range";

/** The title (and, weekly, the range with times) of a section. */
export function headingLines(
  p: WeeklyTablePayload,
  t: Translate,
  locale: Locale,
  timeZone: string,
  heading: TableHeading,
): string[] {
  const from = new Date(p.from);
  const to = new Date(p.to);
  if (heading === "weekly")
    return [
      t(`weekly-title-${p.section}`),
      t("weekly-range", { from: formatDate(from, locale, timeZone), to: formatDate(to, locale, timeZone) }),
    ];
  // `to` is exclusive ("--to 2026-11-27" is the next midnight): the last day shown is the one before it.
  return [
    t(`stats-title-${p.section}`, {
      from: formatDay(from, locale, timeZone),
      to: formatDay(new Date(to.getTime() - 1), locale, timeZone),
    }),
  ];
}

export function buildTableView(
  p: WeeklyTablePayload,
  names: Map<string, string>,
  t: Translate,
  locale: Locale,
  timeZone: string,
  heading: TableHeading,
): TableView {
  const c = cellFormats(locale);
  const figureCells = cellFormatter(locale);
  const hours = (v: number | null | undefined) =>
    v === null || v === undefined ? "—" : t("weekly-hours", { hours: c.hours(v) });
  const row = (name: string, f: Figures): TableViewRow => {
    const cells = figureCells(f);
    const [received, resolved, , , sla, overdue, rating, visited, onsite, supporters] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    return {
      name,
      cells,
      lines: [
        t("weekly-line-cases", { received, resolved, sla }),
        t("weekly-line-hours", { first: hours(f.medianFirstResponseHours), fix: hours(f.medianResolveHours), overdue }),
        // Supporters only when there are some, as on the card: most rows would say "0" otherwise.
        f.supporters > 0
          ? `${t("weekly-line-visits", { rating, visited, onsite })} · ${t("weekly-line-supporters", { supporters })}`
          : t("weekly-line-visits", { rating, visited, onsite }),
      ],
      onTimePct: f.withinSlaPct ?? null,
      onTime: sla,
    };
  };
  const nameOf = (key: string) => names.get(key) ?? (key === "" ? t("weekly-no-region") : key);
  return {
    locale,
    heading: headingLines(p, t, locale, timeZone, heading),
    columns: COLUMNS.map((col) => t(`weekly-col-${col}`)),
    rows: p.rows.map((r) => row(nameOf(r.key), r)),
    total: row(t("weekly-total"), p.total),
    more: p.more > 0 ? t("weekly-more", { count: p.more }) : "",
    empty: p.rows.length === 0 ? t("weekly-empty") : "",
    chartTitle: t("weekly-chart-title"),
    legend: t("weekly-legend").split("\n").filter(Boolean),
  };
}
