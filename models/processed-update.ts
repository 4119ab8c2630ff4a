import mongoose, { Schema } from "mongoose";
import type { Platform } from "./platform.ts";
import { isDuplicateKey } from "./outbox-relay.ts";

/** How long an update id is remembered: Telegram retries a webhook delivery for far less than a day. */
export const PROCESSED_UPDATE_TTL_S = 24 * 3_600;

/**
 * Updates already taken in, keyed `${platform}:${update_id}`: a webhook retry (or a second long-poll
 * delivery after a crash before the offset was confirmed) is recognised and handled once.
 */
const processedUpdateSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
processedUpdateSchema.index({ at: 1 }, { expireAfterSeconds: PROCESSED_UPDATE_TTL_S });

export const ProcessedUpdate = mongoose.model("ProcessedUpdate", processedUpdateSchema, "processed_updates");

/** Whether this update was handled before. */
export async function wasUpdateProcessed(platform: Platform, updateId: number): Promise<boolean> {
  return (await ProcessedUpdate.exists({ _id: `${platform}:${updateId}` })) !== null;
}

/**
 * Records the update as handled. `true` = first delivery (handle it); `false` = seen before (skip).
 * Other errors (the database is away) propagate: the caller decides.
 */
export async function markUpdateProcessed(platform: Platform, updateId: number, now: Date): Promise<boolean> {
  try {
    await ProcessedUpdate.create({ _id: `${platform}:${updateId}`, at: now });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
