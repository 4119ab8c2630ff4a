import mongoose, { type Types } from "mongoose";
import { Report, type ReportDoc } from "./report.ts";
import { updateCase, type Actor, type Notice } from "./report-transition.ts";
import { DomainError } from "../common/errors.ts";
import { findCategory } from "../geography/category.ts";
import { isOpen, OPEN_STATUSES, type ReportStatus } from "./report-status.ts";
import type { StaffMember } from "../people/staff.ts";
import type { ChatRef } from "../geography/routing.ts";
import type { Platform } from "../common/platform.ts";
import { staffActor } from "../people/staff-actor.ts";
import { cardChat } from "./card-chat.ts";
import { assertVisitRequirement } from "./visit.ts";
import { invalidIdError, isPlatform, isUserId, SANITIZED } from "../common/ids.ts";

type Id = Types.ObjectId | string;

export { staffActor };

function assignee(m: StaffMember) {
  return { platform: m.platform, userId: m.userId, name: m.name };
}

/** The first staff action on a case stamps its first response (SLA), once. */
function firstResponse(report: ReportDoc, now: Date): Record<string, unknown> {
  return report.firstResponseAt ? {} : { firstResponseAt: now };
}

async function load(id: Id): Promise<ReportDoc> {
  const r = await Report.findById(id).lean<ReportDoc>();
  if (!r) throw new DomainError("not_found", `report ${String(id)} not found`);
  return r;
}

const statusNotice = (note = ""): Notice => ({ to: "citizens", kind: "status_changed", payload: { note } });

/**
 * What a take / start / assign press did. Pressed again by the same person in the same state, it
 * finds the case already so: nothing is written, nobody is told, and the caller says which.
 */
export type StaffActionResult =
  | { changed: true; report: ReportDoc }
  | {
      changed: false;
      report: ReportDoc;
      why: "already_yours" | "already_in_progress" | "already_theirs" | "someone_elses";
    };

const unchanged = (
  report: ReportDoc,
  why: Extract<StaffActionResult, { changed: false }>["why"],
): StaffActionResult => ({ changed: false, report, why });

function holds(r: ReportDoc, m: StaffMember): boolean {
  return r.assignee?.platform === m.platform && r.assignee.userId === m.userId;
}

/** The write is conditional on the holder that was read: two people taking a free case at once cannot both win. */
function sameHolder(r: ReportDoc): Record<string, unknown> {
  return r.assignee
    ? { "assignee.platform": r.assignee.platform, "assignee.userId": r.assignee.userId }
    : { assignee: null };
}

/**
 * Gives the case to `to`, writing only what changes: a status the citizen has not heard yet gets
 * the status line and their notice; a new holder alone (a case whose official left, a
 * reassignment while at work) is an internal "assign" entry and tells the citizen nothing new.
 */
async function giveCase(
  r: ReportDoc,
  to: StaffMember,
  by: StaffMember,
  status: ReportStatus,
  now: Date,
  note = "",
): Promise<ReportDoc> {
  const changesStatus = r.status !== status;
  return updateCase(r._id, {
    ...(changesStatus ? { status } : {}),
    kind: "assign",
    actor: staffActor(by),
    note,
    public: note === "",
    set: { assignee: assignee(to), ...firstResponse(r, now) },
    where: sameHolder(r),
    notices: changesStatus ? [statusNotice()] : [],
    now,
  });
}

/** Two presses at once: the loser reads the case again and answers from what it finds (usually "already yours"). */
async function decideOnFreshRead(
  decide: (r: ReportDoc) => Promise<StaffActionResult>,
  id: Id,
): Promise<StaffActionResult> {
  const openCase = async () => {
    const r = await load(id);
    if (!isOpen(r.status as ReportStatus)) throw new DomainError("bad_transition", `report ${r.code} is closed`);
    return r;
  };
  try {
    return await decide(await openCase());
  } catch (err) {
    if (!(err instanceof DomainError) || err.reason !== "conflict") throw err;
    return decide(await openCase());
  }
}

/**
 * Take: the case becomes the presser's. Already theirs: unchanged. Someone else's: unchanged too
 * (a manager hands it on with Assign). A case whose official left keeps its status, in progress included.
 */
