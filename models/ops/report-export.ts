import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Writable } from "node:stream";
import { stringify } from "csv-stringify";
import { Report, type ReportDoc } from "../report/report.ts";
import { readPhoto } from "../report/photos.ts";
import type { ReportStatus } from "../report/report-status.ts";

const HOUR = 3_600_000;

export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFilter {
  /** createdAt ≥ from */
  from?: Date;
  /** createdAt < to */
  to?: Date;
  statuses?: ReportStatus[];
  regions?: string[];
  categories?: string[];
}

/** The MongoDB filter for an export (createdAt range is index-backed). */
export function exportQuery(f: ExportFilter): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (f.from || f.to) q.createdAt = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) };
  if (f.statuses?.length) q.status = { $in: f.statuses };
  if (f.regions?.length) q.regionKey = { $in: f.regions };
  if (f.categories?.length) q.categoryKey = { $in: f.categories };
  return q;
}

/** What a row needs; history, followers and the outbox stay in the database (they can be large). */
const PROJECTION = { history: 0, followers: 0, pendingOutbox: 0, card: 0, infoRequest: 0 } as const;
export type ExportDoc = Omit<ReportDoc, keyof typeof PROJECTION>;

/**
 * Reports oldest first, one batch at a time from the server: memory stays flat however many match.
 * The sort is on the createdAt index alone (adding _id would make MongoDB sort 1M rows in memory).
 */
export function exportCursor(f: ExportFilter) {
  return Report.find(exportQuery(f), PROJECTION).sort({ createdAt: 1 }).lean<ExportDoc>().cursor();
}

export const BASE_COLUMNS = [
  "code",
  "platform",
  "status",
  "category",
  "department",
  "region",
  "created_at",
  "created_jalali",
  "resolved_at",
  "resolved_jalali",
  "lat",
  "lon",
  "address",
  "venue_title",
  "description",
  "assignee",
  "first_response_hours",
  "resolve_hours",
  "within_sla",
  "rating",
  "photos",
  "visits",
  "onsite_visit",
  "first_visit_hours",
] as const;
/**
 * What the citizen wrote in their own words: a description or address often names a person, a
 * house or a phone number. Only with --with-text (or --with-personal), in their place above.
 */
export const TEXT_COLUMNS = ["address", "venue_title", "description"] as const;
/** Personal data of the reporter: only with --with-personal. */
export const PERSONAL_COLUMNS = ["citizen_name", "citizen_username", "citizen_phone"] as const;

export type Cell = string | number | boolean | null;
export type ExportRow = Record<string, Cell>;

export interface ColumnOptions {
  withPersonal: boolean;
  withText?: boolean;
}

/** Personal data includes the free text: --with-personal alone is enough for both. */
const withFreeText = (o: ColumnOptions) => o.withPersonal || o.withText === true;

export function exportColumns(o: ColumnOptions): string[] {
  const text = withFreeText(o);
  const base = BASE_COLUMNS.filter((c) => text || !(TEXT_COLUMNS as readonly string[]).includes(c));
  return [...base, ...(o.withPersonal ? PERSONAL_COLUMNS : [])];
}

export interface RowOptions extends ColumnOptions {
  /** Jalali date in the city's time zone (the bot's formatDate); injected so models/ stays free of bot/. */
  jalali: (d: Date) => string;
}

const hours = (from: Date, to: Date | null | undefined) =>
  to ? Math.round(((to.getTime() - from.getTime()) / HOUR) * 100) / 100 : null;

export function exportRow(r: ExportDoc, o: RowOptions): ExportRow {
  const [lon, lat] = r.location?.coordinates ?? [];
  const row: ExportRow = {
    code: r.code,
    platform: r.platform,
    status: r.status,
    category: r.categoryKey,
    department: r.department,
    region: r.regionKey,
    created_at: r.createdAt.toISOString(),
    created_jalali: o.jalali(r.createdAt),
    resolved_at: r.resolvedAt ? r.resolvedAt.toISOString() : null,
    resolved_jalali: r.resolvedAt ? o.jalali(r.resolvedAt) : null,
    lat: lat ?? null,
    lon: lon ?? null,
    address: r.address,
    venue_title: r.venueTitle,
    description: r.description,
    assignee: r.assignee?.name ?? null,
    first_response_hours: hours(r.createdAt, r.firstResponseAt),
    resolve_hours: hours(r.createdAt, r.resolvedAt),
    // Only resolved cases have an answer; open ones are not yet late or on time.
    within_sla: r.resolvedAt ? r.resolvedAt <= r.resolveDueAt : null,
    rating: r.feedback?.rating ?? null,
    photos: r.photos.length,
    // Field visits: how many, whether anyone was on site, and how long the first took.
    visits: r.visits?.length ?? 0,
    onsite_visit: (r.visits ?? []).some((v) => v.onSite),
    first_visit_hours: hours(r.createdAt, r.firstVisitAt),
  };
  if (!withFreeText(o)) for (const c of TEXT_COLUMNS) delete row[c];
  if (o.withPersonal)
    Object.assign(row, {
      citizen_name: r.citizen.name,
      citizen_username: r.citizen.username,
      citizen_phone: r.citizen.phone,
    });
  return row;
}

