// Index definitions. Unique indexes keep a Map from the canonical key to the owning document, so
// duplicate checks are O(1) per write; geo indexes make documents hold valid GeoJSON (and $near
// needs one, as on mongod). Ordinary ascending/descending indexes also keep their keys in order
// (keytree.ts) so the query planner (planner.ts) can fetch candidates instead of scanning.
import type { Query } from "mingo/query";
import { MongoCommandError, badValue } from "./errors.ts";
import { formatValue, indexValues, isPlainObject, keyOf } from "./doc.ts";
import type { Doc } from "./doc.ts";
import { invalidGeoReason, rawValuesAt } from "./geo.ts";
import { newQuery } from "./mingo.ts";
import { KeyTree } from "./keytree.ts";

const SPECIAL_KEY_TYPES = new Set(["2dsphere", "2d", "text", "hashed"]);
/** Options mongod does not echo back in listIndexes. */
const DROPPED_OPTIONS = new Set(["background", "ns"]);
/** Options that make two indexes on the same keys different indexes. */
const IDENTITY_OPTIONS = ["partialFilterExpression", "collation"];
/** Options that must match when an index with the same name is created again. */
const COMPARED_OPTIONS = ["unique", "sparse", "partialFilterExpression", "expireAfterSeconds", "collation", "hidden"];

export const ID_INDEX_SPEC: Doc = { v: 2, key: { _id: 1 }, name: "_id_" };

/** Largest cartesian product of multikey values we index for one document. */
const MAX_KEYS_PER_DOC = 10_000;

