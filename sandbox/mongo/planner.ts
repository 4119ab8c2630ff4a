// The query planner: picks an index whose leading keys a filter pins down (equality, $in, or a
// range on the key after the equalities) and fetches the candidate documents from its ordered keys
// instead of scanning the collection. Candidates are a superset of the matches: the full filter
// still runs on each, so an indexed query returns exactly what a scan returns, in the same
// (natural) order. Whatever the planner is unsure of it leaves to the scan: predicates it does not
// understand are dropped (that only widens the candidates), and a filter with no usable index, a
// non-simple collation, or an `$or` with a branch no index serves, is a collection scan.
import { ObjectId } from "bson";
import { hasOperatorKeys, isPlainObject, keyOf } from "./doc.ts";
import type { Doc } from "./doc.ts";
import type { Index } from "./indexes.ts";
import { TypeEdge, typeRank } from "./keytree.ts";
import type { Bound, KeyInterval } from "./keytree.ts";

/** What one field's predicate allows, as index bounds. */
interface FieldBounds {
  /** Exact values ($eq, implicit equality, $in); null stands for "null or missing". */
  points?: unknown[];
  low?: Bound;
  high?: Bound;
}

export interface IndexScan {
  index: Index;
  intervals: KeyInterval[];
  /** Entries the scan reads (known before reading them: the key arrays are ordered). */
  keys: number;
}

export interface Plan {
  /** Empty for a collection scan; one scan per `$or` branch for an OR plan. */
  scans: IndexScan[];
  or: boolean;
}

export const COLLSCAN: Plan = { scans: [], or: false };

/** Most point combinations a compound prefix expands to before the planner stops at a shorter prefix. */
const MAX_POINTS = 2_000;

/**
 * Values an index lookup can match exactly as mongod (and mingo) compare them. Everything else
 * (regexes, arrays, embedded documents, Decimal128, NaN, ...) is left to the filter.
 */
function boundable(value: unknown): boolean {
  if (typeof value === "number") return !Number.isNaN(value);
  if (typeof value === "string" || typeof value === "boolean") return true;
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  return value instanceof ObjectId;
}

function pointable(value: unknown): boolean {
  return value === null || boundable(value);
}

function fieldBounds(value: unknown): FieldBounds | undefined {
  if (pointable(value)) return { points: [value] };
  if (!hasOperatorKeys(value)) return undefined;
  const out: FieldBounds = {};
  for (const [op, arg] of Object.entries(value)) {
    if (op === "$eq" && pointable(arg)) out.points ??= [arg];
    else if (op === "$in" && Array.isArray(arg) && arg.every(pointable)) out.points ??= arg;
    else if ((op === "$gt" || op === "$gte") && boundable(arg)) out.low ??= { value: arg, inclusive: op === "$gte" };
    else if ((op === "$lt" || op === "$lte") && boundable(arg)) out.high ??= { value: arg, inclusive: op === "$lte" };
  }
  return out.points || out.low || out.high ? out : undefined;
}

type Conjuncts = Map<string, FieldBounds[]>;

/** Field predicates that every match satisfies (top level and `$and`), and the `$or` groups. */
function collect(condition: Doc, conjuncts: Conjuncts, ors: Doc[][]): void {
  for (const [key, value] of Object.entries(condition)) {
    if (key === "$and" && Array.isArray(value)) {
      for (const child of value) if (isPlainObject(child)) collect(child, conjuncts, ors);
    } else if (key === "$or" && Array.isArray(value) && value.every(isPlainObject)) {
      ors.push(value);
    } else if (!key.startsWith("$")) {
      const bounds = fieldBounds(value);
      if (bounds) conjuncts.set(key, [...(conjuncts.get(key) ?? []), bounds]);
    }
  }
}

function dedupe(points: unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const p of points) if (!seen.has(keyOf(p))) seen.set(keyOf(p), p);
  return Array.from(seen.values());
}

/** The range on a field as one interval end pair, or undefined if the predicates give none. */
function rangeOf(all: FieldBounds[], multikey: boolean): { low: Bound; high: Bound } | undefined {
  const lowAt = all.find((b) => b.low);
  const highAt = all.find((b) => b.high);
  const low = lowAt?.low;
  const high = highAt?.high;
  const edge = (b: Bound, upper: boolean): Bound => ({
    value: new TypeEdge(typeRank(b.value), upper),
    inclusive: true,
  });
  if (low && high && !multikey && typeRank(low.value) === typeRank(high.value)) return { low, high };
  // One side only: on an array field `{$gt: 5, $lt: 10}` matches [3, 12] (each bound by another
  // element), so intersecting the two would lose it. The other end is the type bracket's edge,
  // as mongod compares only within a type.
  if (low) return { low, high: edge(low, true) };
  if (high) return { low: edge(high, false), high };
  return undefined;
}

