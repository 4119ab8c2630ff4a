import mongoose from "mongoose";
import { Report, type HistoryEntry, type ReportDoc } from "../report/report.ts";
import { OPEN_STATUSES, STATUSES, type ReportStatus } from "../report/report-status.ts";
import { listCategoryTitles } from "../geography/category.ts";
import { listDepartmentNames, listRegionNames } from "../geography/region.ts";
import { SANITIZED } from "../common/ids.ts";
import type { Locale } from "../common/platform.ts";
import { fmsStatus, open311Status, type FmsStatus } from "./status-map.ts";
import { isoWithOffset } from "./datetime.ts";

/**
 * What a service request shows is read with this projection: the reporter, followers, chats, cards
 * and outbox rows are never even fetched, so no mapping slip can publish them.
 */
const PUBLIC_FIELDS = {
  code: 1,
  status: 1,
  categoryKey: 1,
  department: 1,
  regionKey: 1,
  description: 1,
  address: 1,
  location: 1,
  photos: 1,
  createdAt: 1,
  resolveDueAt: 1,
  erasedAt: 1,
  "history._id": 1,
  "history.at": 1,
  "history.kind": 1,
  "history.by.kind": 1,
  "history.from": 1,
  "history.to": 1,
  "history.note": 1,
  "history.public": 1,
  "history.facts.fixed": 1,
} as const;

type PublicReport = Pick<
  ReportDoc,
  | "_id"
  | "code"
  | "status"
  | "categoryKey"
  | "department"
  | "regionKey"
  | "description"
  | "address"
  | "location"
  | "photos"
  | "createdAt"
  | "resolveDueAt"
  | "erasedAt"
  | "history"
>;

/** GeoReport v2 service request, as GET requests answers it. */
export interface ServiceRequest {
  service_request_id: string;
  status: "open" | "closed";
  status_notes?: string;
  service_name: string;
  service_code: string;
  description?: string;
  agency_responsible: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string;
  address?: string;
  lat?: number;
  long?: number;
  media_url?: string;
}

/** FixMyStreet's request_update. */
export interface RequestUpdate {
  update_id: string;
  service_request_id: string;
  status: FmsStatus;
  updated_datetime: string;
  description: string;
}

export interface PublishOptions {
  locale: Locale;
  timeZone: string;
  /** OPEN311_PUBLIC_TEXT: descriptions, typed addresses and photos are published. */
  publicText: boolean;
  /** The URL of a report's first photo (only asked when publicText is on and it has one). */
  mediaUrl: (code: string) => string;
}

/**
 * A public change: a status change (not the filing itself) or a staff note the citizens were
 * sent. Questions to the reporter, their answers and everything internal stay out.
 */
function isPublicChange(h: Pick<HistoryEntry, "public" | "from" | "to" | "kind" | "by" | "facts">): boolean {
  if (!h.public || h.from === "") return false;
  if (h.from !== h.to) return true;
  if (h.kind === "note" && h.by.kind === "staff") return true;
  // "Was it fixed?" answered yes: the resolution is confirmed (FixMyStreet's CLOSED).
  return h.kind === "feedback" && h.facts?.fixed === true;
}

/** The words of a public change that staff wrote for the citizens (a resolution, a reason, a note). */
function publicNote(h: Pick<HistoryEntry, "kind" | "by" | "note">): string {
  return h.by.kind === "staff" && (h.kind === "status" || h.kind === "note") ? h.note : "";
}

interface Names {
  category: Map<string, { fa: string; en: string }>;
  region: Map<string, { fa: string; en: string }>;
  department: Map<string, { fa: string; en: string }>;
}

async function loadNames(): Promise<Names> {
  const [categories, regions, departments] = await Promise.all([
    listCategoryTitles(),
    listRegionNames(),
    listDepartmentNames(),
  ]);
  const map = (rows: { key: string; name?: { fa: string; en: string } | null }[]) =>
    new Map(rows.filter((r) => r.name).map((r) => [r.key, r.name!]));
  return {
    category: new Map(categories.map((c) => [c.key, c.title])),
    region: map(regions),
    department: map(departments),
  };
}

const nameIn = (n: { fa: string; en: string } | undefined, locale: Locale) =>
  n ? (locale === "fa" ? n.fa || n.en : n.en || n.fa) : "";

