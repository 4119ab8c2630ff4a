import { Types, type QueryFilter } from "mongoose";
import { Report, type PendingOutboxRow, type ReportDoc } from "../report/report.ts";
import { Citizen } from "../people/citizen.ts";
import { deletePrivateChatState } from "../infra/kv-store.ts";
import { deleteChatUpdates } from "../infra/inbox.ts";
import { Outbox, type OutboxRow } from "../infra/outbox.ts";
import { relayReportOutbox } from "../infra/outbox-relay.ts";
import { postBeingSent } from "../report/card-redraw.ts";
import { deletePhotos, photoIdsNamed } from "../report/photos.ts";
import { deleteKeptOf } from "../report/kept-message.ts";
import {
  finishForgetRequest,
  NO_ERASURE,
  pendingForgetRequests,
  rememberForgetScope,
  type ErasureCounts,
  type PendingForget,
} from "../people/forget-request.ts";
import type { Platform } from "../common/platform.ts";
import { CARD_REDRAW_KIND, type OutboxKind } from "../infra/outbox-kinds.ts";

/**
 * Retention: personal data of citizens leaves reports closed long ago (and every report of a
 * citizen who asked /forgetme), while everything the statistics read stays: platform, category,
 * region, department, dates, statuses, ratings, history kinds and dates.
 */

const DAY = 86_400_000;
const CLOSED = ["resolved", "rejected", "duplicate"];
const BATCH = 200;

type Filter = Record<string, unknown>;

export interface RetentionOptions {
  days: number;
  now: Date;
  /** Called after each anonymised report (progress display). */
  tick?: () => void;
}

export interface RetentionPlan {
  cutoff: Date;
  /** Closed before the cutoff, not anonymised yet, not covered by a forget request. */
  closedReports: number;
  forgetRequests: { id: string; platform: Platform; userId: number; reports: number }[];
}

export interface RetentionResult {
  closedReports: number;
  forgetRequests: number;
  forgetReports: number;
  /** What the forget requests erased, summed over them. */
  erased: ErasureCounts;
}

export type { ErasureCounts };

export function retentionCutoff(days: number, now: Date): Date {
  return new Date(now.getTime() - days * DAY);
}

function closedBefore(cutoff: Date): Filter {
  return {
    anonymizedAt: null,
    status: { $in: CLOSED },
    // closedAt is stamped by every closing action; resolvedAt covers reports closed before it existed.
    $or: [{ closedAt: { $lte: cutoff } }, { closedAt: null, resolvedAt: { $lte: cutoff } }],
  };
}

function ofCitizen(c: { platform: Platform; userId: number }): Filter {
  return { platform: c.platform, "citizen.userId": c.userId, erasedAt: null };
}

/** What a run would do; changes nothing (the dry run, and the numbers the confirmation shows). */
export async function planRetention(opts: RetentionOptions): Promise<RetentionPlan> {
  const cutoff = retentionCutoff(opts.days, opts.now);
  const requests = await pendingForgetRequests();
  const forgetRequests = [];
  for (const r of requests) {
    forgetRequests.push({
      id: String(r.id),
      platform: r.platform,
      userId: r.userId,
      reports: await Report.countDocuments(ofCitizen(r)),
    });
  }
  const notForgotten =
    requests.length > 0 ? { $nor: requests.map((r) => ({ platform: r.platform, "citizen.userId": r.userId })) } : {};
  const closedReports = await Report.countDocuments({ ...closedBefore(cutoff), ...notForgotten });
  return { cutoff, closedReports, forgetRequests };
}

/** Forget requests first (they reach open reports too), then reports closed before the cutoff. */
export async function applyRetention(opts: RetentionOptions): Promise<RetentionResult> {
  let forgetReports = 0;
  const erased = { ...NO_ERASURE };
  const requests = await pendingForgetRequests();
  for (const r of requests) {
    const counts = await forgetCitizen(r, opts);
    forgetReports += counts.reports;
    for (const key of Object.keys(erased) as (keyof ErasureCounts)[]) erased[key] += counts[key];
    await finishForgetRequest(r.id, opts.now, counts);
  }
  const closedReports = await anonymiseMatching(closedBefore(retentionCutoff(opts.days, opts.now)), opts);
  return { closedReports, forgetRequests: requests.length, forgetReports, erased };
}

/**
 * Everything of one citizen, wherever a copy went: their reports (reporter, free texts, photos),
 * follower entries, every outbox row to their chats or with their words, the answer photos, the
 * citizen record, a half-filled form, unfinished inbox updates; and their cards in staff chats are
 * queued to be redrawn without them. Safe to run again after an interruption (see rememberForgetScope).
 */