export async function takeCase(id: Id, who: StaffMember, now: Date): Promise<StaffActionResult> {
  return decideOnFreshRead(async (r) => {
    if (holds(r, who)) return unchanged(r, "already_yours");
    if (r.assignee) return unchanged(r, "someone_elses");
    return {
      changed: true,
      report: await giveCase(r, who, who, r.status === "in_progress" ? "in_progress" : "assigned", now),
    };
  }, id);
}

/** Managers hand a case to another official; handing it to its holder changes nothing. Work already started stays started. */
export async function assignCase(id: Id, to: StaffMember, by: StaffMember, now: Date): Promise<StaffActionResult> {
  return decideOnFreshRead(async (r) => {
    if (holds(r, to)) return unchanged(r, "already_theirs");
    return {
      changed: true,
      report: await giveCase(r, to, by, r.status === "in_progress" ? "in_progress" : "assigned", now, to.name),
    };
  }, id);
}

/**
 * In progress: by the holder, or by anyone on a case nobody holds (it becomes theirs). Someone
 * else's case stays theirs; pressed again, nothing changes.
 */
export async function startProgress(id: Id, who: StaffMember, now: Date): Promise<StaffActionResult> {
  return decideOnFreshRead(async (r) => {
    if (r.assignee && !holds(r, who)) return unchanged(r, "someone_elses");
    if (r.status === "in_progress" && r.assignee) return unchanged(r, "already_in_progress");
    // In progress but its official left: taking it over is the only change.
    if (r.status === "in_progress") return { changed: true, report: await giveCase(r, who, who, "in_progress", now) };
    const set = { ...firstResponse(r, now), ...(r.assignee ? {} : { assignee: assignee(who) }) };
    return {
      changed: true,
      report: await updateCase(id, {
        status: "in_progress",
        actor: staffActor(who),
        set,
        where: sameHolder(r),
        notices: [statusNotice()],
        now,
      }),
    };
  }, id);
}

/**
 * Resolve with a public note and an optional "after" photo (GridFS id). The reporter gets the
 * note, the photo and the Fixed / Not fixed / rating buttons; followers get the status change.
 */
export async function resolveCase(
  id: Id,
  who: StaffMember,
  note: string,
  afterPhotoId: Types.ObjectId | null,
  now: Date,
): Promise<ReportDoc> {
  if (note.trim() === "") throw new DomainError("bad_transition", "a resolution needs a note");
  const r = await load(id);
  assertVisitRequirement(r, await findCategory(r.categoryKey));
  return updateCase(id, {
    status: "resolved",
    actor: staffActor(who),
    note,
    set: {
      resolvedAt: now,
      closedAt: now,
      infoRequest: null,
      afterPhotoId,
      feedback: { askedAt: now, remindedAt: null, fixed: null, rating: null, answeredAt: null },
      ...firstResponse(r, now),
    },
    notices: [
      {
        to: "reporter",
        kind: "resolution",
        payload: { note, afterPhotoId: afterPhotoId ? afterPhotoId.toHexString() : "" },
      },
      { to: "followers", kind: "status_changed", payload: { note } },
    ],
    now,
  });
}

export async function rejectCase(id: Id, who: StaffMember, reason: string, now: Date): Promise<ReportDoc> {
  if (reason.trim() === "") throw new DomainError("bad_transition", "a rejection needs a reason");
  const r = await load(id);
  return updateCase(id, {
    status: "rejected",
    actor: staffActor(who),
    note: reason,
    set: { closedAt: now, infoRequest: null, ...firstResponse(r, now) },
    notices: [statusNotice(reason)],
    now,
  });
}

/**
 * Marks a case as a duplicate of an open one: the reporter and followers of the duplicate become
 * followers of the original, so they hear how it ends.
 */
