import mongoose, { Schema, Types } from "mongoose";
import { PLATFORMS, type Platform } from "../common/platform.ts";
import { isPlatform, isUserId, SANITIZED } from "../common/ids.ts";

/**
 * What a citizen sent that waits for them to say where it goes, kept briefly:
 * - `offer`: free text or a photo sent outside a form, until they press "add to report X" or
 *   "file a new report with this";
 * - `reason`: a "not fixed" answer waiting for "what is still wrong" (the next message goes to
 *   the reopened case).
 * The citizen's words live here only until then (a day at most, TTL index), never in a sentence
 * of ours; erasure (models/ops/retention.ts) deletes a forgotten citizen's rows at once.
 */
const keptSchema = new Schema(
  {
    kind: { type: String, enum: ["offer", "reason"], required: true },
    platform: { type: String, enum: PLATFORMS, required: true },
    userId: { type: Number, required: true },
    text: { type: String, default: "" },
    /** The messenger's file id (valid for this bot only): the photo is copied into GridFS when it is used. */
    photo: {
      type: new Schema(
        {
          fileId: { type: String, required: true },
          fileUniqueId: { type: String, default: "" },
          size: { type: Number, default: 0 },
        },
        { _id: false },
      ),
      default: null,
    },
    /** `reason`: the reopened case the answer belongs to. */
    reportId: { type: Schema.Types.ObjectId, default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
keptSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
keptSchema.index({ platform: 1, userId: 1, kind: 1, createdAt: -1 });

export const KeptMessage = mongoose.model("KeptMessage", keptSchema, "kept_messages");

/** Long enough to answer tomorrow morning; short enough that a stale button is clearly stale. */
export const KEEP_MS = 24 * 3_600_000;

export interface KeptPhoto {
  fileId: string;
  fileUniqueId: string;
  size: number;
}

export interface KeptOffer {
  id: string;
  text: string;
  photo: KeptPhoto | null;
}

export interface ReasonPrompt {
  id: string;
  reportId: Types.ObjectId;
  createdAt: Date;
}

const validIds = (platform: Platform, userId: number) => isPlatform(platform) && isUserId(userId);
const objectId = (id: string) => (typeof id === "string" && /^[0-9a-f]{24}$/.test(id) ? new Types.ObjectId(id) : null);

/** Keeps a message until the citizen chooses what to do with it; returns its id for the buttons. */
export async function keepOffer(
  platform: Platform,
  userId: number,
  text: string,
  photo: KeptPhoto | null,
  now: Date,
): Promise<string> {
  const doc = await KeptMessage.create({
    kind: "offer",
    platform,
    userId,
    text,
    photo,
    createdAt: now,
    expiresAt: new Date(now.getTime() + KEEP_MS),
  });
  return doc._id.toHexString();
}

/** The kept message behind a button, only for the citizen who sent it, on this messenger, while it is kept. */
export async function findOffer(id: string, platform: Platform, userId: number, now: Date): Promise<KeptOffer | null> {
  const _id = objectId(id);
  if (!_id || !validIds(platform, userId)) return null;
  const doc = await KeptMessage.findOne(
    { _id, kind: "offer", platform, userId, expiresAt: mongoose.trusted({ $gt: now }) },
    null,
    SANITIZED,
  ).lean();
  if (!doc) return null;
  const photo = doc.photo
    ? { fileId: doc.photo.fileId, fileUniqueId: doc.photo.fileUniqueId ?? "", size: doc.photo.size ?? 0 }
    : null;
  return { id, text: doc.text ?? "", photo };
}

/** Used (or declined): the words leave with it. True if this call removed it. */
export async function dropKept(
  kind: "offer" | "reason",
  id: string,
  platform: Platform,
  userId: number,
): Promise<boolean> {
  const _id = objectId(id);
  if (!_id || !validIds(platform, userId)) return false;
  return (await KeptMessage.deleteOne({ _id, kind, platform, userId }, SANITIZED)).deletedCount === 1;
}

/** After "not fixed": the citizen's next message answers "what is still wrong?" (one waiting answer per citizen). */
export async function awaitReason(
  platform: Platform,
  userId: number,
  reportId: Types.ObjectId,
  now: Date,
): Promise<string> {
  await KeptMessage.deleteMany({ kind: "reason", platform, userId }, SANITIZED);
  const doc = await KeptMessage.create({
    kind: "reason",
    platform,
    userId,
    reportId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + KEEP_MS),
  });
  return doc._id.toHexString();
}

export async function findReasonPrompt(platform: Platform, userId: number, now: Date): Promise<ReasonPrompt | null> {
  if (!validIds(platform, userId)) return null;
  const doc = await KeptMessage.findOne(
    { kind: "reason", platform, userId, expiresAt: mongoose.trusted({ $gt: now }) },
    null,
    SANITIZED,
  )
    .sort({ createdAt: -1 })
    .lean();
  return doc?.reportId ? { id: doc._id.toHexString(), reportId: doc.reportId, createdAt: doc.createdAt } : null;
}

/** Erasure: every kept message and waiting answer of this citizen. */
export async function deleteKeptOf(platform: Platform, userId: number): Promise<number> {
  return (await KeptMessage.deleteMany({ platform, userId }, SANITIZED)).deletedCount;
}