async function forgetCitizen(req: PendingForget, opts: RetentionOptions): Promise<ErasureCounts> {
  const { platform, userId } = req;
  const counts = { ...NO_ERASURE };
  const profile = await Citizen.findOne({ platform, userId }, { chatId: 1 }).lean();
  const found = await Report.find({ platform, "citizen.userId": userId }, { _id: 1, "citizen.chatId": 1 }).lean<
    { _id: Types.ObjectId; citizen: { chatId: number } }[]
  >();
  // A private chat's id is the user's id; the profile and the reports may know others.
  const seen = [userId, ...(profile ? [profile.chatId] : []), ...found.map((r) => r.citizen.chatId)].filter(
    (id) => id !== 0,
  );
  const scope = await rememberForgetScope(
    req.id,
    found.map((r) => r._id),
    [...new Set(seen)],
  );
  const chats = scope.chatIds;

  // As a follower: gone from other people's cases, with the notices still waiting there for them.
  await Report.updateMany(
    { followers: { $elemMatch: { platform, userId } } },
    { $pull: { followers: { platform, userId } } },
    { timestamps: false },
  );
  await Report.updateMany(
    { pendingOutbox: { $elemMatch: { platform, chatId: { $in: chats } } } },
    { $pull: { pendingOutbox: { platform, chatId: { $in: chats } } } },
    { timestamps: false },
  );

  for (const id of scope.reportIds) {
    const res = await eraseReport(id, platform, chats, opts.now);
    counts.gridfsFiles += res.photos;
    if (res.erased) counts.reports++;
    if (res.redraw) counts.cardRedraws++;
    opts.tick?.();
  }
  const reportHex = scope.reportIds.map((id) => id.toHexString());
  counts.outbox += await forgetChatRows(platform, chats, opts.now);
  counts.outbox += await scrubReportRows(reportHex);

  counts.citizens = (await Citizen.deleteMany({ platform, userId })).deletedCount;
  counts.botState = await deletePrivateChatState(platform, chats);
  // Messages kept until they pressed "add to report" / "new report", and a waiting "what is still wrong?".
  counts.botState += await deleteKeptOf(platform, userId);
  // Their updates the inbox has not finished with (or parked) still carry what they typed.
  counts.inbox = await deleteChatUpdates(platform, chats);
  // Once more, last: a relay of the running bot that read a report's rows before it was erased
  // may have copied them into the outbox since (without transactions nothing stops that read).
  counts.outbox += await forgetChatRows(platform, chats, opts.now);
  counts.outbox += await scrubReportRows(reportHex);
  return counts;
}

/** Outbox kinds that exist only to carry the citizen's own words or photos: a waiting one is stopped. */
const CITIZEN_CONTENT_KINDS: readonly OutboxKind[] = [
  "staff_citizen_reply",
  "staff_photos",
  "staff_citizen_note",
  "managers_citizen_note",
];
const isCitizenContent = (kind: string) => CITIZEN_CONTENT_KINDS.some((k) => k === kind);
/** Payload keys holding the citizen's words or their photo (attachCitizenReply in models/report/case-actions.ts, models/report/citizen-note.ts). */
const CITIZEN_PAYLOAD_KEYS = ["text", "photoId"] as const;
export { CARD_REDRAW_KIND };

function withoutCitizenWords(payload: unknown): Record<string, unknown> {
  const p = { ...((payload ?? {}) as Record<string, unknown>) };
  for (const key of CITIZEN_PAYLOAD_KEYS) delete p[key];
  return p;
}

const hexIds = (values: unknown[]) =>
  values
    .filter((v): v is string => typeof v === "string" && Types.ObjectId.isValid(v))
    .map((v) => new Types.ObjectId(v));

/**
 * Photos first (the ids to find them by go with the texts), then one conditional write: reporter,
 * free texts and photos blanked, notices to the citizen dropped and their words taken out of the
 * rest, and the card's redraw queued (relayed into the outbox right after, like any notice).
 */
