import { Types } from "mongoose";
import { Report, type ReportDoc, type VisitEntry } from "./report.ts";
import { updateCase, type Notice } from "./report-transition.ts";
import { staffActor } from "../people/staff-actor.ts";
import { cardChat } from "./card-chat.ts";
import { DomainError } from "../common/errors.ts";
import { isOpen, type ReportStatus } from "./report-status.ts";
import type { CategoryView } from "../geography/category.ts";
import type { StaffMember } from "../people/staff.ts";

type Id = Types.ObjectId | string;

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine; well within a metre at city scale). */
export function distanceMeters(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface SiteCheck {
  /** Metres to the reported point, rounded; null when the report has no coordinates. */
  distanceM: number | null;
  radiusM: number;
  onSite: boolean;
}

/**
 * Where the official stands against the reported point (GeoJSON [longitude, latitude]). A report without coordinates (address
 * only) cannot be checked: such a visit is recorded with no distance and counts as on site,
 * since the official's own location is the best record of the place there is.
 */
export function checkSite(
  reported: readonly number[] | null | undefined,
  at: { lat: number; lon: number },
  category: Pick<CategoryView, "visitRadiusM"> | null,
  defaultRadiusM: number,
): SiteCheck {
  const radiusM = category?.visitRadiusM ?? defaultRadiusM;
  if (!reported || reported.length < 2) return { distanceM: null, radiusM, onSite: true };
  const distanceM = Math.round(distanceMeters({ lat: reported[1]!, lon: reported[0]! }, at));
  return { distanceM, radiusM, onSite: distanceM <= radiusM };
}

/** Minutes between the location and a photo, when more than the window allows; null when within. */
export function outsideWindow(locationAt: Date, photoAt: Date, windowMinutes: number): number | null {
  const minutes = Math.abs(photoAt.getTime() - locationAt.getTime()) / 60_000;
  return minutes > windowMinutes ? Math.round(minutes) : null;
}

/**
 * The visits that let a case be resolved: on site, and seen on site after the last "not fixed"
 * (the location's time, not the save's: a visit begun before the reopening is not a new one).
 */
export function qualifyingVisits(report: Pick<ReportDoc, "visits" | "reopenedAt">): VisitEntry[] {
  const since = report.reopenedAt ?? null;
  return (report.visits ?? []).filter((v) => v.onSite && (!since || (v.locationAt ?? v.at) >= since));
}

/** True when the category's policy lets the case be resolved now. */
export function visitRequirementMet(
  report: Pick<ReportDoc, "visits" | "reopenedAt">,
  category: Pick<CategoryView, "requiresVisit"> | null,
): boolean {
  return !category?.requiresVisit || qualifyingVisits(report).length > 0;
}

/** Throws `visit_required` when the case's category needs an on-site visit it does not have yet. */
export function assertVisitRequirement(report: ReportDoc, category: Pick<CategoryView, "requiresVisit"> | null): void {
  if (!visitRequirementMet(report, category)) {
    throw new DomainError(
      "visit_required",
      report.reopenedAt
        ? `${report.code} was reopened: it needs a new on-site visit`
        : `${report.code} needs an on-site visit before Resolve`,
    );
  }
}

export interface VisitInput {
  lat: number;
  lon: number;
  live: boolean;
  locationAt: Date;
  site: SiteCheck;
  photos: Types.ObjectId[];
  note: string;
  offSiteReason: string;
  /** Tell the reporter and followers "an inspector visited the site". */
  tellCitizen: boolean;
  /** Chosen before saving, so saving the same visit again (a replay after a crash) records it once. */
  visitId?: Types.ObjectId;
}

/**
 * Records a visit on an open case: the visit, an internal (or, when the citizen is told, public)
 * history entry and the citizen's notice in one write. An off-site visit needs a reason; at
 * least one photo is the proof.
 */
export async function recordVisit(id: Id, who: StaffMember, v: VisitInput, now: Date): Promise<ReportDoc> {
  const r = await Report.findById(id).lean<ReportDoc>();
  if (!r) throw new DomainError("not_found", `report ${String(id)} not found`);
  if (v.visitId && findVisit(r, v.visitId)) return r;
  if (!isOpen(r.status as ReportStatus)) throw new DomainError("bad_transition", `report ${r.code} is closed`);
  if (v.photos.length === 0) throw new DomainError("bad_transition", "a visit needs at least one site photo");
  if (!v.site.onSite && v.offSiteReason.trim() === "")
    throw new DomainError("bad_transition", "an off-site visit needs a reason");
  const visitId = v.visitId ?? new Types.ObjectId();
  const visit = {
    _id: visitId,
    at: now,
    by: { platform: who.platform, userId: who.userId, name: who.name },
    location: { type: "Point", coordinates: [v.lon, v.lat] },
    live: v.live,
    locationAt: v.locationAt,
    distanceM: v.site.distanceM,
    onSite: v.site.onSite,
    offSiteReason: v.site.onSite ? "" : v.offSiteReason.trim(),
    photos: v.photos,
    note: v.note.trim(),
    public: v.tellCitizen,
  };
  const chat = cardChat(r);
  const notices: Notice[] = [
    ...(v.tellCitizen
      ? [{ to: "citizens", kind: "site_visit", payload: { at: now.toISOString() } } satisfies Notice]
      : []),
    // The proof goes under the card, so colleagues and managers see what the official saw.
    ...(chat
      ? [{ to: { chat }, kind: "staff_visit", payload: { visitId: visitId.toHexString() } } satisfies Notice]
      : []),
  ];
  const updated = await updateCase(id, {
    kind: "visit",
    actor: staffActor(who),
    // The history line says how far (as a number, rendered per reader); notes and reasons stay in the visit, internal.
    facts: { distanceM: v.site.distanceM },
    public: v.tellCitizen,
    push: { visits: visit },
    // Still open at the moment of writing (a case resolved meanwhile gets no visit), and not recorded already.
    where: { closedAt: null, "visits._id": { $ne: visitId } },
    notices,
    now,
  }).catch(async (err: unknown) => {
    // Lost the race to a save of this same visit: that one recorded it.
    const again =
      err instanceof DomainError && err.reason === "conflict" ? await Report.findById(id).lean<ReportDoc>() : null;
    if (again && findVisit(again, visitId)) return again;
    throw err;
  });
  // The first visit's time only moves earlier, whoever saves first ($min would keep a null).
  const first = await Report.updateOne(
    { _id: updated._id, $or: [{ firstVisitAt: null }, { firstVisitAt: { $gt: now } }] },
    { $set: { firstVisitAt: now } },
    { timestamps: false },
  );
  return first.modifiedCount > 0 ? { ...updated, firstVisitAt: now } : updated;
}

/** One visit of a case by its id (an ObjectId or its hex string). */
export function findVisit(r: Pick<ReportDoc, "visits">, visitId: Types.ObjectId | string): VisitEntry | null {
  const hex = String(visitId);
  return (r.visits ?? []).find((x) => x._id?.toHexString() === hex) ?? null;
}

/** The newest visit, for the card line "visited by … at …, 40 m". */
export function lastVisit(report: Pick<ReportDoc, "visits">): VisitEntry | null {
  return report.visits?.at(-1) ?? null;
}
