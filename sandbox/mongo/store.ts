// Databases, collections and documents in memory. A collection keeps its documents in a Map keyed
// by the canonical `_id` (insertion order = natural order, O(1) lookups by _id) and enforces its
// unique indexes on every write. Documents are treated as immutable once stored: writers clone,
// change, then call replace().
import { ObjectId } from "bson";
import { MongoCommandError, badValue } from "./errors.ts";
import { ID_INDEX_SPEC, Index, duplicateKeyError, normalizeSpec } from "./indexes.ts";
import { getPath, keyOf, withIdFirst } from "./doc.ts";
import type { Doc } from "./doc.ts";

export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes: Index[] = [new Index(ID_INDEX_SPEC)];
  /** Insertion number of each document: index candidates are put back into natural order by it. */
  private readonly seqs = new Map<string, number>();
  private nextSeq = 0;

  constructor(
    readonly dbName: string,
    readonly name: string,
    readonly options: Doc = {},
  ) {}

  get ns(): string {
    return `${this.dbName}.${this.name}`;
  }

  all(): Doc[] {
    return Array.from(this.docs.values());
  }

  byIdKey(idKey: string): Doc | undefined {
    return this.docs.get(idKey);
  }

  /** The documents with these `_id` keys in natural order, as a scan would meet them. */
  fetch(ids: Set<string>): Doc[] {
    const out: Doc[] = [];
    // Many candidates: one pass over the Map (already in order) beats sorting them.
    if (ids.size * 8 > this.docs.size) {
      for (const [idKey, doc] of this.docs) if (ids.has(idKey)) out.push(doc);
      return out;
    }
    const ordered = Array.from(ids).sort((a, b) => (this.seqs.get(a) ?? 0) - (this.seqs.get(b) ?? 0));
    for (const idKey of ordered) {
      const doc = this.docs.get(idKey);
      if (doc) out.push(doc);
    }
    return out;
  }

  /** Stores a new document (adds `_id` first if missing) and returns it as stored. */
  insert(input: Doc): Doc {
    if (!("_id" in input) || input._id === undefined) input = { _id: new ObjectId(), ...input };
    const doc = withIdFirst(input);
    validateId(doc._id);
    const idKey = keyOf(doc._id);
    if (this.docs.has(idKey)) throw duplicateKeyError(this.ns, "_id_", { _id: 1 }, { _id: doc._id });
    for (const index of this.indexes) {
      index.checkGeo(doc);
      index.check(doc, idKey, this.ns);
    }
    for (const index of this.indexes) index.add(doc, idKey);
    this.docs.set(idKey, doc);
    this.seqs.set(idKey, this.nextSeq++);
    return doc;
  }

  /** Swaps a stored document for its updated copy; `_id` must not change. */
  replace(old: Doc, next: Doc): Doc {
    const idKey = keyOf(old._id);
    const doc = withIdFirst(next);
    if (keyOf(doc._id) !== idKey) {
      throw new MongoCommandError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
    for (const index of this.indexes) {
      index.checkGeo(doc);
      index.check(doc, idKey, this.ns);
    }
    for (const index of this.indexes) index.replace(old, doc, idKey);
    this.docs.set(idKey, doc);
    return doc;
  }

  remove(doc: Doc): void {
    const idKey = keyOf(doc._id);
    for (const index of this.indexes) index.remove(doc, idKey);
    this.docs.delete(idKey);
    this.seqs.delete(idKey);
  }

  findIndex(name: string): Index | undefined {
    return this.indexes.find((i) => i.name === name);
  }

  /** Creates an index; false if an identical one exists. Fails on conflicts or existing duplicates. */
  createIndex(rawSpec: unknown): boolean {
    const spec = normalizeSpec(rawSpec);
    const name = spec.name as string;
    const sameName = this.findIndex(name);
    if (sameName) {
      if (sameName.sameAs(spec)) return false;
      if (keyOf(sameName.spec.key) !== keyOf(spec.key)) {
        throw new MongoCommandError(
          86,
          "An existing index has the same name as the requested index. When index names are not specified, " +
            "they are auto generated and can cause conflicts. Please refer to our documentation. " +
            `Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`,
        );
      }
      throw new MongoCommandError(
        85,
        "An existing index has the same name as the requested index but different options. " +
          `Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`,
      );
    }
    const sameKeys = this.indexes.find((i) => i.sameKeys(spec));
    if (sameKeys) {
      if (sameKeys.sameAs({ ...spec, name: sameKeys.name })) {
        throw new MongoCommandError(85, `Index already exists with a different name: ${sameKeys.name}`);
      }
      throw new MongoCommandError(
        85,
        "An equivalent index already exists with the same name but different options. " +
          `Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameKeys.spec)}`,
      );
    }
    const index = new Index(spec);
    // Build against existing data first, so a failing unique build leaves nothing behind.
    for (const [idKey, doc] of this.docs) {
      index.checkGeo(doc);
      index.check(doc, idKey, this.ns);
      index.add(doc, idKey);
    }
    this.indexes.push(index);
    return true;
  }

  dropIndex(name: string): void {
    if (name === "_id_") throw badValue("cannot drop _id index");
    const at = this.indexes.findIndex((i) => i.name === name);
    if (at < 0) throw new MongoCommandError(27, `index not found with name [${name}]`);
    this.indexes.splice(at, 1);
  }

  /** TTL monitor pass: removes documents whose indexed date is older than expireAfterSeconds. */
  expire(now: number): number {
    let removed = 0;
    for (const index of this.indexes) {
      if (index.ttlSeconds === undefined) continue;
      const path = index.fields[0]?.[0] as string;
      for (const doc of this.all()) {
        const value = getPath(doc, path);
        const dates = (Array.isArray(value) ? value : [value]).filter((v): v is Date => v instanceof Date);
        if (dates.length === 0) continue;
        const oldest = Math.min(...dates.map((d) => d.getTime()));
        if (oldest + index.ttlSeconds * 1000 <= now) {
          this.remove(doc);
          removed++;
        }
      }
    }
    return removed;
  }
}