async function eraseReport(
  id: Types.ObjectId,
  platform: Platform,
  chats: number[],
  now: Date,
): Promise<{ erased: boolean; redraw: boolean; photos: number }> {
  let photos = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    const r = await Report.findById(id).lean<ReportDoc>();
    if (!r) return { erased: false, redraw: false, photos };
    const hex = id.toHexString();
    const rows = await Outbox.find(
      { "payload.reportId": hex, "payload.photoId": { $exists: true } },
      { payload: 1 },
    ).lean();
    photos += await deletePhotos(
      uniqueIds([
        ...r.photos.map((p) => p.gridfsId).filter((g): g is Types.ObjectId => Boolean(g)),
        ...(r.replyPhotos ?? []),
        ...hexIds(
          [...r.pendingOutbox, ...rows].map((row) => (row.payload as { photoId?: unknown } | undefined)?.photoId),
        ),
        // An answer photo of a case with no staff chat was referenced by nothing but its name.
        ...(await photoIdsNamed([`${r.code}-answer.jpg`, `${r.code}-note.jpg`])),
      ]),
    );
    if (r.erasedAt) return { erased: false, redraw: false, photos }; // an earlier, interrupted run did the rest
    const toCitizen = (row: PendingOutboxRow) => row.platform === platform && chats.includes(row.chatId);
    const pending: Record<string, unknown>[] = r.pendingOutbox
      .filter((row) => !toCitizen(row) && !isCitizenContent(row.kind))
      .map((row) => ({ ...row, payload: withoutCitizenWords(row.payload) }));
    // A card posted, or being posted right now from the report as it was read before this erasure
    // (its alert is sending the photos): redrawn either way; the redraw goes after the post.
    const card =
      r.card?.chatId && r.card.messageId && r.card.platform
        ? { platform: r.card.platform, chatId: r.card.chatId }
        : await postBeingSent(hex);
    const redraw = card !== null;
    if (card) {
      // The staff chat's id is no one's personal data; the row id stays deterministic, so a repeat queues it once.
      pending.push({
        _id: `${hex}:erased:${CARD_REDRAW_KIND}`,
        platform: card.platform,
        chatId: card.chatId,
        kind: CARD_REDRAW_KIND,
        locale: "fa",
        payload: { reportId: hex, code: r.code, reason: "erased" },
        createdAt: now,
      });
    }
    const res = await Report.updateOne(
      {
        _id: id,
        erasedAt: null,
        history: { $size: r.history.length },
        followers: { $size: r.followers.length },
        pendingOutbox: { $size: r.pendingOutbox.length },
      },
      {
        $set: {
          ...anonymisedFields(r),
          // Followers are other citizens, who asked for nothing: they keep hearing how the case ends.
          followers: r.followers,
          ...erasedTexts(),
          pendingOutbox: pending,
          erasedAt: now,
          anonymizedAt: r.anonymizedAt ?? now,
        },
      },
      { timestamps: false },
    );
    if (res.modifiedCount === 1) {
      await relayReportOutbox(id);
      return { erased: true, redraw, photos };
    }
  }
  throw new Error(`report ${id.toHexString()} kept changing; run retention again`);
}

/**
 * The citizen's own words and photos on a report, replaced by the fact `erasedAt`. Kept for the
 * statistics: category, department, region, the point (exact: an open case still needs it to be
 * found and for the on-site check of a visit; without a name or chat it points at a problem, not
 * a person), dates, status, rating.
 */
export function erasedTexts(): Filter {
  // A question still open can no longer be answered by anyone. Extra questions' answers are typed by the citizen too.
  return {
    description: "",
    address: "",
    venueTitle: "",
    attributes: [],
    photos: [],
    replyPhotos: [],
    infoRequest: null,
  };
}

