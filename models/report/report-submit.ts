import mongoose, { Types } from "mongoose";
import { NO_MESSENGER, Report, type ReportDoc } from "./report.ts";
import { findCategory, type CategoryView } from "../geography/category.ts";
import { generateCode } from "./tracking-code.ts";
import { relayKeepingRows } from "../infra/outbox-relay.ts";
import { insertUnlessDuplicate } from "../infra/insert-once.ts";
import { DomainError } from "../common/errors.ts";
import type { Id } from "../common/object-id.ts";
import type { Locale, Platform } from "../common/platform.ts";
import type { Route } from "../geography/routing.ts";
import type { OutboxKind } from "../infra/outbox-kinds.ts";
import { invalidIdError, isChatId, isPlatform, isUserId, SANITIZED } from "../common/ids.ts";

/**
 * The report's own answers, as the citizen's form collects them: the conversation's draft
 * (scenes/report/draft.ts) and what a report is filed from are this one shape.
 */
export interface ReportForm {
  categoryKey: string;
  description: string;
  location: { lat: number; lon: number } | null;
  address: string;
  venueTitle: string;
  /** Answers to the category's extra questions; absent = none asked. */
  attributes?: AttributeAnswer[];
}

/** One answer to a category's extra question: list datatypes may hold several values, the others one. */
export interface AttributeAnswer {
  code: string;
  values: string[];
}

/** A photo as the form holds it: the messenger's file, not yet copied to storage. */
export interface FormPhoto {
  fileId: string;
  fileUniqueId: string;
  mime: string;
  size: number;
}

/** A photo as the report stores it: its copy in GridFS (null = not copied). */
export interface SubmitPhoto extends FormPhoto {
  gridfsId: Id | null;
}

export interface SubmitInput extends ReportForm {
  submissionKey: string;
  /** NO_MESSENGER with userId and chatId 0: filed without a messenger (Open311); nobody is told until linked. */
  platform: Platform | typeof NO_MESSENGER;
  citizen: { userId: number; chatId: number; name: string; username: string; phone: string; locale: Locale };
  photos: SubmitPhoto[];
  /** "chat" unless another channel filed it (the Open311 client's name). */
  source?: string;
  /** Region and staff chat from routing; chat null = nowhere configured (the report is still stored). */
  route: Route;
  now: Date;
  random?: () => number;
}

export interface SubmitResult {
  report: ReportDoc;
  created: boolean;
}

/** The caller's part of filing a form, run only once its key is known to be new. */
export interface FilingSteps<Refusal> {
  /** Before the report is written: a refusal (the daily limit, a photo that would not copy) stops here. */
  prepare(): Promise<{ photos: SubmitPhoto[] } | { refused: Refusal }>;
  /** Where the case goes, given its category's department. */
  route(department: string): Promise<Route>;
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
  const filed = await fileReport<never>(input, {
    prepare: async () => ({ photos: input.photos }),
    route: async () => input.route,
  });
  // Nothing refuses a report handed in ready (its prepare step only returns its photos).
  if ("refused" in filed) throw new Error("a ready report was refused");
  return filed;
}

/**
 * The one path a report is filed by, once per submission key: the caller prepares (may refuse),
 * the category is looked up (an unknown one is refused), routed and written. A key seen before
 * returns its report, `created: false`: the write finds it (the key is unique), so the usual
 * filing reads nothing first; the caller then drops what its prepare step made (copied photos).
 * A refusal is checked against the key too: a retry of a filing that went through counts itself
 * against the daily limit, and is its report, not a refusal.
 */
export async function fileReport<Refusal>(
  form: Omit<SubmitInput, "photos" | "route">,
  steps: FilingSteps<Refusal>,
): Promise<SubmitResult | { refused: Refusal }> {
  // The reporter's ids come from the update: a report filed under an id no person has is refused
  // (the one exception: no messenger at all, every id 0).
  const noMessenger = form.platform === NO_MESSENGER && form.citizen.userId === 0 && form.citizen.chatId === 0;
  if (
    typeof form.submissionKey !== "string" ||
    (!noMessenger && (!isPlatform(form.platform) || !isUserId(form.citizen.userId) || !isChatId(form.citizen.chatId)))
  )
    throw invalidIdError("submitReport");
  const prepared = await steps.prepare();
  if ("refused" in prepared) {
    const existing = await filedUnder(form.submissionKey);
    return existing ? { report: existing, created: false } : prepared;
  }
  const category = await findCategory(form.categoryKey);
  if (!category) throw new DomainError("unknown_category", `unknown category ${form.categoryKey}`);
  const route = await steps.route(category.department);
  return insertReport({ ...form, photos: prepared.photos, route }, category);
}

