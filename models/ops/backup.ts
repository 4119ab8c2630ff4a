import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { once } from "node:events";
import { createInterface } from "node:readline";
import mongoose from "mongoose";

/**
 * A database dump without mongodump: one canonical-EJSON line per document (ObjectId, Date,
 * Binary, Long keep their exact types), one file per collection, and a manifest with counts and
 * index specs. GridFS photos are ordinary collections (photos.files / photos.chunks) here.
 */
export const BACKUP_FORMAT = 1;
const { EJSON } = mongoose.mongo.BSON;
type Db = mongoose.mongo.Db;
type Session = mongoose.mongo.ClientSession;
type Doc = mongoose.mongo.Document;

export interface CollectionEntry {
  name: string;
  count: number;
  /** `listIndexes` output as-is (EJSON, so key patterns keep their number types). */
  indexes: Doc[];
  /** createCollection options (validators, capped…) so the restored collection is the same kind. */
  options: Doc;
}

export interface Manifest {
  format: number;
  db: string;
  startedAt: string;
  finishedAt: string;
  /** "snapshot": every collection read at one cluster time (replica set). "none": standalone, see operationTime. */
  consistency: "snapshot" | "none";
  /** Cluster time of the reads when the server reports one (replica sets), canonical EJSON. */
  operationTime: Doc | null;
  collections: CollectionEntry[];
}

export interface DumpHooks {
  /** Called once per collection before its documents, with the number expected. */
  start?(name: string, total: number): void;
  doc?(): void;
  end?(name: string, count: number): void;
}

export function collectionFile(dir: string, name: string): string {
  return path.join(dir, `${name}.jsonl`);
}

export function manifestFile(dir: string): string {
  return path.join(dir, "manifest.json");
}

/** Plain collections only: views have no documents of their own and system.* belong to the server. */
export async function listDataCollections(db: Db): Promise<{ name: string; options: Doc }[]> {
  const all = await db.listCollections({}).toArray();
  return all
    .filter((c) => (c.type ?? "collection") === "collection" && !c.name.startsWith("system."))
    .map((c) => ({ name: c.name, options: ("options" in c ? c.options : undefined) ?? {} }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function isReplicaSet(db: Db): Promise<boolean> {
  const hello = await db.admin().command({ hello: 1 });
  return typeof hello.setName === "string";
}

/** Writes one line per document with backpressure, so memory stays flat whatever the size. */
async function dumpCollection(
  db: Db,
  name: string,
  file: string,
  session: Session | undefined,
  hooks: DumpHooks,
): Promise<number> {
  const out = createWriteStream(file, { encoding: "utf8" });
  let count = 0;
  try {
    for await (const doc of db.collection(name).find({}, { session, sort: { _id: 1 } })) {
      if (!out.write(`${EJSON.stringify(doc, { relaxed: false })}\n`)) await once(out, "drain");
      count++;
      hooks.doc?.();
    }
  } finally {
    out.end();
    await once(out, "close");
  }
  return count;
}

/**
 * Dumps every collection of `db` into `dir`. On a replica set all reads share one snapshot
 * session, so the files are one consistent point in time; a standalone has no snapshots (writes
 * during the backup may be partially included) and the manifest says so.
 */
export async function backupDatabase(db: Db, dir: string, hooks: DumpHooks = {}): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  const startedAt = new Date().toISOString();
  const snapshot = await isReplicaSet(db);
  const session = snapshot ? db.client.startSession({ snapshot: true }) : undefined;
  try {
    const collections: CollectionEntry[] = [];
    // Catalog reads (collections, indexes) stay outside the snapshot: snapshot read concern covers find/aggregate only.
    for (const { name, options } of await listDataCollections(db)) {
      hooks.start?.(name, await db.collection(name).countDocuments({}, { session }));
      const count = await dumpCollection(db, name, collectionFile(dir, name), session, hooks);
      const indexes = await db.collection(name).listIndexes().toArray();
      collections.push({
        name,
        count,
        indexes: indexes.map((i) => EJSON.serialize(i, { relaxed: false })),
        options: EJSON.serialize(options, { relaxed: false }),
      });
      hooks.end?.(name, count);
    }
    const operationTime = session?.operationTime
      ? EJSON.serialize({ t: session.operationTime }, { relaxed: false })
      : null;
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      db: db.databaseName,
      startedAt,
      finishedAt: new Date().toISOString(),
      consistency: snapshot ? "snapshot" : "none",
      operationTime,
      collections,
    };
    await writeFile(manifestFile(dir), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    await session?.endSession();
  }
}

export class BackupError extends Error {}

export async function readManifest(dir: string): Promise<Manifest> {
  let raw: string;
  try {
    raw = await readFile(manifestFile(dir), "utf8");
  } catch {
    throw new BackupError(`${manifestFile(dir)} not found: --from must be a directory written by npm run backup`);
  }
  const manifest = JSON.parse(raw) as Manifest;
  if (manifest.format !== BACKUP_FORMAT)
    throw new BackupError(`backup format ${String(manifest.format)} is not supported (expected ${BACKUP_FORMAT})`);
  return manifest;
}

/** Reads a collection file back, one document at a time (constant memory). */
export async function* readCollectionFile(dir: string, name: string): AsyncGenerator<Doc> {
  const lines = createInterface({
    input: createReadStream(collectionFile(dir, name), { encoding: "utf8" }),
    crlfDelay: Infinity,
  });
  for await (const line of lines) if (line.trim() !== "") yield EJSON.parse(line, { relaxed: false }) as Doc;
}