export function duplicateKeyError(ns: string, indexName: string, keyPattern: Doc, keyValue: Doc): MongoCommandError {
  return new MongoCommandError(
    11000,
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: ${formatValue(keyValue)}`,
    { keyPattern, keyValue },
  );
}

/** Validates a createIndexes entry and returns the spec as listIndexes will show it. */
export function normalizeSpec(raw: unknown): Doc {
  if (!isPlainObject(raw)) throw badValue("index specification must be an object");
  const key = raw.key;
  if (!isPlainObject(key) || Object.keys(key).length === 0)
    throw new MongoCommandError(67, "Index keys cannot be empty.");
  for (const [field, dir] of Object.entries(key)) {
    const ok =
      (typeof dir === "number" && dir !== 0 && Number.isFinite(dir)) ||
      (typeof dir === "string" && SPECIAL_KEY_TYPES.has(dir));
    if (!ok)
      throw new MongoCommandError(
        67,
        `Values in the index key pattern can contain only non-zero numbers or index types; got ${field}: ${formatValue(dir)}`,
      );
  }
  if (typeof raw.name !== "string" || raw.name === "") throw badValue("index name must be a non-empty string");
  const spec: Doc = { v: 2, key, name: raw.name };
  for (const [option, value] of Object.entries(raw)) {
    if (option === "key" || option === "name" || option === "v" || DROPPED_OPTIONS.has(option)) continue;
    spec[option] = value;
  }
  if (Object.values(key).includes("2dsphere") && spec["2dsphereIndexVersion"] === undefined)
    spec["2dsphereIndexVersion"] = 3;
  if (spec.expireAfterSeconds !== undefined && typeof spec.expireAfterSeconds !== "number") {
    throw new MongoCommandError(67, "TTL index 'expireAfterSeconds' option must be numeric");
  }
  return spec;
}

export class Index {
  readonly name: string;
  readonly fields: [string, unknown][];
  readonly unique: boolean;
  readonly sparse: boolean;
  /** expireAfterSeconds of a single-field TTL index. */
  readonly ttlSeconds: number | undefined;
  /** Fields indexed as 2dsphere/2d: their values must be valid geometries. */
  readonly geoFields: { path: string; kind: string }[];
  private readonly partial: Query<Doc> | undefined;
  /** unique key → canonical `_id` key of the document holding it. */
  private readonly owners = new Map<string, string>();
  /** The keys in BSON order, for indexes the planner may use; undefined for the others. */
  readonly tree: KeyTree | undefined;
  /** Field positions that have held an array in some document (mongod's "multikey paths"). */
  readonly multikey = new Set<number>();
  /** Set once a document had more key combinations than we index: the tree is then incomplete. */
  truncated = false;

  constructor(readonly spec: Doc) {
    this.name = spec.name as string;
    this.fields = Object.entries(spec.key as Doc);
    this.unique = spec.unique === true && this.name !== "_id_";
    this.sparse = spec.sparse === true;
    this.ttlSeconds =
      typeof spec.expireAfterSeconds === "number" && this.fields.length === 1 ? spec.expireAfterSeconds : undefined;
    this.geoFields = this.fields
      .filter(([, kind]) => kind === "2dsphere" || kind === "2d")
      .map(([path, kind]) => ({ path, kind: kind as string }));
    this.partial = isPlainObject(spec.partialFilterExpression) ? newQuery(spec.partialFilterExpression) : undefined;
    this.tree = this.plannable() ? new KeyTree() : undefined;
  }

  /**
   * Plain ascending/descending keys on ordinary paths, no partial filter, collation or hidden
   * flag: the kinds whose entries say for sure which documents a lookup can skip.
   */
  private plannable(): boolean {
    return (
      this.partial === undefined &&
      this.spec.collation === undefined &&
      this.spec.hidden !== true &&
      this.fields.every(
        ([path, dir]) => typeof dir === "number" && !path.split(".").some((part) => part === "" || /^\d+$/.test(part)),
      )
    );
  }

  get keyPattern(): Doc {
    return spec(this.fields);
  }

  /** True when createIndexes with `other` should be a no-op. */
  sameAs(other: Doc): boolean {
    return (
      keyOf(this.spec.key) === keyOf(other.key) &&
      COMPARED_OPTIONS.every((o) => keyOf(this.spec[o]) === keyOf(other[o]))
    );
  }

  /** True when `other` covers the same keys (same index under another name). */
  sameKeys(other: Doc): boolean {
    return (
      keyOf(this.spec.key) === keyOf(other.key) &&
      IDENTITY_OPTIONS.every((o) => keyOf(this.spec[o]) === keyOf(other[o]))
    );
  }

  /** The keys of `doc` (canonical string → one value per field); empty if the index skips it. */
  private keysOf(doc: Doc): Map<string, unknown[]> {
    const out = new Map<string, unknown[]>();
    if (this.partial && !this.partial.test(doc)) return out;
    const perField = this.fields.map(([path]) => indexValues(doc, path));
    if (this.sparse && perField.every((values) => values.every((v) => v === undefined))) return out;
    let combos: unknown[][] = [[]];
    for (const values of perField) {
      const next: unknown[][] = [];
      for (const combo of combos) for (const v of values) next.push([...combo, v ?? null]);
      if (next.length > MAX_KEYS_PER_DOC) this.truncated = true;
      combos = next.slice(0, MAX_KEYS_PER_DOC);
    }
    for (const combo of combos) {
      const key = combo.map(keyOf).join("|");
      if (!out.has(key)) out.set(key, combo);
    }
    return out;
  }

  private keyValue(combo: unknown[]): Doc {
    const value: Doc = {};
    this.fields.forEach(([path], i) => (value[path] = combo[i] ?? null));
    return value;
  }

  /** Throws E11000 if `doc` (owned by `idKey`) would collide with another document. */
  check(doc: Doc, idKey: string, ns: string): void {
    if (!this.unique) return;
    for (const [key, combo] of this.keysOf(doc)) {
      const owner = this.owners.get(key);
      if (owner !== undefined && owner !== idKey)
        throw duplicateKeyError(ns, this.name, this.keyPattern, this.keyValue(combo));
    }
  }

  add(doc: Doc, idKey: string): void {
    if (!this.unique && !this.tree) return;
    const keys = this.keysOf(doc);
    if (this.unique) for (const key of keys.keys()) this.owners.set(key, idKey);
    if (this.tree) {
      this.fields.forEach(([path], i) => {
        if (!this.multikey.has(i) && touchesArray(doc, path)) this.multikey.add(i);
      });
      this.tree.set(idKey, Array.from(keys.keys()).join("\n"), Array.from(keys.values()));
    }
  }

  remove(doc: Doc, idKey: string): void {
    this.removeOwners(doc, idKey);
    this.tree?.remove(idKey);
  }

  /** `old` (owned by `idKey`) becomes `next`; the ordered keys change only if this index's fields did. */
  replace(old: Doc, next: Doc, idKey: string): void {
    this.removeOwners(old, idKey);
    this.add(next, idKey);
  }

  private removeOwners(doc: Doc, idKey: string): void {
    if (!this.unique) return;
    for (const key of this.keysOf(doc).keys()) if (this.owners.get(key) === idKey) this.owners.delete(key);
  }

  /** mongod refuses documents a 2dsphere index cannot read (error 16755). */
  checkGeo(doc: Doc): void {
    for (const { path, kind } of this.geoFields) {
      if (kind !== "2dsphere") continue;
      for (const value of rawValuesAt(doc, path)) {
        const reason = invalidGeoReason(value);
        if (reason) throw new MongoCommandError(16755, `Can't extract geo keys: ${formatValue(doc)}  ${reason}`);
      }
    }
  }
}

/** True if any value along `path` (the last one included) is an array. */
function touchesArray(doc: unknown, path: string): boolean {
  let current: unknown[] = [doc];
  for (const part of path.split(".")) {
    const next: unknown[] = [];
    for (const value of current) {
      if (Array.isArray(value)) return true;
      if (isPlainObject(value) && value[part] !== undefined) next.push(value[part]);
    }
    if (next.length === 0) return false;
    current = next;
  }
  return current.some((v) => Array.isArray(v));
}

function spec(fields: [string, unknown][]): Doc {
  const out: Doc = {};
  for (const [path, dir] of fields) out[path] = dir;
  return out;
}
