import mongoose, { Schema } from "mongoose";
import { isDuplicateKey } from "../infra/insert-once.ts";

/**
 * Requests per client per clock minute, counted in MongoDB rather than in memory: behind a load
 * balancer every instance sees the same count, and a restart does not hand out a fresh minute.
 * One upsert per request; the rows expire by a TTL index soon after their minute.
 */
const counterSchema = new Schema(
  {
    _id: { type: String, required: true },
    count: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
counterSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const RateCounter = mongoose.model("Open311RateCounter", counterSchema, "open311_rates");

const MINUTE = 60_000;

/** Counts one request of `client`; refused (with the seconds until the next minute) past `perMinute`. */
export async function takeRequest(
  client: string,
  perMinute: number,
  now: Date,
): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const minute = Math.floor(now.getTime() / MINUTE);
  const _id = `${client}:${minute}`;
  const update = { $inc: { count: 1 }, $setOnInsert: { expiresAt: new Date((minute + 2) * MINUTE) } };
  let row;
  try {
    row = await RateCounter.findOneAndUpdate({ _id }, update, { upsert: true, new: true }).lean();
  } catch (err) {
    // Two first requests of a minute upserting at once: the loser increments the winner's row.
    if (!isDuplicateKey(err)) throw err;
    row = await RateCounter.findOneAndUpdate({ _id }, update, { new: true }).lean();
  }
  if ((row?.count ?? 0) <= perMinute) return { ok: true };
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((minute + 1) * MINUTE - now.getTime()) / 1000)) };
}
