import { createWriteStream } from "node:fs";
import { formatDate } from "../core/format.ts";
import {
  EXPORT_FORMATS,
  exportQuery,
  exportReports,
  type ExportFilter,
  type ExportFormat,
} from "../models/ops/report-export.ts";
import { Region } from "../models/geography/region.ts";
import { Report } from "../models/report/report.ts";
import { STATUSES, type ReportStatus } from "../models/report/report-status.ts";
import { DATE_HELP, dateOption, fail, parseCli, progress, runScript, scriptConfig } from "./lib/cli.ts";

const USAGE = `Usage: npm run export -- [--format csv|jsonl] [--out <file>] [filters] [--with-text] [--with-personal] [--photos <dir>]

Exports reports, oldest first, streaming (constant memory however many there are). CSV is UTF-8
with a BOM so Excel shows Persian; dates are given in ISO and in the Jalali calendar (TZ_NAME).
Progress goes to stderr, so stdout carries only the data. CSV cells that a spreadsheet would run as
a formula (starting with = + - @, tab or CR) are prefixed with ' (shown as text); the code column
is text too ('12345678), so Excel keeps it whole.

Options:
  --format csv|jsonl   output format (default csv)
  --out <file>         write to a file instead of stdout
  --from <date>        reports created at or after: ${DATE_HELP}
  --to <date>          reports created before (a YYYY-MM-DD date includes that whole day)
  --status <list>      comma-separated: ${STATUSES.join(", ")}
  --region <list>      comma-separated region keys (e.g. r1,r2); unknown keys are refused
  --category <list>    comma-separated category keys (e.g. road,water)
  --with-text          add what citizens wrote: description, address and venue title (off by default:
                       free text may hold names, addresses, phone numbers)
  --with-personal      add the citizen's name, username and phone, and the text above (off by default: personal data)
  --photos <dir>       also write each report's photos to <dir>/<code>-<n>.<ext> (jpg, png…: by the file's content)
  -h, --help           this text

Environment: MONGODB_URI (required), TZ_NAME.`;

const list = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);

function parse(timeZone: string) {
  const { values: v } = parseCli(USAGE, {
    format: { type: "string", default: "csv" },
    out: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    status: { type: "string" },
    region: { type: "string" },
    category: { type: "string" },
    "with-personal": { type: "boolean", default: false },
    "with-text": { type: "boolean", default: false },
    photos: { type: "string" },
  });
  if (!(EXPORT_FORMATS as readonly string[]).includes(v.format))
    fail(`--format "${v.format}" is not one of ${EXPORT_FORMATS.join(", ")}`);
  const statuses = list(v.status);
  const bad = statuses?.find((s) => !(STATUSES as readonly string[]).includes(s));
  if (bad !== undefined) fail(`--status "${bad}" is not a status; statuses: ${STATUSES.join(", ")}`);
  const filter: ExportFilter = {
    from: v.from === undefined ? undefined : dateOption("from", v.from, timeZone),
    to: v.to === undefined ? undefined : dateOption("to", v.to, timeZone, true),
    statuses: statuses as ReportStatus[] | undefined,
    regions: list(v.region),
    categories: list(v.category),
  };
  return {
    filter,
    format: v.format as ExportFormat,
    out: v.out,
    withPersonal: v["with-personal"],
    withText: v["with-text"],
    photosDir: v.photos,
  };
}

/** A --region key no region has (active or not: old reports keep a retired region's key); null when all exist. */
async function unknownRegion(keys: string[] | undefined): Promise<string | null> {
  if (!keys || keys.length === 0) return null;
  const known = ((await Region.distinct("key")) as string[]).sort();
  const bad = keys.find((k) => !known.includes(k));
  return bad === undefined ? null : `--region "${bad}" is not a region; regions: ${known.join(", ")}`;
}

async function main(): Promise<void> {
  const cfg = scriptConfig();
  const args = parse(cfg.TZ_NAME);
  await runScript(cfg, async () => {
    const problem = await unknownRegion(args.filter.regions);
    if (problem) {
      console.error(problem);
      return 1;
    }
    const bar = progress("exported", await Report.countDocuments(exportQuery(args.filter)));
    const result = await exportReports(args.filter, {
      format: args.format,
      out: args.out ? createWriteStream(args.out) : process.stdout,
      withPersonal: args.withPersonal,
      withText: args.withText,
      jalali: (d) => formatDate(d, "fa", cfg.TZ_NAME),
      photosDir: args.photosDir,
      onRow: () => bar.tick(),
    });
    bar.done();
    console.error(
      `exported ${result.reports} reports${args.photosDir ? `, ${result.photos} photos to ${args.photosDir}` : ""}`,
    );
  });
}

main().catch((err: unknown) => fail(`export failed: ${err instanceof Error ? err.message : String(err)}`));
