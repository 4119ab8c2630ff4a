// Ordered index keys for the query planner (planner.ts). Values compare in MongoDB's BSON order:
// first by type bracket (null < numbers < strings < objects < arrays < binary < ObjectId < bool <
// Date < other), then by value inside the bracket, so 1 and 1.0 are the same key while 1, "1" and
// new Date(1) are three different ones.
//
// Entries are kept in one sorted array per index. Writes do not splice into it (that is a memmove
// of the whole array per write, minutes for a 100,000-document seed); they go to a pending list
// and a dead mark, and the next lookup merges them in one pass.
import { Binary, Decimal128, Long, ObjectId, Timestamp } from "bson";
import { isPlainObject, keyOf } from "./doc.ts";

const RANK_NULL = 1;
const RANK_NUMBER = 2;
const RANK_STRING = 3;
const RANK_OBJECT = 4;
const RANK_ARRAY = 5;
const RANK_BINARY = 6;
const RANK_OBJECT_ID = 7;
const RANK_BOOLEAN = 8;
const RANK_DATE = 9;
const RANK_TIMESTAMP = 10;
const RANK_OTHER = 11;

export function typeRank(value: unknown): number {
  if (value === undefined || value === null) return RANK_NULL;
  switch (typeof value) {
    case "number":
    case "bigint":
      return RANK_NUMBER;
    case "string":
      return RANK_STRING;
    case "boolean":
      return RANK_BOOLEAN;
    case "object":
      break;
    default:
      return RANK_OTHER;
  }
  if (value instanceof Long || value instanceof Decimal128) return RANK_NUMBER;
  if (value instanceof ObjectId) return RANK_OBJECT_ID;
  if (value instanceof Date) return RANK_DATE;
  if (value instanceof Binary) return RANK_BINARY;
  if (value instanceof Timestamp) return RANK_TIMESTAMP;
  if (Array.isArray(value)) return RANK_ARRAY;
  if (isPlainObject(value)) return RANK_OBJECT;
  return RANK_OTHER;
}

function numberOf(value: unknown): number {
  if (typeof value === "number") return Number.isNaN(value) ? -Infinity : value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Long) return value.toNumber();
  if (value instanceof Decimal128) {
    const n = Number(value.toString());
    return Number.isNaN(n) ? -Infinity : n;
  }
  return 0;
}

function order(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** BSON order of two index values (a total preorder; equal means "the same index key"). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case RANK_NULL:
      return 0;
    case RANK_NUMBER:
      return order(numberOf(a), numberOf(b));
    case RANK_STRING:
      // JS code-unit order, as mingo compares strings: the candidates and the final filter agree.
      return order(a as string, b as string);
    case RANK_OBJECT_ID:
      return order((a as ObjectId).toHexString(), (b as ObjectId).toHexString());
    case RANK_BOOLEAN:
      return Number(a) - Number(b);
    case RANK_DATE: {
      const ta = (a as Date).getTime();
      const tb = (b as Date).getTime();
      return order(Number.isNaN(ta) ? -Infinity : ta, Number.isNaN(tb) ? -Infinity : tb);
    }
    default:
      // Objects, arrays, binaries, ...: queries never bound on these (planner.ts), so any order
      // that is total and agrees with key equality will do.
      return order(keyOf(a), keyOf(b));
  }
}

/** The lowest or highest end of one type bracket: `$gt: 5` runs up to the last number, no further. */
export class TypeEdge {
  constructor(
    readonly rank: number,
    readonly high: boolean,
  ) {}
}

/** One end of a key interval on one field. */
export interface Bound {
  value: unknown;
  inclusive: boolean;
}

function compareToBound(value: unknown, bound: unknown): number {
  if (bound instanceof TypeEdge) {
    const r = typeRank(value);
    if (r !== bound.rank) return r - bound.rank;
    return bound.high ? -1 : 1;
  }
  return compareValues(value, bound);
}

/** A key interval: equal to `prefix` on the first fields, then `low`..`high` on the next one (if any). */
export interface KeyInterval {
  prefix: unknown[];
  low?: Bound;
  high?: Bound;
}

export interface Entry {
  key: unknown[];
  idKey: string;
  dead: boolean;
}