export async function markDuplicate(
  id: Id,
  ofCode: string,
  who: StaffMember,
  now: Date,
): Promise<{ duplicate: ReportDoc; original: ReportDoc }> {
  const dup = await load(id);
  const original =
    typeof ofCode === "string" ? await Report.findOne({ code: ofCode }, null, SANITIZED).lean<ReportDoc>() : null;
  if (!original) throw new DomainError("not_found", `no report ${ofCode}`);
  if (original._id.equals(dup._id)) throw new DomainError("bad_transition", "a report cannot duplicate itself");
  if (!isOpen(original.status as ReportStatus)) throw new DomainError("bad_transition", `report ${ofCode} is closed`);
  const duplicate = await updateCase(id, {
    status: "duplicate",
    actor: staffActor(who),
    facts: { duplicateOf: ofCode },
    set: { duplicateOf: ofCode, closedAt: now, infoRequest: null, ...firstResponse(dup, now) },
    notices: [{ to: "citizens", kind: "status_changed", payload: { note: "", duplicateOf: ofCode } }],
    now,
  });
  const movers = [
    { platform: dup.platform, userId: dup.citizen.userId, chatId: dup.citizen.chatId, locale: dup.citizen.locale },
    ...dup.followers.map((f) => ({ platform: f.platform, userId: f.userId, chatId: f.chatId, locale: f.locale })),
  ].filter(
    (m) =>
      // Chat 0: a reporter without a messenger (Open311) or erased: nobody to move.
      m.chatId !== 0 &&
      !(m.platform === original.platform && m.userId === original.citizen.userId) &&
      !original.followers.some((f) => f.platform === m.platform && f.userId === m.userId),
  );
  if (movers.length > 0)
    await Report.updateOne({ _id: original._id }, { $push: { followers: { $each: movers } } }, { timestamps: false });
  return { duplicate, original: await load(original._id) };
}

/** A note: public ones reach the reporter and followers, internal ones stay in the history. */
export async function addNote(
  id: Id,
  who: StaffMember,
  text: string,
  isPublic: boolean,
  now: Date,
): Promise<ReportDoc> {
  return updateCase(id, {
    kind: "note",
    actor: staffActor(who),
    note: text,
    public: isPublic,
    notices: isPublic ? [{ to: "citizens", kind: "case_note", payload: { note: text } }] : [],
    now,
  });
}

/** Asks the reporter a question; their next message is attached to the case. */
export async function requestInfo(id: Id, who: StaffMember, question: string, now: Date): Promise<ReportDoc> {
  const r = await load(id);
  if (!isOpen(r.status as ReportStatus)) throw new DomainError("bad_transition", `report ${r.code} is closed`);
  // Filed without a messenger (Open311): no chat to ask in, and no next message would ever answer.
  if (r.citizen.chatId === 0) throw new DomainError("bad_transition", `report ${r.code} has no reporter chat`);
  return updateCase(id, {
    kind: "info_request",
    actor: staffActor(who),
    note: question,
    set: { infoRequest: { question, askedAt: now, askedBy: who.name }, ...firstResponse(r, now) },
    notices: [{ to: "reporter", kind: "info_request", payload: { question } }],
    now,
  });
}

/** The citizen's open question, if any: the newest open case of theirs that asked one (none for an id no person has). */
export async function findOpenInfoRequest(platform: Platform, userId: number): Promise<ReportDoc | null> {
  if (!isPlatform(platform) || !isUserId(userId)) return null;
  // trusted: these operators are ours; sanitizeFilter neutralises any other.
  return Report.findOne(
    {
      platform,
      "citizen.userId": userId,
      infoRequest: mongoose.trusted({ $ne: null }),
      status: mongoose.trusted({ $in: OPEN_STATUSES }),
    },
    null,
    SANITIZED,
  )
    .sort({ "infoRequest.askedAt": -1 })
    .lean<ReportDoc>();
}

/** Attaches the citizen's answer (text and/or a GridFS photo) and posts it to the card's chat. */
export async function attachCitizenReply(
  id: Id,
  text: string,
  photoId: Types.ObjectId | null,
  now: Date,
): Promise<ReportDoc> {
  const r = await load(id);
  const chat = cardChat(r);
  return updateCase(id, {
    kind: "citizen_reply",
    actor: { kind: "citizen", platform: r.platform as Platform, id: r.citizen.userId, name: r.citizen.name },
    note: text,
    public: false,
    where: { infoRequest: { $ne: null } },
    set: { infoRequest: null },
    // The answer photo stays findable from the report: erasure must reach it.
    ...(photoId ? { push: { replyPhotos: photoId } } : {}),
    notices: chat
      ? [
          {
            to: { chat },
            kind: "staff_citizen_reply",
            payload: { text, question: r.infoRequest?.question ?? "", photoId: photoId ? photoId.toHexString() : "" },
          },
        ]
      : [],
    now,
  });
}

export { cardChat };

/**
 * Only the reporter answers: the same user id on the other messenger is another person. Throws
 * not_found for anyone else, an id no person has included.
 */