/** The intervals `index` would scan for these predicates, or undefined if it cannot serve them. */
function scanFor(index: Index, conjuncts: Conjuncts): IndexScan | undefined {
  const tree = index.tree;
  if (!tree || index.truncated) return undefined;
  let prefixes: unknown[][] = [[]];
  let range: { low: Bound; high: Bound } | undefined;
  let used = 0;
  for (const [i, [path]] of index.fields.entries()) {
    const all = conjuncts.get(path);
    if (!all) break;
    const eq = all.find((b) => b.points);
    if (eq?.points) {
      const points = dedupe(eq.points);
      // A sparse index has no entry for a document without the field: null ("missing") cannot be
      // looked up in it. Later fields are fine: the leading one already put the document in.
      if (i === 0 && index.sparse && points.some((p) => p === null)) return undefined;
      if (i > 0 && prefixes.length * points.length > MAX_POINTS) break;
      prefixes = prefixes.flatMap((prefix) => points.map((p) => [...prefix, p]));
      used++;
      continue;
    }
    range = rangeOf(all, index.multikey.has(i));
    if (range) used++;
    break;
  }
  if (used === 0) return undefined;
  const intervals: KeyInterval[] = prefixes.map((prefix) => (range ? { prefix, ...range } : { prefix }));
  let keys = 0;
  for (const interval of intervals) keys += tree.count(interval);
  return { index, intervals, keys };
}

function bestScan(indexes: Index[], conjuncts: Conjuncts): IndexScan | undefined {
  let best: IndexScan | undefined;
  for (const index of indexes) {
    const scan = scanFor(index, conjuncts);
    if (scan && (!best || scan.keys < best.keys)) best = scan;
  }
  return best;
}

function merged(a: Conjuncts, b: Conjuncts): Conjuncts {
  const out: Conjuncts = new Map(a);
  for (const [path, bounds] of b) out.set(path, [...(out.get(path) ?? []), ...bounds]);
  return out;
}

/**
 * The cheapest plan for a (geo-rewritten) filter over a collection of `size` documents: one index
 * scan, a union of one scan per branch of an `$or`, or a collection scan when no index would
 * read fewer entries than there are documents.
 */
export function planQuery(condition: Doc, indexes: Index[], size: number, collated: boolean): Plan {
  if (collated || size === 0) return COLLSCAN;
  const conjuncts: Conjuncts = new Map();
  const ors: Doc[][] = [];
  collect(condition, conjuncts, ors);
  let best: Plan = COLLSCAN;
  let cost = size;
  const direct = bestScan(indexes, conjuncts);
  if (direct && direct.keys < cost) {
    best = { scans: [direct], or: false };
    cost = direct.keys;
  }
  for (const branches of ors) {
    const scans: IndexScan[] = [];
    for (const branch of branches) {
      const own: Conjuncts = new Map();
      // A branch's own nested $or groups are not planned: dropping them only widens its candidates.
      collect(branch, own, []);
      const scan = bestScan(indexes, merged(conjuncts, own));
      if (!scan) break;
      scans.push(scan);
    }
    if (scans.length !== branches.length || branches.length === 0) continue;
    const keys = scans.reduce((n, s) => n + s.keys, 0);
    if (keys < cost) {
      best = { scans, or: true };
      cost = keys;
    }
  }
  return best;
}

/** The `_id` keys of a plan's candidates, and how many index entries it read. */
export function runPlan(plan: Plan): { ids: Set<string>; keysExamined: number } {
  const ids = new Set<string>();
  let keysExamined = 0;
  for (const scan of plan.scans) {
    for (const interval of scan.intervals) keysExamined += scan.index.tree?.collect(interval, ids) ?? 0;
  }
  return { ids, keysExamined };
}

/** The plan as explain's `winningPlan` shows it (FETCH over IXSCAN, an OR of them, or COLLSCAN). */
export function describePlan(plan: Plan, filter: Doc): Doc {
  if (plan.scans.length === 0) return { stage: "COLLSCAN", filter, direction: "forward" };
  const ixscans = plan.scans.map((scan) => ({
    stage: "IXSCAN",
    keyPattern: scan.index.keyPattern,
    indexName: scan.index.name,
    isMultiKey: scan.index.multikey.size > 0,
    isSparse: scan.index.sparse,
    isUnique: scan.index.unique || scan.index.name === "_id_",
    direction: "forward",
    keysExamined: scan.keys,
  }));
  const input = plan.or ? { stage: "OR", inputStages: ixscans } : ixscans[0];
  return { stage: "FETCH", filter, inputStage: input };
}
