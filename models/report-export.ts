import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Writable } from "node:stream";
import { stringify } from "csv-stringify";
import { Report, type ReportDoc } from "./report.ts";
import { readPhoto } from "./photos.ts";
import type { ReportStatus } from "./report-status.ts";

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
  "code", "platform", "status", "category", "department", "region",
  "created_at", "created_jalali", "resolved_at", "resolved_jalali",
  "lat", "lon", "address", "description", "assignee",
  "first_response_hours", "resolve_hours", "within_sla", "rating", "photos",
  "visits", "onsite_visit", "first_visit_hours",
] as const;
/** Personal data of the reporter: only with --with-personal. */
export const PERSONAL_COLUMNS = ["citizen_name", "citizen_username", "citizen_phone"] as const;

export type Cell = string | number | boolean | null;
export type ExportRow = Record<string, Cell>;

export function exportColumns(withPersonal: boolean): string[] {
  return [...BASE_COLUMNS, ...(withPersonal ? PERSONAL_COLUMNS : [])];
}

export interface RowOptions {
  withPersonal: boolean;
  /** Jalali date in the city's time zone (the bot's formatDate); injected so models/ stays free of bot/. */
  jalali: (d: Date) => string;
}

const hours = (from: Date, to: Date | null | undefined) => (to ? Math.round(((to.getTime() - from.getTime()) / HOUR) * 100) / 100 : null);

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
  if (o.withPersonal) Object.assign(row, { citizen_name: r.citizen.name, citizen_username: r.citizen.username, citizen_phone: r.citizen.phone });
  return row;
}

/** Writes the report's GridFS photos as `<dir>/<code>-<n>.jpg` (n from 1); returns how many. */
export async function writeReportPhotos(r: ExportDoc, dir: string): Promise<number> {
  let n = 0;
  for (const p of r.photos) {
    if (!p.gridfsId) continue; // never copied into GridFS: nothing to export
    await writeFile(path.join(dir, `${r.code}-${++n}.jpg`), await readPhoto(p.gridfsId));
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
      ? stringify({ header: true, bom: true, columns: exportColumns(o.withPersonal), cast: { boolean: (v) => (v ? "yes" : "no") } })
      : async function* (source: AsyncIterable<ExportRow>) {
          for await (const row of source) yield `${JSON.stringify(row)}\n`;
        };
  await pipeline(exportCursor(filter), rows, encode, o.out);
  return result;
}
