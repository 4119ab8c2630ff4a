import mongoose from "mongoose";
import { Report, type ReportDoc } from "./report.ts";
import { OPEN_STATUSES } from "./report-status.ts";
import type { Locale, Platform } from "../common/platform.ts";
import { isChatId, isPlatform, isUserId, SANITIZED } from "../common/ids.ts";
import { isHexId, type Id } from "../common/object-id.ts";

// Codes, keys and ids here come from what people type and press: anything but the expected type finds nothing.

export async function findReportByCode(code: string): Promise<ReportDoc | null> {
  if (typeof code !== "string") return null;
  return Report.findOne({ code }, null, SANITIZED).lean<ReportDoc>();
}

export async function listCitizenReports(platform: Platform, userId: number, limit = 10): Promise<ReportDoc[]> {
  if (!isPlatform(platform) || !isUserId(userId)) return [];
  return Report.find({ platform, "citizen.userId": userId }, null, SANITIZED)
    .sort({ createdAt: -1 })
    .limit(limit)
    .lean<ReportDoc[]>();
}

/** The report with this id. A malformed id throws (mongoose's CastError): callers pass ids we wrote. */
export async function findReportById(id: string | Id): Promise<ReportDoc | null> {
  return Report.findById(id).lean<ReportDoc>();
}

/** The case a button names; null when there is none or the id is not one we write (forged, garbled). */
export async function findReportByButtonId(id: string): Promise<ReportDoc | null> {
  return isHexId(id) ? findReportById(id) : null;
}

/** A report's tracking code; "" when the report is gone. */
export async function reportCodeById(id: string): Promise<string> {
  return (await Report.findById(id, { code: 1 }).lean())?.code ?? "";
}

/**
 * The report a form (its key in a stale button) became, when the person pressing is its reporter:
 * the same number on the other messenger is someone else, and learns nothing from the button.
 */
export async function findSubmittedReport(
  submissionKey: string,
  platform: Platform,
  userId: number,
): Promise<Pick<ReportDoc, "_id" | "code"> | null> {
  if (typeof submissionKey !== "string" || !isPlatform(platform) || !isUserId(userId)) return null;
  return Report.findOne({ submissionKey, platform, "citizen.userId": userId }, { code: 1 }, SANITIZED).lean<
    Pick<ReportDoc, "_id" | "code">
  >();
}

/** The nearest open report of the same category within `radiusM` metres (2dsphere index), if any. */
export async function findNearbyOpenReport(
  categoryKey: string,
  at: { lat: number; lon: number },
  radiusM: number,
): Promise<ReportDoc | null> {
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

/** A citizen who follows a case: hears its status changes and counts as one of its supporters. */
export interface Supporter {
  platform: Platform;
  userId: number;
  chatId: number;
  locale: Locale;
}

/** Why a "Me too" (or the intake's duplicate hint "follow it") added nobody. */
export type SupportRefusal = "already" | "own" | "closed" | "not_found";

export type SupportResult =
  { outcome: "supported"; report: Pick<ReportDoc, "_id" | "code"> } | { outcome: SupportRefusal };

/**
 * Follows an open case and so counts as one of its supporters (the supporters count is
 * `followers.length`; retention pulls the entry on erasure). One conditional write: a second press
 * adds nobody, the reporter is never added, a closed case takes no one. The refusal is explained
 * by a second read, so a race between two presses still adds one entry.
 */
export async function supportCase(target: { code: string } | { id: string }, who: Supporter): Promise<SupportResult> {
  const none: SupportResult = { outcome: "not_found" };
  const key =
    "id" in target
      ? typeof target.id === "string" && isHexId(target.id)
        ? { _id: target.id }
        : null
      : typeof target.code === "string"
        ? { code: target.code }
        : null;
  if (!key || !isPlatform(who.platform) || !isUserId(who.userId) || !isChatId(who.chatId)) return none;
  const added = await Report.findOneAndUpdate(
    {
      ...key,
      // trusted: these operators are ours; sanitizeFilter neutralises any other.
      status: mongoose.trusted({ $in: OPEN_STATUSES }),
      $nor: [
        { platform: who.platform, "citizen.userId": who.userId },
        { followers: mongoose.trusted({ $elemMatch: { platform: who.platform, userId: who.userId } }) },
      ],
    },
    { $push: { followers: { platform: who.platform, userId: who.userId, chatId: who.chatId, locale: who.locale } } },
    { ...SANITIZED, projection: { code: 1 } },
  ).lean<Pick<ReportDoc, "_id" | "code">>();
  if (added) return { outcome: "supported", report: { _id: added._id, code: added.code } };
  const found = await Report.findOne(key, { platform: 1, "citizen.userId": 1, followers: 1 }, SANITIZED).lean<
    Pick<ReportDoc, "platform" | "citizen" | "followers">
  >();
  if (!found) return none;
  if (found.platform === who.platform && found.citizen.userId === who.userId) return { outcome: "own" };
  if (found.followers.some((f) => f.platform === who.platform && f.userId === who.userId))
    return { outcome: "already" };
  return { outcome: "closed" };
}

/** supportCase by tracking code, as a yes/no: true when this call added the follower. */
export async function followReport(code: string, who: Supporter): Promise<boolean> {
  return (await supportCase({ code }, who)).outcome === "supported";
}
