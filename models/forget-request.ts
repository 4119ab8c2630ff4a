import mongoose, { Schema } from "mongoose";
import { PLATFORMS, type Platform } from "./platform.ts";

/** A citizen's "delete my personal data" request; the retention script works the queue. */
const forgetRequestSchema = new Schema(
  {
    platform: { type: String, enum: PLATFORMS, required: true },
    userId: { type: Number, required: true },
    requestedAt: { type: Date, required: true },
    status: { type: String, enum: ["pending", "done"], default: "pending" },
    doneAt: { type: Date, default: null },
  },
  { versionKey: false },
);
forgetRequestSchema.index({ platform: 1, userId: 1, status: 1 });

export const ForgetRequest = mongoose.model("ForgetRequest", forgetRequestSchema, "forget_requests");

/** Idempotent: a second request while one is pending changes nothing. Returns true if newly queued. */
export async function requestForget(platform: Platform, userId: number, now: Date): Promise<boolean> {
  const res = await ForgetRequest.updateOne(
    { platform, userId, status: "pending" },
    { $setOnInsert: { platform, userId, requestedAt: now, status: "pending" } },
    { upsert: true },
  );
  return res.upsertedCount === 1;
}
