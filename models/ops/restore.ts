import mongoose from "mongoose";
import { readCollectionFile, type CollectionEntry, type Manifest } from "./backup.ts";

/** The other half of models/ops/backup.ts: puts a backup directory back into a database. */
const { EJSON } = mongoose.mongo.BSON;
type Db = mongoose.mongo.Db;
type Doc = mongoose.mongo.Document;

export interface PlanEntry {
  name: string;
  /** Documents in the backup. */
  count: number;
  /** Documents the target collection holds now (they block the restore unless forced). */
  existing: number;
  indexes: number;
}

/** What a restore would do, read-only: the basis of --dry-run and of the "not empty" refusal. */
export async function planRestore(db: Db, manifest: Manifest): Promise<PlanEntry[]> {
  const plan: PlanEntry[] = [];
  for (const c of manifest.collections) {
    plan.push({
      name: c.name,
      count: c.count,
      existing: await db.collection(c.name).countDocuments({}),
      indexes: c.indexes.length,
    });
  }
  return plan;
}

export interface RestoreHooks {
  start?(name: string, total: number): void;
  inserted?(n: number): void;
  end?(name: string): void;
}

/** listIndexes output → createIndexes input ("v" and "ns" are the server's own fields). */
function indexSpecs(entry: CollectionEntry): mongoose.mongo.IndexDescription[] {
  return entry.indexes
    .map((raw) => EJSON.deserialize(raw, { relaxed: false }) as Doc)
    .filter((spec) => spec.name !== "_id_")
    .map((spec) => {
      const { v: _v, ns: _ns, key, ...options } = spec;
      return { key: key as mongoose.mongo.IndexDescription["key"], ...options };
    });
}

async function restoreCollection(
  db: Db,
  dir: string,
  entry: CollectionEntry,
  batchSize: number,
  hooks: RestoreHooks,
): Promise<void> {
  const options = EJSON.deserialize(entry.options, { relaxed: false }) as mongoose.mongo.CreateCollectionOptions;
  await db.createCollection(entry.name, options);
  const specs = indexSpecs(entry);
  // Indexes first: a unique index then rejects what would have been a corrupt restore.
  if (specs.length > 0) await db.collection(entry.name).createIndexes(specs);
  hooks.start?.(entry.name, entry.count);
  let batch: Doc[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await db.collection(entry.name).insertMany(batch, { ordered: true });
    hooks.inserted?.(batch.length);
    batch = [];
  };
  for await (const doc of readCollectionFile(dir, entry.name)) {
    batch.push(doc);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  hooks.end?.(entry.name);
}

/**
 * Restores every collection of the manifest. `force` drops the listed collections first (the
 * caller has confirmed); without it any listed collection holding documents stops the restore.
 */
export async function restoreDatabase(
  db: Db,
  dir: string,
  manifest: Manifest,
  opts: { force: boolean; batchSize?: number },
  hooks: RestoreHooks = {},
): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const entry of manifest.collections) {
    if (existing.has(entry.name)) {
      // An empty collection is dropped too, so its indexes and options come from the backup.
      if (!opts.force && (await db.collection(entry.name).countDocuments({})) > 0)
        throw new Error(`collection ${entry.name} is not empty`);
      await db.collection(entry.name).drop();
    }
    await restoreCollection(db, dir, entry, opts.batchSize ?? 1000, hooks);
  }
}

export interface CountMismatch {
  name: string;
  expected: number;
  actual: number;
}

export async function verifyCounts(db: Db, manifest: Manifest): Promise<CountMismatch[]> {
  const out: CountMismatch[] = [];
  for (const c of manifest.collections) {
    const actual = await db.collection(c.name).countDocuments({});
    if (actual !== c.count) out.push({ name: c.name, expected: c.count, actual });
  }
  return out;
}
