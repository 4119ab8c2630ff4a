import mongoose, { Types } from "mongoose";
import { cleanPhoto } from "./photo-clean.ts";

const BUCKET = "photos";

type Bucket = InstanceType<typeof mongoose.mongo.GridFSBucket>;
/** One bucket per connection: a new one checks GridFS's indexes (a round trip) before its first upload. */
let opened: { db: object; bucket: Bucket } | null = null;

function bucket(): Bucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error("MongoDB is not connected");
  if (opened?.db !== db) opened = { db, bucket: new mongoose.mongo.GridFSBucket(db, { bucketName: BUCKET }) };
  return opened.bucket;
}

export interface PhotoMeta {
  filename: string;
  /**
   * Ignored: what a caller believed the type to be. The stored type is that of the cleaned bytes
   * (always image/jpeg, see photo-clean.ts).
   */
  contentType?: string;
  /** Where the bytes came from, for audits: platform and the messenger's file_unique_id. */
  source: { platform: string; fileUniqueId: string };
}

export interface StoredPhoto {
  id: Types.ObjectId;
  /** Of the bytes stored: the cleaned copy, not what the messenger delivered. */
  contentType: string;
  size: number;
  width: number;
  height: number;
}

/**
 * Stores a cleaned copy (re-encoded, no EXIF/GPS, orientation applied): the messenger's original
 * bytes never reach GridFS. Throws UnreadablePhotoError (photo-clean.ts) for bytes that are not a
 * photo; nothing is stored then.
 */
export async function storeCleanPhoto(data: Uint8Array, meta: PhotoMeta): Promise<StoredPhoto> {
  const photo = await cleanPhoto(data);
  const id = new Types.ObjectId();
  await new Promise<void>((resolve, reject) => {
    const upload = bucket().openUploadStreamWithId(id, meta.filename, {
      metadata: { contentType: photo.contentType, source: meta.source },
    });
    upload.once("error", reject);
    upload.once("finish", () => resolve());
    upload.end(photo.data);
  });
  return { id, contentType: photo.contentType, size: photo.data.byteLength, width: photo.width, height: photo.height };
}

/** `storeCleanPhoto` for callers that keep only the id. */
export async function storePhoto(data: Uint8Array, meta: PhotoMeta): Promise<Types.ObjectId> {
  return (await storeCleanPhoto(data, meta)).id;
}

/**
 * The photo's bytes, read from its chunks in one query. The driver's download stream reads the
 * files document first (one more round trip per photo) only to learn the length and chunk size;
 * a photo is stored whole before any report or row refers to it, so its chunks are all there, in
 * order from 0. No chunk at all, or a gap (a delete under way), is "not found", as GridFS says it.
 */
export async function readPhoto(id: Types.ObjectId): Promise<Buffer> {
  const db = mongoose.connection.db;
  if (!db) throw new Error("MongoDB is not connected");
  const chunks = await db
    .collection<{ files_id: Types.ObjectId; n: number; data: InstanceType<typeof mongoose.mongo.Binary> }>(
      `${BUCKET}.chunks`,
    )
    .find({ files_id: id }, { projection: { _id: 0, n: 1, data: 1 } })
    .sort({ n: 1 })
    .toArray();
  if (chunks.length === 0 || chunks.some((c, i) => c.n !== i))
    throw new mongoose.mongo.MongoRuntimeError(`File not found for id ${id.toHexString()}`);
  return Buffer.concat(chunks.map((c) => c.data.buffer.subarray(0, c.data.length())));
}

/** The "not found" of readPhoto and of GridFS's own delete: the photo is not (or no longer) stored. */
export function isPhotoMissing(err: unknown): boolean {
  return err instanceof mongoose.mongo.MongoRuntimeError && /file not found/i.test(err.message);
}

export async function deletePhoto(id: Types.ObjectId): Promise<void> {
  await bucket().delete(id);
}

/**
 * Deletes these files and their chunks; returns how many files existed. An id already gone is
 * fine (a repeated erasure, a photo removed earlier): the driver still clears stray chunks of it.
 */
export async function deletePhotos(ids: Types.ObjectId[]): Promise<number> {
  let deleted = 0;
  for (const id of ids) {
    try {
      await bucket().delete(id);
      deleted++;
    } catch (err) {
      if (!isPhotoMissing(err)) throw err;
    }
  }
  return deleted;
}

/** Ids of the files stored under these names (a citizen's answer photos are named after the case: `<code>-answer.jpg`). */
export async function photoIdsNamed(filenames: string[]): Promise<Types.ObjectId[]> {
  if (filenames.length === 0) return [];
  const files = await bucket()
    .find({ filename: { $in: filenames } }, { projection: { _id: 1 } })
    .toArray();
  return files.map((f) => f._id as Types.ObjectId);
}