function validateId(id: unknown): void {
  if (Array.isArray(id)) throw new MongoCommandError(53, "The '_id' value cannot be of type array");
  if (id instanceof RegExp) throw new MongoCommandError(53, "The '_id' value cannot be of type regex");
}

export class Database {
  readonly collections = new Map<string, Collection>();
  constructor(readonly name: string) {}
}

/** All data of one server. `onChange` fires after every write (persistence hooks in here). */
export class Store {
  readonly databases = new Map<string, Database>();
  onChange: (() => void) | undefined;

  changed(): void {
    this.onChange?.();
  }

  getCollection(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.collections.get(name);
  }

  /** Returns the collection, creating database and collection implicitly like mongod's writes do. */
  ensureCollection(db: string, name: string, options: Doc = {}): { collection: Collection; created: boolean } {
    validateNamespace(db, name);
    let database = this.databases.get(db);
    if (!database) {
      database = new Database(db);
      this.databases.set(db, database);
    }
    const existing = database.collections.get(name);
    if (existing) return { collection: existing, created: false };
    const collection = new Collection(db, name, options);
    database.collections.set(name, collection);
    this.changed();
    return { collection, created: true };
  }

  dropCollection(db: string, name: string): boolean {
    const database = this.databases.get(db);
    const dropped = database?.collections.delete(name) ?? false;
    if (database && database.collections.size === 0) this.databases.delete(db);
    if (dropped) this.changed();
    return dropped;
  }

  dropDatabase(db: string): void {
    if (this.databases.delete(db)) this.changed();
  }

  clear(): void {
    this.databases.clear();
    this.changed();
  }

  /** Runs the TTL pass over every collection; returns how many documents expired. */
  expireAll(now = Date.now()): number {
    let removed = 0;
    for (const database of this.databases.values()) {
      for (const collection of database.collections.values()) removed += collection.expire(now);
    }
    if (removed) this.changed();
    return removed;
  }
}

export function validateNamespace(db: string, name: string): void {
  if (!db || /[/\\. "$\0]/.test(db)) throw new MongoCommandError(73, `Invalid database name: '${db}'`);
  if (!name || name.includes("$") || name.includes("\0") || name.startsWith(".")) {
    throw new MongoCommandError(73, `Invalid collection name: ${name}`);
  }
}
