import mongoose from "mongoose";
import { Report, type ReportDoc } from "./report.ts";
import { OPEN_STATUSES, type ReportStatus } from "./report-status.ts";
import { distanceMeters } from "../geography/geo.ts";
import { SANITIZED } from "../common/ids.ts";

export { supportCase, type SupportRefusal, type SupportResult, type Supporter } from "./report-queries.ts";

/** What a citizen may see of someone else's open case near them: facts only, nothing about who filed it. */
export interface NearbyCase {
  id: string;
  code: string;
  categoryKey: string;
  status: ReportStatus;
  createdAt: Date;
  distanceM: number;
  supporters: number;
}

export interface NearbyOptions {
  radiusM: number;
  limit: number;
}

/** Cases a citizen can support from "📍 Nearby": issue 16 §3. */
export const NEARBY_DEFAULTS: NearbyOptions = { radiusM: 500, limit: 5 };

/**
 * The open cases within `radiusM` of the point, nearest first (the plain `location` 2dsphere
 * index: the `{categoryKey, location}` one needs an equality on the category to be used).
 */
export async function openReportsNear(
  point: { lat: number; lon: number },
  o: NearbyOptions = NEARBY_DEFAULTS,
): Promise<NearbyCase[]> {
  if (!Number.isFinite(point.lat) || !Number.isFinite(point.lon)) return [];
  const docs = await Report.find(
    {
      // trusted: these operators are ours; sanitizeFilter neutralises any other.
      status: mongoose.trusted({ $in: OPEN_STATUSES }),
      location: mongoose.trusted({
        $near: { $geometry: { type: "Point", coordinates: [point.lon, point.lat] }, $maxDistance: o.radiusM },
      }),
    },
    { code: 1, categoryKey: 1, status: 1, createdAt: 1, location: 1, "followers.userId": 1 },
    SANITIZED,
  )
    .limit(o.limit)
    .lean<Pick<ReportDoc, "_id" | "code" | "categoryKey" | "status" | "createdAt" | "location" | "followers">[]>();
  return docs.flatMap((d) => {
    const c = d.location?.coordinates;
    if (!c || c.length < 2) return [];
    return [
      {
        id: d._id.toHexString(),
        code: d.code,
        categoryKey: d.categoryKey,
        status: d.status as ReportStatus,
        createdAt: d.createdAt,
        distanceM: distanceMeters(point, { lat: c[1]!, lon: c[0]! }),
        supporters: d.followers?.length ?? 0,
      },
    ];
  });
}
