import type { Types } from "mongoose";
import { Report, type ReportDoc } from "./report.ts";
import { Citizen } from "./citizen.ts";
import { deletePrivateChatState } from "./kv-store.ts";
import { deleteChatUpdates } from "./inbox.ts";
import { Outbox } from "./outbox.ts";
import { ForgetRequest } from "./forget-request.ts";
import type { Platform } from "./platform.ts";

/**
 * Retention: personal data of citizens leaves reports closed long ago (and every report of a
 * citizen who asked /forgetme), while everything the statistics read stays: platform, category,
 * region, department, dates, statuses, ratings, history kinds and dates.
 */

const DAY = 86_400_000;
const CLOSED = ["resolved", "rejected", "duplicate"];
const BATCH = 200;

type Filter = Record<string, unknown>;

interface Citizenish {
  platform: Platform;
  userId: number;
}

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
}

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

function ofCitizen(c: Citizenish): Filter {
  return { platform: c.platform, "citizen.userId": c.userId, anonymizedAt: null };
}

async function pendingRequests() {
  return ForgetRequest.find({ status: "pending" }).sort({ requestedAt: 1 }).lean();
}

/** What a run would do; changes nothing (the dry run, and the numbers the confirmation shows). */
export async function planRetention(opts: RetentionOptions): Promise<RetentionPlan> {
  const cutoff = retentionCutoff(opts.days, opts.now);
  const requests = await pendingRequests();
  const forgetRequests = [];
  for (const r of requests) {
    const platform = r.platform as Platform;
    forgetRequests.push({ id: String(r._id), platform, userId: r.userId, reports: await Report.countDocuments(ofCitizen({ platform, userId: r.userId })) });
  }
  const notForgotten = requests.length > 0 ? { $nor: requests.map((r) => ({ platform: r.platform, "citizen.userId": r.userId })) } : {};
  const closedReports = await Report.countDocuments({ ...closedBefore(cutoff), ...notForgotten });
  return { cutoff, closedReports, forgetRequests };
}

/** Forget requests first (they reach open reports too), then reports closed before the cutoff. */
export async function applyRetention(opts: RetentionOptions): Promise<RetentionResult> {
  let forgetReports = 0;
  const requests = await pendingRequests();
  for (const r of requests) {
    forgetReports += await forgetCitizen({ platform: r.platform as Platform, userId: r.userId }, opts);
    await ForgetRequest.updateOne({ _id: r._id, status: "pending" }, { $set: { status: "done", doneAt: opts.now } });
  }
  const closedReports = await anonymiseMatching(closedBefore(retentionCutoff(opts.days, opts.now)), opts);
  return { closedReports, forgetRequests: requests.length, forgetReports };
}

/** Everything personal about one citizen: their reports, follower entries, pending messages, profile, a half-filled form. */
async function forgetCitizen(c: Citizenish, opts: RetentionOptions): Promise<number> {
  const profile = await Citizen.findOne({ platform: c.platform, userId: c.userId }).lean();
  const reportChats: number[] = await Report.distinct("citizen.chatId", ofCitizen(c));
  const chats = [...new Set([...reportChats, ...(profile ? [profile.chatId] : [])])];
  const count = await anonymiseMatching(ofCitizen(c), opts);
  await Report.updateMany({ followers: { $elemMatch: { platform: c.platform, userId: c.userId } } }, { $pull: { followers: { platform: c.platform, userId: c.userId } } }, { timestamps: false });
  if (chats.length > 0) {
    await Outbox.updateMany({ platform: c.platform, chatId: { $in: chats }, status: "pending" }, { $set: { status: "unreachable", lastError: "forgotten" } });
  }
  await Citizen.deleteOne({ platform: c.platform, userId: c.userId });
  await deletePrivateChatState(c.platform, chats);
  // Their updates the inbox has not finished with (or parked) still carry what they typed.
  await deleteChatUpdates(c.platform, [...new Set([...chats, c.userId])]);
  return count;
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
        note: h.kind === "citizen_reply" ? "" : h.note,
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
