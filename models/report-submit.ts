import mongoose, { Types } from "mongoose";
import { Report, type ReportDoc } from "./report.ts";
import { findCategory } from "./category.ts";
import { generateCode } from "./tracking-code.ts";
import { relayReportOutbox, isDuplicateKey } from "./outbox-relay.ts";
import { DomainError } from "./errors.ts";
import type { Locale, Platform } from "./platform.ts";
import type { Route } from "./routing.ts";
import { invalidIdError, isChatId, isPlatform, isUserId, SANITIZED } from "./ids.ts";

export interface SubmitInput {
  submissionKey: string;
  platform: Platform;
  citizen: { userId: number; chatId: number; name: string; username: string; phone: string; locale: Locale };
  categoryKey: string;
  description: string;
  location: { lat: number; lon: number } | null;
  address: string;
  venueTitle: string;
  photos: { fileId: string; fileUniqueId: string; gridfsId: Types.ObjectId | null; mime: string; size: number }[];
  /** Region and staff chat from routing; chat null = nowhere configured (the report is still stored). */
  route: Route;
  now: Date;
  random?: () => number;
}

export interface SubmitResult {
  report: ReportDoc;
  created: boolean;
}

const HOUR = 3_600_000;

/** First response is due after a quarter of the category SLA (at least one hour). */
export function slaDeadlines(createdAt: Date, slaHours: number): { firstResponseDueAt: Date; resolveDueAt: Date } {
  return {
    firstResponseDueAt: new Date(createdAt.getTime() + Math.max(1, Math.round(slaHours / 4)) * HOUR),
    resolveDueAt: new Date(createdAt.getTime() + slaHours * HOUR),
  };
}

/**
 * Stores a report once per submission key. A second call with the same key (double tap, redelivered
 * update, retry after a crash) returns the first report with `created: false`.
 */
export async function submitReport(input: SubmitInput): Promise<SubmitResult> {
  // The reporter's ids come from the update: a report filed under an id no person has is refused.
  if (typeof input.submissionKey !== "string" || !isPlatform(input.platform) || !isUserId(input.citizen.userId) || !isChatId(input.citizen.chatId)) throw invalidIdError("submitReport");
  const existing = await Report.findOne({ submissionKey: input.submissionKey }, null, SANITIZED).lean<ReportDoc>();
  if (existing) return { report: existing, created: false };

  const category = await findCategory(input.categoryKey);
  if (!category) throw new DomainError("unknown_category", `unknown category ${input.categoryKey}`);

  const _id = new Types.ObjectId();
  const chat = input.route.chat;
  const staffRows = chat ? staffCardRows(_id, chat, input.photos.length > 0, input.location !== null, input.now) : [];
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      await Report.create({
        _id,
        code: generateCode(input.random),
        submissionKey: input.submissionKey,
        platform: input.platform,
        citizen: input.citizen,
        categoryKey: category.key,
        department: category.department,
        description: input.description,
        location: input.location ? { type: "Point", coordinates: [input.location.lon, input.location.lat] } : undefined,
        address: input.address,
        venueTitle: input.venueTitle,
        hasCoordinates: input.location !== null,
        photos: input.photos,
        status: "new",
        history: [{ at: input.now, by: { kind: "citizen", platform: input.platform, id: input.citizen.userId, name: input.citizen.name }, from: "", to: "new", public: true }],
        staffChat: chat ?? { platform: "", chatId: 0 },
        regionKey: input.route.regionKey,
        needsLocationCheck: input.route.needsLocationCheck,
        ...slaDeadlines(input.now, category.slaHours),
        pendingOutbox: staffRows,
        createdAt: input.now,
        updatedAt: input.now,
      });
      await relayReportOutbox(_id);
      const report = await Report.findById(_id).lean<ReportDoc>();
      if (!report) throw new Error("report vanished right after insert");
      return { report, created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const again = await Report.findOne({ submissionKey: input.submissionKey }).lean<ReportDoc>();
      if (again) return { report: again, created: false };
      // Otherwise the random tracking code collided: draw another.
    }
  }
  throw new Error("could not allocate a unique tracking code");
}

/** The new-case alert: photos (if any), the card with its buttons, then the pin. One message per row. */
function staffCardRows(reportId: Types.ObjectId, chat: { platform: Platform; chatId: number }, hasPhotos: boolean, hasLocation: boolean, now: Date) {
  const id = reportId.toHexString();
  const row = (suffix: string, kind: string) => ({ platform: chat.platform, chatId: chat.chatId, locale: "fa", createdAt: now, _id: `${id}:${suffix}`, kind, payload: { reportId: id } });
  // The number prefixes keep the three in order: rows of one event are sent in id order.
  return [...(hasPhotos ? [row("1-photos", "staff_photos")] : []), row("2-card", "staff_card"), ...(hasLocation ? [row("3-pin", "staff_location")] : [])];
}

/** Reports filed by this person since then; an id no person has filed none. */
export async function countReportsSince(platform: Platform, userId: number, since: Date): Promise<number> {
  if (!isPlatform(platform) || !isUserId(userId)) return 0;
  return Report.countDocuments({ platform, "citizen.userId": userId, createdAt: mongoose.trusted({ $gte: since }) }, SANITIZED);
}
