// Optional snapshot file (canonical Extended JSON, so ObjectId/Date/Binary/Long keep their types),
// loaded at start and rewritten ~200 ms after writes and on stop. Writes go to a temp file and
// are renamed into place, so a crash never leaves half a snapshot.
import { mkdirSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { EJSON, deserialize, serialize } from "bson";
import type { Doc } from "./doc.ts";
import { isPlainObject } from "./doc.ts";
import type { Store } from "./store.ts";
import { DESERIALIZE_OPTIONS } from "./wire.ts";

const FORMAT = "citizen137-memory-mongo/1";
const DEBOUNCE_MS = 200;

interface CollectionSnapshot {
  options: Doc;
  indexes: Doc[];
  documents: Doc[];
}

type Snapshot = { format: string; savedAt: Date; databases: Record<string, Record<string, CollectionSnapshot>> };

export function snapshotOf(store: Store): Snapshot {
  const databases: Snapshot["databases"] = {};
  for (const [dbName, db] of store.databases) {
    const collections: Record<string, CollectionSnapshot> = {};
    for (const [name, c] of db.collections) {
      collections[name] = { options: c.options, indexes: c.indexes.slice(1).map((i) => i.spec), documents: c.all() };
    }
    databases[dbName] = collections;
  }
  return { format: FORMAT, savedAt: new Date(), databases };
}

/** Loads a snapshot into an empty store. Values pass through BSON once so they look exactly as if they had come over the wire. */
export function restore(store: Store, snapshot: unknown): void {
  if (!isPlainObject(snapshot) || snapshot.format !== FORMAT || !isPlainObject(snapshot.databases)) {
    throw new Error(`not a ${FORMAT} snapshot`);
  }
  for (const [dbName, collections] of Object.entries(snapshot.databases)) {
    if (!isPlainObject(collections)) continue;
    for (const [name, raw] of Object.entries(collections)) {
      if (!isPlainObject(raw)) continue;
      const { collection } = store.ensureCollection(
        dbName,
        name,
        isPlainObject(raw.options) ? viaBson(raw.options) : {},
      );
      for (const spec of Array.isArray(raw.indexes) ? raw.indexes : []) collection.createIndex(viaBson(spec));
      // One document at a time: a whole collection may exceed the 16 MiB BSON limit.
      for (const doc of Array.isArray(raw.documents) ? raw.documents : []) collection.insert(viaBson(doc));
    }
  }
}

function viaBson(value: unknown): Doc {
  if (!isPlainObject(value)) throw new Error("snapshot entries must be objects");
  return deserialize(serialize(value), DESERIALIZE_OPTIONS);
}

export class Persister {
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly store: Store,
  ) {}

  /** Reads the snapshot if the file exists; a missing file is an empty store. */
  load(): boolean {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw err;
    }
    restore(this.store, EJSON.parse(text, { relaxed: false }));
    return true;
  }

  /** Called after every write: coalesces bursts into one save. */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, DEBOUNCE_MS);
  }

  /** Writes now if a save is pending, and waits for any save in progress. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.save();
    }
    await this.chain;
  }

  private save(): Promise<void> {
    // Serialise synchronously (a consistent snapshot), write asynchronously, one write at a time.
    const text = EJSON.stringify(snapshotOf(this.store), { relaxed: false });
    this.chain = this.chain
      .then(async () => {
        mkdirSync(dirname(this.path), { recursive: true });
        const tmp = `${this.path}.${process.pid}.tmp`;
        await writeFile(tmp, text);
        await rename(tmp, this.path);
      })
      .catch((err: unknown) => {
        process.stderr.write(`memory-mongo: could not write snapshot ${this.path}: ${String(err)}\n`);
      });
    return this.chain;
  }
}