function compareEntries(a: Entry, b: Entry): number {
  for (let i = 0; i < a.key.length; i++) {
    const c = compareValues(a.key[i], b.key[i]);
    if (c !== 0) return c;
  }
  return order(a.idKey, b.idKey);
}

export class KeyTree {
  private sorted: Entry[] = [];
  private pending: Entry[] = [];
  private deadCount = 0;
  /** Entries of each document, so an update or delete can retire exactly them. */
  private readonly byDoc = new Map<string, Entry[]>();

  /** The signature (canonical keys) each document's entries were made from. */
  private readonly signatures = new Map<string, string>();

  /**
   * Sets a document's keys. Unchanged keys (most updates touch no field of a given index) leave
   * the entries alone: no dead entry, nothing pending, no merge on the next lookup.
   */
  set(idKey: string, signature: string, keys: unknown[][]): void {
    if (this.signatures.get(idKey) === signature && this.byDoc.has(idKey)) return;
    this.remove(idKey);
    const entries = keys.map((key) => ({ key, idKey, dead: false }));
    this.byDoc.set(idKey, entries);
    this.signatures.set(idKey, signature);
    for (const e of entries) this.pending.push(e);
  }

  remove(idKey: string): void {
    const entries = this.byDoc.get(idKey);
    if (!entries) return;
    this.byDoc.delete(idKey);
    this.signatures.delete(idKey);
    for (const e of entries) e.dead = true;
    this.deadCount += entries.length;
  }

  /** Number of live entries (keys, not documents: a multikey document has several). */
  get size(): number {
    this.flush();
    return this.sorted.length;
  }

  private flush(): void {
    if (this.pending.length === 0 && this.deadCount === 0) return;
    const add = this.pending.filter((e) => !e.dead).sort(compareEntries);
    const out: Entry[] = new Array<Entry>();
    let i = 0;
    let j = 0;
    const old = this.sorted;
    while (i < old.length || j < add.length) {
      const a = old[i];
      const b = add[j];
      if (a && a.dead) {
        i++;
      } else if (a && (!b || compareEntries(a, b) <= 0)) {
        out.push(a);
        i++;
      } else if (b) {
        out.push(b);
        j++;
      }
    }
    this.sorted = out;
    this.pending = [];
    this.deadCount = 0;
  }

  /** First position whose entry is not below the interval's start. */
  private start(interval: KeyInterval): number {
    const n = interval.prefix.length;
    const low = interval.low;
    return this.search((e) => {
      const c = comparePrefix(e, interval.prefix);
      if (c !== 0) return c < 0;
      if (!low) return false;
      const d = compareToBound(e.key[n], low.value);
      return low.inclusive ? d < 0 : d <= 0;
    });
  }

  /** First position whose entry is past the interval's end. */
  private end(interval: KeyInterval): number {
    const n = interval.prefix.length;
    const high = interval.high;
    return this.search((e) => {
      const c = comparePrefix(e, interval.prefix);
      if (c !== 0) return c < 0;
      if (!high) return true;
      const d = compareToBound(e.key[n], high.value);
      return high.inclusive ? d <= 0 : d < 0;
    });
  }

  /** Binary search for the first entry where `before` turns false (it is monotone over the order). */
  private search(before: (e: Entry) => boolean): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.sorted[mid] as Entry)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** How many entries fall in the interval (what a scan of it would examine). */
  count(interval: KeyInterval): number {
    this.flush();
    return Math.max(0, this.end(interval) - this.start(interval));
  }

  /** Adds the `_id` keys of the interval's entries to `out`; returns how many entries it read. */
  collect(interval: KeyInterval, out: Set<string>): number {
    this.flush();
    const from = this.start(interval);
    const to = this.end(interval);
    for (let i = from; i < to; i++) out.add((this.sorted[i] as Entry).idKey);
    return Math.max(0, to - from);
  }
}

function comparePrefix(e: Entry, prefix: unknown[]): number {
  for (let i = 0; i < prefix.length; i++) {
    const c = compareValues(e.key[i], prefix[i]);
    if (c !== 0) return c;
  }
  return 0;
}