function assertReporter(r: ReportDoc, platform: Platform, userId: number): void {
  if (!isPlatform(platform) || !isUserId(userId)) throw invalidIdError("citizen answer");
  if (r.platform !== platform || r.citizen.userId !== userId) throw new DomainError("not_found", "not the reporter");
}

/**
 * The reporter's answer to "was it fixed?". "Not fixed" reopens the case, raises its priority and
 * escalates it to the managers' chat at once.
 */
export async function citizenFeedback(
  id: Id,
  platform: Platform,
  userId: number,
  fixed: boolean,
  managers: { chat: ChatRef; locale: string } | null,
  now: Date,
): Promise<ReportDoc> {
  const r = await load(id);
  assertReporter(r, platform, userId);
  if (r.status !== "resolved" || r.feedback?.fixed !== null)
    throw new DomainError("conflict", `feedback on ${r.code} already given or not asked`);
  const actor: Actor = { kind: "citizen", platform: r.platform as Platform, id: userId, name: r.citizen.name };
  if (fixed) {
    return updateCase(id, {
      kind: "feedback",
      actor,
      facts: { fixed: true },
      set: { "feedback.fixed": true, "feedback.answeredAt": now },
      now,
    });
  }
  const chat = cardChat(r);
  // A fresh resolve deadline: the old one is long past, and the escalation below already covers it.
  const category = await findCategory(r.categoryKey);
  const resolveDueAt = new Date(now.getTime() + (category?.slaHours ?? 72) * 3_600_000);
  return updateCase(id, {
    status: "reopened",
    actor,
    facts: { fixed: false },
    set: {
      "feedback.fixed": false,
      "feedback.answeredAt": now,
      reopenedAt: now,
      resolvedAt: null,
      closedAt: null,
      escalatedAt: now,
      resolveDueAt,
      reminders: { count: 0, lastAt: null },
    },
    inc: { priority: 1, escalationLevel: 1 },
    notices: [
      // The reporter's one message is the handler's answer to the tap (handlers/citizen/feedback.ts).
      { to: "followers", kind: "status_changed", payload: { note: "" } },
      ...(managers ? [{ to: managers, kind: "escalation", payload: { reason: "not_fixed" } } satisfies Notice] : []),
      ...(chat ? [{ to: { chat }, kind: "staff_reopened", payload: {} } satisfies Notice] : []),
    ],
    now,
  });
}

/** 1–5 stars from the reporter, once a case is resolved. */
export async function rateCase(
  id: Id,
  platform: Platform,
  userId: number,
  stars: number,
  now: Date,
): Promise<ReportDoc> {
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) throw new DomainError("bad_transition", "rating must be 1–5");
  const r = await load(id);
  assertReporter(r, platform, userId);
  if (r.feedback?.rating) throw new DomainError("conflict", "already rated");
  const actor: Actor = { kind: "citizen", platform: r.platform as Platform, id: userId, name: r.citizen.name };
  return updateCase(id, {
    kind: "feedback",
    actor,
    facts: { rating: stars },
    public: false,
    where: { "feedback.rating": null },
    set: { "feedback.rating": stars, "feedback.answeredAt": now },
    now,
  });
}

/**
 * An official is being given the reporter's whole phone number: an internal history entry naming
 * them, written before the number is sent, so no number leaves without a trace. No notice and no
 * status change (looking is not acting); the citizen's views show public entries only.
 */
export async function recordPhoneView(
  id: Id,
  who: StaffMember,
  now: Date,
): Promise<{ report: ReportDoc; viewedAt: Date }> {
  const r = await load(id);
  if (!r.citizen.phone) throw new DomainError("not_found", `report ${r.code} has no phone number`);
  const report = await updateCase(id, { kind: "phone_viewed", actor: staffActor(who), public: false, now });
  // On a replay of the same press updateCase returns the entry written the first time, with its own time.
  const entry = report.history.findLast(
    (h) => h.kind === "phone_viewed" && h.by.platform === who.platform && h.by.id === who.userId,
  );
  return { report, viewedAt: entry?.at ?? now };
}

/** The number could not be delivered (no private chat with the bot): nobody saw it, so the entry goes. */
export async function withdrawPhoneView(id: Id, who: StaffMember, viewedAt: Date): Promise<void> {
  await Report.updateOne(
    { _id: id },
    { $pull: { history: { kind: "phone_viewed", "by.platform": who.platform, "by.id": who.userId, at: viewedAt } } },
    { timestamps: false },
  );
}