function uniqueIds(ids: Types.ObjectId[]): Types.ObjectId[] {
  const seen = new Map(ids.map((id) => [id.toHexString(), id]));
  return [...seen.values()];
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const erasedRowId = () => `erased:${new Types.ObjectId().toHexString()}`;

/**
 * Every outbox row to the citizen's chats, whatever its status. The row id embeds the chat id
 * and an _id cannot change, so each row is deleted and put back as a tombstone: chat 0, no
 * payload, a fresh id, and what the operators' counts read (kind, status, attempts, dates). A
 * waiting one is stopped (failed, "forgotten"); the dead-letter alerts about one, whose ids start
 * with its id, get fresh ids too. Deleted before the tombstone is written: an interruption may
 * lose a count, never leave a row that names the chat.
 */
async function forgetChatRows(platform: Platform, chats: number[], now: Date): Promise<number> {
  if (chats.length === 0) return 0;
  let count = 0;
  for (;;) {
    const rows = await Outbox.find({ platform, chatId: { $in: chats } })
      .limit(BATCH)
      .lean();
    if (rows.length === 0) return count;
    for (const row of rows) {
      const alerts = await Outbox.find({ _id: { $regex: `^${escapeRegex(row._id)}:dead-alert:` } }).lean();
      const waiting = row.status === "pending" || row.status === "sending";
      await Outbox.deleteOne({ _id: row._id });
      await Outbox.create({
        ...row,
        _id: erasedRowId(),
        chatId: 0,
        payload: {},
        status: waiting ? "failed" : row.status,
        lastError: waiting ? "forgotten" : row.lastError,
        lockedBy: "",
        lockedUntil: null,
        // Nobody can act on a dead message to a chat that is gone.
        alertedAt: row.status === "dead" ? (row.alertedAt ?? now) : row.alertedAt,
      });
      count++;
      for (const a of alerts) {
        await Outbox.deleteOne({ _id: a._id });
        await Outbox.create({ ...a, _id: erasedRowId() });
        count++;
      }
    }
  }
}

/**
 * Rows about the citizen's reports that go to others (the staff chat, managers, followers): they
 * keep their address, lose the citizen's words and photo; a waiting one that carries only those is stopped.
 */
async function scrubReportRows(reportIds: string[]): Promise<number> {
  if (reportIds.length === 0) return 0;
  type OutboxFilter = QueryFilter<OutboxRow>;
  const about = { "payload.reportId": { $in: reportIds } };
  const stop = {
    ...about,
    kind: { $in: CITIZEN_CONTENT_KINDS },
    status: { $in: ["pending", "sending", "deferred"] },
  } as OutboxFilter;
  const words = {
    ...about,
    $or: CITIZEN_PAYLOAD_KEYS.map((k) => ({ [`payload.${k}`]: { $exists: true } })),
  } as OutboxFilter;
  const touched = new Set(
    (await Outbox.find({ $or: [stop, words] } as OutboxFilter, { _id: 1 }).lean()).map((r) => r._id),
  );
  await Outbox.updateMany(stop, {
    $set: { status: "failed", lastError: "forgotten", lockedBy: "", lockedUntil: null },
  });
  await Outbox.updateMany(words, { $unset: Object.fromEntries(CITIZEN_PAYLOAD_KEYS.map((k) => [`payload.${k}`, 1])) });
  return touched.size;
}

/** Batches until nothing matches: each anonymised report leaves the filter, so the loop ends. */
async function anonymiseMatching(filter: Filter, opts: RetentionOptions): Promise<number> {
  let count = 0;
  for (;;) {
    const batch = await Report.find(filter, { _id: 1 }).limit(BATCH).lean();
    if (batch.length === 0) return count;
    for (const { _id } of batch) {
      if (await anonymiseReport(_id, opts.now)) count++;
      opts.tick?.();
    }
  }
}

/** History entries whose note is the citizen's own words. */
const CITIZEN_WORDS_KINDS = ["citizen_reply", "citizen_note"];

/** The personal fields of one report, blanked; history entries keep kind, date, status and staff. */
export function anonymisedFields(r: ReportDoc): Filter {
  return {
    "citizen.name": "",
    "citizen.username": "",
    "citizen.phone": "",
    "citizen.userId": 0,
    "citizen.chatId": 0,
    followers: [],
    history: r.history.map((h) => {
      const byCitizen = h.by.kind === "citizen";
      return {
        ...h,
        by: byCitizen ? { ...h.by, id: 0, name: "" } : h.by,
        note: CITIZEN_WORDS_KINDS.includes(h.kind ?? "") ? "" : h.note,
      };
    }),
  };
}

/**
 * Rewrites one report's history and followers, on condition they did not grow since the read
 * (a staff action meanwhile would otherwise be lost); on such a race it reads again.
 */
async function anonymiseReport(id: Types.ObjectId, now: Date): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const r = await Report.findOne({ _id: id, anonymizedAt: null }).lean<ReportDoc>();
    if (!r) return false;
    const chats = [r.citizen.chatId, ...r.followers.map((f) => f.chatId)];
    const res = await Report.updateOne(
      { _id: id, anonymizedAt: null, history: { $size: r.history.length }, followers: { $size: r.followers.length } },
      // Unsent notices to those chats go too: nobody is left to send them to.
      { $set: { ...anonymisedFields(r), anonymizedAt: now }, $pull: { pendingOutbox: { chatId: { $in: chats } } } },
      { timestamps: false },
    );
    if (res.modifiedCount === 1) return true;
  }
  throw new Error(`report ${id.toHexString()} kept changing; run retention again`);
}