/**
 * The tracking code as text for Excel, which would read 01234567 as the number 1234567. Of the
 * usual tricks, `="01234567"` is itself a formula (and escape_formulas turns it into text
 * `'="01234567"`), and a leading tab is one of the characters escape_formulas escapes; a leading
 * apostrophe is the same marker escape_formulas uses, so one rule reads the whole file: a cell
 * starting with ' is text. JSON lines keep the code as it is (a JSON string is already text).
 */
function excelText(code: string): string {
  return `'${code}`;
}

/**
 * The file extension of an image, from its first bytes (the stored content type is what the
 * platform claimed, not what the file is); "bin" for anything else.
 */
export function imageExtension(bytes: Buffer): string {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return "jpg";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (bytes.subarray(0, 4).toString("latin1") === "GIF8") return "gif";
  if (bytes.subarray(0, 4).toString("latin1") === "RIFF" && bytes.subarray(8, 12).toString("latin1") === "WEBP")
    return "webp";
  if (
    bytes.subarray(4, 8).toString("latin1") === "ftyp" &&
    /^(heic|heix|heim|heis|mif1|msf1)$/.test(bytes.subarray(8, 12).toString("latin1"))
  )
    return "heic";
  return "bin";
}

/** Writes the report's GridFS photos as `<dir>/<code>-<n>.<ext>` (n from 1, ext by content: jpg, png…); returns how many. */
export async function writeReportPhotos(r: ExportDoc, dir: string): Promise<number> {
  let n = 0;
  for (const p of r.photos) {
    if (!p.gridfsId) continue; // never copied into GridFS: nothing to export
    const bytes = await readPhoto(p.gridfsId);
    await writeFile(path.join(dir, `${r.code}-${++n}.${imageExtension(bytes)}`), bytes);
  }
  return n;
}

export interface ExportOptions extends RowOptions {
  format: ExportFormat;
  out: Writable;
  /** Also write photos into this folder (created if missing). */
  photosDir?: string;
  /** Called after each report, for progress. */
  onRow?: () => void;
}

export interface ExportResult {
  reports: number;
  photos: number;
}

/**
 * Streams matching reports to `out` as CSV (UTF-8 BOM, header) or JSON lines. The cursor, the row
 * mapping and the writer are one pipeline, so a slow `out` pauses the cursor (backpressure).
 */
export async function exportReports(filter: ExportFilter, o: ExportOptions): Promise<ExportResult> {
  const result: ExportResult = { reports: 0, photos: 0 };
  if (o.photosDir) await mkdir(o.photosDir, { recursive: true });
  const photosDir = o.photosDir;
  async function* rows(docs: AsyncIterable<ExportDoc>) {
    for await (const doc of docs) {
      if (photosDir) result.photos += await writeReportPhotos(doc, photosDir);
      result.reports++;
      o.onRow?.();
      yield exportRow(doc, o);
    }
  }
  const encode =
    o.format === "csv"
      ? stringify({
          header: true,
          bom: true,
          columns: exportColumns(o),
          // A cell starting with = + - @ tab or CR is run as a formula by spreadsheets (CSV injection:
          // =HYPERLINK(…) in a description leaks the sheet). csv-stringify prefixes those with "'"; numbers stay numbers.
          escape_formulas: true,
          cast: { boolean: (v) => (v ? "yes" : "no"), string: (v, ctx) => (ctx.column === "code" ? excelText(v) : v) },
        })
      : async function* (source: AsyncIterable<ExportRow>) {
          for await (const row of source) yield `${JSON.stringify(row)}\n`;
        };
  await pipeline(exportCursor(filter), rows, encode, o.out);
  return result;
}
