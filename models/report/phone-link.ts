import mongoose, { Types } from "mongoose";
import { NO_MESSENGER, Report, type ReportDoc } from "./report.ts";
import type { ReportStatus } from "./report-status.ts";
import { relayReportOutbox } from "../infra/outbox-relay.ts";
import { toE164 } from "../common/phone.ts";
import { isChatId, isPlatform, isUserId, SANITIZED } from "../common/ids.ts";
import type { Locale, Platform } from "../common/platform.ts";
import type { OutboxKind } from "../infra/outbox-kinds.ts";

/** The messenger account a phone number's reports are linked to. */
export interface PhoneOwner {
  platform: Platform;
  userId: number;
  chatId: number;
  locale: Locale;
  /** Used only where the call centre took no name. */
  name?: string;
}

export interface LinkedReport {
  code: string;
  status: ReportStatus;
  /** Resolved before the link: the resolution and "was it fixed?" were queued to the citizen now. */
  askedFeedback: boolean;
}

export interface LinkResult {
  /** Reports this call linked (oldest first). */
  linked: LinkedReport[];
  /** Reports filed for the number without a messenger that this same person had linked before. */
  alreadyYours: number;
}

/** What a shared contact message carries, as plain values (no grammY here). */
export interface SharedContact {
  phone: unknown;
  /** The messenger account the contact card belongs to; missing when the messenger does not know it. */
  contactUserId: unknown;
  senderId: unknown;
  /** The message was forwarded: the card came from someone else's chat. */
  forwarded: boolean;
}

/**
 * A contact proves a number is the sender's only when the messenger says the card is the sender's
 * own account (Telegram's `contact.user_id`) and nobody forwarded it. Without `user_id` (a card from
 * the address book, a messenger that leaves it out) it proves nothing. Returns the number in
 * E.164, or null.
 */
export function ownContactPhone(c: SharedContact): string | null {
  if (c.forwarded || !isUserId(c.senderId) || c.contactUserId !== c.senderId) return null;
  return typeof c.phone === "string" ? toE164(c.phone) : null;
}

const ATTEMPTS = 4;

/**
 * Links every report filed for this number without a messenger (Open311: platform "", user 0) to
 * the person who proved the number is theirs: from now on it is theirs as if filed in their chat
 * (/my, /status, notices, feedback, /forgetme all go by platform + user). Reports another account
 * linked first stay theirs: only unlinked ones match. One conditional write per report appends an
 * internal `messenger_linked` entry and, for a report resolved and unanswered, queues the
 * resolution with the "was it fixed?" buttons in the same write (a crash cannot lose it; the
 * relay's sweeper sends what was not relayed) and restarts the feedback clock, so the reminder
 * job counts from when the question was really asked. Idempotent: a second call finds nothing.
 */
export async function linkReportsByPhone(phone: string, who: PhoneOwner, now: Date): Promise<LinkResult> {
  const e164 = typeof phone === "string" ? toE164(phone) : null;
  if (!e164 || !isPlatform(who.platform) || !isUserId(who.userId) || !isChatId(who.chatId))
    return { linked: [], alreadyYours: 0 };
  const alreadyYours = await Report.countDocuments(
    {
      platform: who.platform,
      "citizen.userId": who.userId,
      "citizen.phone": e164,
      source: mongoose.trusted({ $ne: "chat" }),
    },
    SANITIZED,
  );
  const unlinked = await Report.find(unlinkedFilter(e164), { _id: 1 }, SANITIZED).sort({ createdAt: 1 }).lean();
  const linked: LinkedReport[] = [];
  for (const { _id } of unlinked) {
    const done = await linkOne(_id, e164, who, now);
    if (done) linked.push(done);
  }
  return { linked, alreadyYours };
}

function unlinkedFilter(e164: string) {
  return {
    platform: NO_MESSENGER as typeof NO_MESSENGER,
    "citizen.userId": 0,
    "citizen.chatId": 0,
    "citizen.phone": e164,
    erasedAt: null,
  };
}

/** One report; re-read and retried when a staff action changed it between the read and the write. */
async function linkOne(id: Types.ObjectId, e164: string, who: PhoneOwner, now: Date): Promise<LinkedReport | null> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const r = await Report.findOne({ _id: id, ...unlinkedFilter(e164) }, null, SANITIZED).lean<ReportDoc>();
    // Linked meanwhile (another press, another instance) or erased: not this call's.
    if (!r) return null;
    const status = r.status as ReportStatus;
    const entryId = new Types.ObjectId();
    const askFeedback = status === "resolved" && r.feedback?.answeredAt == null;
    const res = await Report.updateOne(
      // The status and history read: a resolution landing in between is seen on the next attempt.
      { _id: id, ...unlinkedFilter(e164), status, history: { $size: r.history.length } },
      {
        $set: {
          platform: who.platform,
          "citizen.userId": who.userId,
          "citizen.chatId": who.chatId,
          "citizen.locale": who.locale,
          ...(r.citizen.name === "" && who.name ? { "citizen.name": who.name } : {}),
          ...(askFeedback ? { "feedback.askedAt": now, "feedback.remindedAt": null } : {}),
          updatedAt: now,
        },
        $push: {
          history: {
            _id: entryId,
            at: now,
            kind: "messenger_linked",
            // No name: the entry is a fact about the account, and erasure blanks citizen ids in history.
            by: { kind: "citizen", platform: who.platform, id: who.userId, name: "" },
            from: status,
            to: status,
            note: "",
            facts: null,
            public: false,
            eventKey: "",
          },
          pendingOutbox: { $each: askFeedback ? [resolutionRow(r, entryId, who, now)] : [] },
        },
      },
      { timestamps: false },
    );
    if (res.modifiedCount === 1) {
      if (askFeedback) await relayReportOutbox(id);
      return { code: r.code, status, askedFeedback: askFeedback };
    }
  }
  throw new Error(`report ${id.toHexString()} kept changing while being linked`);
}

/** The row resolveCase would have queued had the chat been known then: note, "after" photo, the buttons. */
function resolutionRow(r: ReportDoc, entryId: Types.ObjectId, who: PhoneOwner, now: Date) {
  const resolved = r.history.findLast((h) => h.to === "resolved" && h.from !== "resolved");
  const kind: OutboxKind = "resolution";
  const reportHex = r._id.toHexString();
  return {
    // Deterministic like every notice row: a relay repeated after a crash finds it already there.
    _id: `${reportHex}:${entryId.toHexString()}:${kind}:${who.platform}:${who.chatId}`,
    platform: who.platform,
    chatId: who.chatId,
    kind,
    locale: who.locale,
    payload: {
      reportId: reportHex,
      code: r.code,
      from: "resolved",
      to: "resolved",
      note: resolved?.note ?? "",
      afterPhotoId: r.afterPhotoId ? r.afterPhotoId.toHexString() : "",
    },
    createdAt: now,
  };
}
