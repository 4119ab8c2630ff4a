import mongoose, { type Types } from "mongoose";
import { Report, type ReportDoc } from "./report.ts";
import { updateCase, type Notice } from "./report-transition.ts";
import { DomainError } from "../common/errors.ts";
import { isOpen, OPEN_STATUSES, type ReportStatus } from "./report-status.ts";
import { cardChat } from "./card-chat.ts";
import type { ChatRef } from "../geography/routing.ts";
import type { Platform } from "../common/platform.ts";
import { invalidIdError, isPlatform, isUserId, SANITIZED } from "../common/ids.ts";

type Id = Types.ObjectId | string;

/** Offered as "add this to report X": the newest few, so the buttons fit one screen. */
export const OFFERED_REPORTS = 3;

/** The citizen's own open reports on this messenger, newest first (none for an id no person has). */
export async function openReportsOf(
  platform: Platform,
  userId: number,
  limit = OFFERED_REPORTS,
): Promise<Pick<ReportDoc, "_id" | "code" | "categoryKey">[]> {
  if (!isPlatform(platform) || !isUserId(userId)) return [];
  // trusted: our operator; sanitizeFilter neutralises any other.
  return Report.find(
    { platform, "citizen.userId": userId, status: mongoose.trusted({ $in: OPEN_STATUSES }) },
    { code: 1, categoryKey: 1 },
    SANITIZED,
  )
    .sort({ createdAt: -1 })
    .limit(limit)
    .lean<Pick<ReportDoc, "_id" | "code" | "categoryKey">[]>();
}

/** One open report of this citizen by id: null for a forged id, someone else's case, the other messenger's or a closed one. */
export async function findOwnOpenReport(
  id: string,
  platform: Platform,
  userId: number,
): Promise<Pick<ReportDoc, "_id" | "code"> | null> {
  if (typeof id !== "string" || !/^[0-9a-f]{24}$/.test(id) || !isPlatform(platform) || !isUserId(userId)) return null;
  return Report.findOne(
    { _id: id, platform, "citizen.userId": userId, status: mongoose.trusted({ $in: OPEN_STATUSES }) },
    { code: 1 },
    SANITIZED,
  ).lean<Pick<ReportDoc, "_id" | "code">>();
}

export interface CitizenNote {
  text: string;
  /** GridFS id (bucket "photos") of the citizen's photo, stored before the note. */
  photoId: Types.ObjectId | null;
  /** Also to the managers' chat: the reason a "not fixed" case was reopened follows its escalation there. */
  managers?: { chat: ChatRef; locale: string } | null;
}

/**
 * The reporter adds words or a photo to their open case: a public `citizen_note` history entry
 * (shown in /case and their /status), posted under the card in the staff chat, and to the
 * managers when it explains a "not fixed". Only the reporter, on the report's own messenger.
 */
export async function addCitizenNote(
  id: Id,
  platform: Platform,
  userId: number,
  note: CitizenNote,
  now: Date,
): Promise<ReportDoc> {
  if (!isPlatform(platform) || !isUserId(userId)) throw invalidIdError("citizen note");
  const r = await Report.findById(id).lean<ReportDoc>();
  if (!r || r.platform !== platform || r.citizen.userId !== userId)
    throw new DomainError("not_found", "not the reporter's case");
  if (!isOpen(r.status as ReportStatus)) throw new DomainError("bad_transition", `report ${r.code} is closed`);
  if (note.text.trim() === "" && !note.photoId) throw new DomainError("bad_transition", "an empty note");
  const payload = { text: note.text, photoId: note.photoId ? note.photoId.toHexString() : "" };
  const chat = cardChat(r);
  const notices: Notice[] = [
    ...(chat ? [{ to: { chat }, kind: "staff_citizen_note", payload } satisfies Notice] : []),
    ...(note.managers ? [{ to: note.managers, kind: "managers_citizen_note", payload } satisfies Notice] : []),
  ];
  return updateCase(id, {
    kind: "citizen_note",
    actor: { kind: "citizen", platform, id: userId, name: r.citizen.name },
    note: note.text,
    public: true,
    // On the report, where erasure finds the citizen's photos (models/ops/retention.ts).
    ...(note.photoId ? { push: { replyPhotos: note.photoId } } : {}),
    notices,
    now,
  });
}
