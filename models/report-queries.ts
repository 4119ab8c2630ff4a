import { Report, type ReportDoc } from "./report.ts";
import { OPEN_STATUSES } from "./report-status.ts";
import type { Locale, Platform } from "./platform.ts";

export async function findReportByCode(code: string): Promise<ReportDoc | null> {
  return Report.findOne({ code }).lean<ReportDoc>();
}

export async function listCitizenReports(platform: Platform, userId: number, limit = 10): Promise<ReportDoc[]> {
  return Report.find({ platform, "citizen.userId": userId }).sort({ createdAt: -1 }).limit(limit).lean<ReportDoc[]>();
}

/** The nearest open report of the same category within `radiusM` metres (2dsphere index), if any. */
export async function findNearbyOpenReport(categoryKey: string, at: { lat: number; lon: number }, radiusM: number): Promise<ReportDoc | null> {
  return Report.findOne({
    categoryKey,
    status: { $in: OPEN_STATUSES },
    location: { $near: { $geometry: { type: "Point", coordinates: [at.lon, at.lat] }, $maxDistance: radiusM } },
  }).lean<ReportDoc>();
}

/** Is this person the reporter or a follower of the report (may see its personal details)? */
export function isOwnReport(report: ReportDoc, platform: Platform, userId: number): boolean {
  return report.platform === platform && report.citizen.userId === userId;
}

export function isFollower(report: ReportDoc, platform: Platform, userId: number): boolean {
  return report.followers.some((f) => f.platform === platform && f.userId === userId);
}

/** Adds a follower once; the reporter themself is never added. Returns false if nothing changed. */
export async function followReport(
  code: string,
  who: { platform: Platform; userId: number; chatId: number; locale: Locale },
): Promise<boolean> {
  const res = await Report.updateOne(
    {
      code,
      $nor: [{ platform: who.platform, "citizen.userId": who.userId }, { followers: { $elemMatch: { platform: who.platform, userId: who.userId } } }],
    },
    { $push: { followers: who } },
  );
  return res.modifiedCount === 1;
}
