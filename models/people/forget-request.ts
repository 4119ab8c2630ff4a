import mongoose, { Schema, type Types } from "mongoose";
import { PLATFORMS, type Platform } from "../common/platform.ts";
import { invalidIdError, isPlatform, isUserId, SANITIZED } from "../common/ids.ts";

/** What one erasure removed, per collection: the counts the retention script prints and the done request keeps. */
const erasedSchema = new Schema(
  {
    reports: { type: Number, default: 0 },
    outbox: { type: Number, default: 0 },
    gridfsFiles: { type: Number, default: 0 },
    botState: { type: Number, default: 0 },
    inbox: { type: Number, default: 0 },
    citizens: { type: Number, default: 0 },
    cardRedraws: { type: Number, default: 0 },
  },
  { _id: false },
);

/**
 * A citizen's "delete my personal data" request; the retention script works the queue. A done
 * request keeps no trace of who asked (user id 0, scope emptied): only when, and what was erased.
 */
const forgetRequestSchema = new Schema(
  {
    platform: { type: String, enum: PLATFORMS, required: true },
    userId: { type: Number, required: true },
    requestedAt: { type: Date, required: true },
    status: { type: String, enum: ["pending", "done"], default: "pending" },
    doneAt: { type: Date, default: null },
    /**
     * Saved before anything is erased: an erased report no longer names its reporter, so a run
     * interrupted half-way finds the rest of the work (outbox rows, photos) through these.
     */
    reportIds: { type: [Schema.Types.ObjectId], default: [] },
    chatIds: { type: [Number], default: [] },
    erased: { type: erasedSchema, default: null },
  },
  { versionKey: false },
);
forgetRequestSchema.index({ platform: 1, userId: 1, status: 1 });

export const ForgetRequest = mongoose.model("ForgetRequest", forgetRequestSchema, "forget_requests");

export interface ErasureCounts {
  /** Reports whose reporter, free texts and photos were erased. */
  reports: number;
  /** Outbox rows rewritten: re-addressed to chat 0 without texts, stopped, or cleared of the citizen's words. */
  outbox: number;
  gridfsFiles: number;
  botState: number;
  inbox: number;
  citizens: number;
  /** Case cards queued to be redrawn without the reporter. */
  cardRedraws: number;
}

export const NO_ERASURE: ErasureCounts = {
  reports: 0,
  outbox: 0,
  gridfsFiles: 0,
  botState: 0,
  inbox: 0,
  citizens: 0,
  cardRedraws: 0,
};

export interface PendingForget {
  id: Types.ObjectId;
  platform: Platform;
  userId: number;
}

/**
 * Idempotent: a second request while one is pending changes nothing. Returns true if newly queued.
 * The id comes from the update: one no person has is refused (DomainError), never matched.
 */
export async function requestForget(platform: Platform, userId: number, now: Date): Promise<boolean> {
  if (!isPlatform(platform) || !isUserId(userId)) throw invalidIdError("requestForget");
  const res = await ForgetRequest.updateOne(
    { platform, userId, status: "pending" },
    { $setOnInsert: { platform, userId, requestedAt: now, status: "pending" } },
    { upsert: true, ...SANITIZED },
  );
  return res.upsertedCount === 1;
}

export async function pendingForgetRequests(): Promise<PendingForget[]> {
  const rows = await ForgetRequest.find({ status: "pending" }, { platform: 1, userId: 1 })
    .sort({ requestedAt: 1 })
    .lean();
  return rows.map((r) => ({ id: r._id, platform: r.platform as Platform, userId: r.userId }));
}

/** Adds what was found now to what an earlier, interrupted run saved; returns the union. */
export async function rememberForgetScope(
  id: Types.ObjectId,
  reportIds: Types.ObjectId[],
  chatIds: number[],
): Promise<{ reportIds: Types.ObjectId[]; chatIds: number[] }> {
  const doc = await ForgetRequest.findOneAndUpdate(
    { _id: id, status: "pending" },
    { $addToSet: { reportIds: { $each: reportIds }, chatIds: { $each: chatIds } } },
    { returnDocument: "after", projection: { reportIds: 1, chatIds: 1 } },
  ).lean();
  return { reportIds: (doc?.reportIds ?? reportIds) as Types.ObjectId[], chatIds: doc?.chatIds ?? chatIds };
}

/** Done: who asked and what it reached are forgotten too; the counts stay for the audit. */
export async function finishForgetRequest(id: Types.ObjectId, now: Date, erased: ErasureCounts): Promise<void> {
  await ForgetRequest.updateOne(
    { _id: id, status: "pending" },
    { $set: { status: "done", doneAt: now, userId: 0, reportIds: [], chatIds: [], erased } },
  );
}