function toServiceRequest(r: PublicReport, names: Names, o: PublishOptions): ServiceRequest {
  const changes = r.history.filter(isPublicChange);
  const last = changes.at(-1);
  const note = changes.map(publicNote).findLast((n) => n !== "");
  const coords = r.location?.coordinates;
  const text = o.publicText && !r.erasedAt;
  return {
    service_request_id: r.code,
    status: open311Status(r.status as ReportStatus),
    ...(note ? { status_notes: note } : {}),
    service_name: nameIn(names.category.get(r.categoryKey), o.locale) || r.categoryKey,
    service_code: r.categoryKey,
    ...(text && r.description ? { description: r.description } : {}),
    agency_responsible:
      nameIn(r.regionKey ? names.region.get(r.regionKey) : undefined, o.locale) ||
      nameIn(names.department.get(r.department), o.locale) ||
      r.department,
    requested_datetime: isoWithOffset(r.createdAt, o.timeZone),
    updated_datetime: isoWithOffset(last?.at ?? r.createdAt, o.timeZone),
    expected_datetime: isoWithOffset(r.resolveDueAt, o.timeZone),
    ...(text && r.address ? { address: r.address } : {}),
    ...(coords && coords.length >= 2 ? { lat: coords[1]!, long: coords[0]! } : {}),
    ...(text && r.photos.some((p) => p.gridfsId) ? { media_url: o.mediaUrl(r.code) } : {}),
  };
}

export interface RequestFilter {
  /** Tracking codes: when given, every other filter is ignored (as the spec says). */
  codes?: string[];
  serviceCode?: string;
  start: Date;
  end: Date;
  status?: "open" | "closed";
}

export const MAX_REQUESTS = 1000;
const CLOSED_STATUSES = STATUSES.filter((s) => !OPEN_STATUSES.includes(s));

/** Service requests, newest first, at most MAX_REQUESTS. */
export async function findServiceRequests(f: RequestFilter, o: PublishOptions): Promise<ServiceRequest[]> {
  // trusted: these operators are ours; sanitizeFilter neutralises any other.
  const filter: Record<string, unknown> = f.codes
    ? { code: mongoose.trusted({ $in: f.codes.filter((c) => typeof c === "string") }) }
    : {
        createdAt: mongoose.trusted({ $gte: f.start, $lte: f.end }),
        ...(f.serviceCode !== undefined ? { categoryKey: f.serviceCode } : {}),
        ...(f.status
          ? { status: mongoose.trusted({ $in: f.status === "open" ? [...OPEN_STATUSES] : CLOSED_STATUSES }) }
          : {}),
      };
  const rows = await Report.find(filter, PUBLIC_FIELDS, SANITIZED)
    .sort({ createdAt: -1 })
    .limit(MAX_REQUESTS)
    .lean<PublicReport[]>();
  const names = await loadNames();
  return rows.map((r) => toServiceRequest(r, names, o));
}

/** Every public change from `start` to `end`, oldest first, at most MAX_REQUESTS. */
export async function findRequestUpdates(
  start: Date,
  end: Date,
  o: Pick<PublishOptions, "timeZone">,
): Promise<RequestUpdate[]> {
  const rows = await Report.find(
    { "history.at": mongoose.trusted({ $gte: start, $lte: end }) },
    PUBLIC_FIELDS,
    SANITIZED,
  ).lean<PublicReport[]>();
  const updates = rows.flatMap((r) =>
    r.history
      .filter((h) => h.at >= start && h.at <= end && isPublicChange(h))
      .map((h) => ({
        at: h.at,
        update: {
          update_id: h._id.toHexString(),
          service_request_id: r.code,
          status: fmsStatus(h.to as ReportStatus, h.kind === "feedback" && h.facts?.fixed === true),
          updated_datetime: isoWithOffset(h.at, o.timeZone),
          description: publicNote(h),
        },
      })),
  );
  return updates
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .slice(0, MAX_REQUESTS)
    .map((u) => u.update);
}

/** The first photo's GridFS id of a report whose texts may be published; null when it has none. */
export async function firstPhotoOf(code: string): Promise<{ id: mongoose.Types.ObjectId; mime: string } | null> {
  if (typeof code !== "string") return null;
  const r = await Report.findOne({ code, erasedAt: null }, { photos: 1 }, SANITIZED).lean();
  const p = r?.photos.find((x) => x.gridfsId);
  return p?.gridfsId ? { id: p.gridfsId, mime: p.mime } : null;
}