/** Writes the new report (a colliding tracking code is drawn again) and relays its staff alert rows. */
async function insertReport(input: SubmitInput, category: CategoryView): Promise<SubmitResult> {
  const _id = new Types.ObjectId();
  const chat = input.route.chat;
  const staffRows = chat ? staffCardRows(_id, chat, input.now) : [];
  for (let attempt = 0; attempt < 8; attempt++) {
    let created: ReportDoc | null = null;
    const inserted = await insertUnlessDuplicate(async () => {
      const doc = await Report.create({
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
        attributes: input.attributes ?? [],
        source: input.source ?? "chat",
        photos: input.photos,
        status: "new",
        history: [
          {
            at: input.now,
            by: { kind: "citizen", platform: input.platform, id: input.citizen.userId, name: input.citizen.name },
            from: "",
            to: "new",
            public: true,
          },
        ],
        staffChat: chat ?? { platform: "", chatId: 0 },
        regionKey: input.route.regionKey,
        needsLocationCheck: input.route.needsLocationCheck,
        ...slaDeadlines(input.now, category.slaHours),
        pendingOutbox: staffRows,
        createdAt: input.now,
        updatedAt: input.now,
      });
      created = doc.toObject() as unknown as ReportDoc;
    });
    if (inserted && created) {
      // The row and the report as written are in hand: neither is read back. The row stays on the
      // report until its card is posted (recordCard takes it off) or the sweep does.
      await relayKeepingRows((created as ReportDoc).pendingOutbox);
      return { report: created, created: true };
    }
    // The same key filed meanwhile (a concurrent tap): that report. Otherwise the random tracking code collided: draw another.
    const again = await filedUnder(input.submissionKey);
    if (again) return { report: again, created: false };
  }
  throw new Error("could not allocate a unique tracking code");
}

function filedUnder(submissionKey: string): Promise<ReportDoc | null> {
  return Report.findOne({ submissionKey }, null, SANITIZED).lean<ReportDoc>().exec();
}

/**
 * The new-case alert as one row: the photos (if any), the card with its buttons, then the pin
 * (bot/outbox/renderers/staff.ts staff_card). One claim, one read of the report and one settling
 * write for the three messages; a retry goes on after the ones already sent (payload.sent).
 */
function staffCardRows(reportId: Id, chat: { platform: Platform; chatId: number }, now: Date) {
  const id = reportId.toHexString();
  return [
    {
      platform: chat.platform,
      chatId: chat.chatId,
      locale: "fa",
      createdAt: now,
      _id: staffCardRowId(id),
      kind: "staff_card" satisfies OutboxKind,
      payload: { reportId: id, alert: true },
    },
  ];
}

/** The outbox row that posts a case's first card (models/report/card-redraw.ts looks it up). */
export function staffCardRowId(reportHex: string): string {
  return `${reportHex}:2-card`;
}

/** Reports filed by this person since then; an id no person has filed none. */
export async function countReportsSince(platform: Platform, userId: number, since: Date): Promise<number> {
  if (!isPlatform(platform) || !isUserId(userId)) return 0;
  return Report.countDocuments(
    { platform, "citizen.userId": userId, createdAt: mongoose.trusted({ $gte: since }) },
    SANITIZED,
  );
}

/** Reports filed for this phone number (E.164) since then: the daily limit of a channel without a messenger id. */
export async function countReportsForPhoneSince(phone: string, since: Date): Promise<number> {
  if (typeof phone !== "string" || phone === "") return 0;
  return Report.countDocuments({ "citizen.phone": phone, createdAt: mongoose.trusted({ $gte: since }) }, SANITIZED);
}
