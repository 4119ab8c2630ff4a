import { stringify } from "csv-stringify/sync";
import { htmlToPlain } from "../core/capabilities.ts";
import { createI18n, translator } from "../core/i18n.ts";
import { formatWeeklyTable, tableGroupNames, tablePayloads } from "../views/weekly-table/payload.ts";
import { headingLines } from "../views/weekly-table/view.ts";
import { performanceFor, type Figures, type PerformanceTable } from "../models/report/stats.ts";
import type { Locale } from "../models/common/platform.ts";
import { DATE_HELP, dateOption, fail, parseCli, runScript, scriptConfig } from "./lib/cli.ts";

const USAGE = `Usage: npm run stats -- [--from <date>] [--to <date>] [--format text|csv|json] [--lang fa|en]

The per-region and per-department performance table (the figures the managers get weekly) for a
date range: received, resolved, median hours to first response and to resolution, % resolved
within SLA, open and overdue, average rating, cases visited (at least one field visit in the
range), % of the resolved cases with an on-site visit recorded by their resolution, and the
supporters of the cases received (citizens who pressed "Me too" or followed a duplicate hint).
"Overdue" counts cases open now and past their deadline as of --to (or now, if --to is later).

Options:
  --from <date>          range start: ${DATE_HELP}; default: 7 days before --to
  --to <date>            range end, exclusive (a YYYY-MM-DD date includes that whole day); default: now
  --format text|csv|json text = a monospace table titled with the range's dates (default); csv/json for spreadsheets
  --lang fa|en           language of the text table (default DEFAULT_LOCALE)
  -h, --help             this text

Environment: MONGODB_URI (required), TZ_NAME, DEFAULT_LOCALE.`;

const FORMATS = ["text", "csv", "json"] as const;
const DAY = 86_400_000;

function parse(timeZone: string, defaultLocale: Locale, now: Date) {
  const { values: v } = parseCli(USAGE, {
    from: { type: "string" },
    to: { type: "string" },
    format: { type: "string", default: "text" },
    lang: { type: "string", default: defaultLocale },
  });
  if (!(FORMATS as readonly string[]).includes(v.format))
    fail(`--format "${v.format}" is not one of ${FORMATS.join(", ")}`);
  if (v.lang !== "fa" && v.lang !== "en") fail(`--lang "${v.lang}" is not one of fa, en`);
  const to = v.to === undefined ? now : dateOption("to", v.to, timeZone, true);
  const from = v.from === undefined ? new Date(to.getTime() - 7 * DAY) : dateOption("from", v.from, timeZone);
  if (from >= to) fail(`--from must be before --to`);
  return { range: { from, to }, format: v.format as (typeof FORMATS)[number], lang: v.lang as Locale };
}

const CSV_FIGURES: (keyof Figures)[] = [
  "received",
  "resolved",
  "medianFirstResponseHours",
  "medianResolveHours",
  "withinSlaPct",
  "openOverdue",
  "avgRating",
  "visited",
  "resolvedWithVisitPct",
  "supporters",
];
const CSV_HEADER = [
  "section",
  "key",
  "received",
  "resolved",
  "median_first_response_hours",
  "median_resolve_hours",
  "within_sla_pct",
  "open_overdue",
  "avg_rating",
  "visited",
  "resolved_with_onsite_visit_pct",
  "supporters",
];
const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

/** One line per region, per department, and the total; empty cells where there is nothing to divide. */
function toCsv(t: PerformanceTable): string {
  const line = (section: string, key: string, f: Figures) => [section, key, ...CSV_FIGURES.map((k) => round(f[k]))];
  return stringify([
    CSV_HEADER,
    ...t.regions.map((r) => line("region", r.key, r)),
    ...t.departments.map((r) => line("department", r.key, r)),
    line("total", "", t.total),
  ]);
}

async function toText(t: PerformanceTable, lang: Locale, timeZone: string): Promise<string> {
  const tr = translator(createI18n(lang), lang);
  const parts: string[] = [];
  // Titled with the range's dates, as /stats is: "weekly" belongs to the weekly job's table only.
  for (const p of tablePayloads(t))
    parts.push(
      htmlToPlain(
        formatWeeklyTable(
          p,
          await tableGroupNames(p.section, lang),
          tr,
          lang,
          timeZone,
          headingLines(p, tr, lang, timeZone, "range")[0],
        ),
      ),
    );
  return `${parts.join("\n\n")}\n`;
}

async function main(): Promise<void> {
  const cfg = scriptConfig();
  const now = new Date();
  const { range, format, lang } = parse(cfg.TZ_NAME, cfg.DEFAULT_LOCALE, now);
  await runScript(cfg, async () => {
    // Deadlines are judged at the end of the range, or now for a range reaching into the future.
    const table = await performanceFor(range, range.to < now ? range.to : now);
    if (format === "json") process.stdout.write(`${JSON.stringify(table, null, 2)}\n`);
    else process.stdout.write(format === "csv" ? toCsv(table) : await toText(table, lang, cfg.TZ_NAME));
  });
}

main().catch((err: unknown) => fail(`stats failed: ${err instanceof Error ? err.message : String(err)}`));
