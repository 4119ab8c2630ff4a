// Filters, sorting and projection on top of mingo. mingo has no geo operators, so geo clauses are
// rewritten into one custom query operator (`$geoMatch_`) before mingo compiles the filter; the
// $near clause is also remembered so results can be ordered by distance.
import { ObjectId } from "bson";
import { badValue } from "./errors.ts";
import { GeoPredicate, parseNear } from "./geo.ts";
import type { NearSpec } from "./geo.ts";
import { hasOperatorKeys, isPlainObject, keyOf } from "./doc.ts";
import { GEO_OP, mingoOptions, newQuery } from "./mingo.ts";
import type { MingoExtras } from "./mingo.ts";
import type { Doc } from "./doc.ts";

const GEO_KEYS = new Set(["$near", "$nearSphere", "$geoWithin", "$within", "$geoIntersects"]);

export interface NearClause {
  path: string;
  spec: NearSpec;
}

export interface CompiledFilter {
  /** The filter as mingo sees it (geo clauses replaced); also the update `condition` for `$`. */
  readonly condition: Doc;
  readonly near: NearClause | undefined;
  /** Set when the filter pins `_id` to one value: lets the store skip the scan. */
  readonly idKey: string | undefined;
  /** A non-simple collation compares strings differently from the index keys: no index use. */
  readonly collated: boolean;
  test(doc: Doc): boolean;
}

interface Rewrite {
  near: NearClause | undefined;
  nearAllowed: boolean;
}

function rewriteFieldExpr(path: string, expr: Doc, state: Rewrite): Doc {
  const keys = Object.keys(expr);
  if (!keys.some((k) => GEO_KEYS.has(k))) return expr;
  const rest: Doc = {};
  let predicate: GeoPredicate | undefined;
  for (const key of keys) {
    const arg = expr[key];
    if (key === "$near" || key === "$nearSphere") {
      if (!state.nearAllowed) throw badValue("$geoNear, $near, and $nearSphere are not allowed in this context");
      if (state.near) throw badValue("Too many geoNear expressions");
      const spec = parseNear(key, arg, expr);
      state.near = { path, spec };
      predicate = GeoPredicate.near(spec);
    } else if (key === "$geoWithin" || key === "$within") {
      predicate = GeoPredicate.within(arg);
    } else if (key === "$geoIntersects") {
      predicate = GeoPredicate.intersects(arg);
    } else if (key !== "$maxDistance" && key !== "$minDistance") {
      rest[key] = arg;
    }
  }
  rest[GEO_OP] = predicate;
  return rest;
}

function rewrite(filter: Doc, state: Rewrite): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === "$comment") continue;
    if (key === "$and" || key === "$or" || key === "$nor") {
      if (!Array.isArray(value)) throw badValue(`${key} must be an array`);
      const inner: Rewrite = { near: state.near, nearAllowed: state.nearAllowed && key === "$and" };
      out[key] = value.map((v) => {
        if (!isPlainObject(v)) throw badValue(`${key} entries must be objects`);
        return rewrite(v, inner);
      });
      state.near = inner.near;
    } else if (key === "$text") {
      throw new MongoTextError();
    } else if (!key.startsWith("$") && isPlainObject(value)) {
      out[key] = rewriteFieldExpr(key, value, state);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** $text needs a text index engine this test double does not have; say so plainly. */
class MongoTextError extends Error {
  constructor() {
    super("$text queries are not supported by the in-memory MongoDB test server");
  }
}

/** Replaces geo clauses by the custom operator; `allowNear` is false where mongod forbids $near. */
export function rewriteFilter(filter: unknown, allowNear: boolean): { condition: Doc; near: NearClause | undefined } {
  if (filter === undefined || filter === null) filter = {};
  if (!isPlainObject(filter)) throw badValue("filter must be an object");
  const state: Rewrite = { near: undefined, nearAllowed: allowNear };
  try {
    return { condition: rewrite(filter, state), near: state.near };
  } catch (err) {
    if (err instanceof MongoTextError) throw badValue(err.message);
    throw err;
  }
}

/** Compiles a find/update/delete filter. */
export function compileFilter(filter: unknown, extra: MingoExtras = {}, allowNear = true): CompiledFilter {
  const { condition, near } = rewriteFilter(filter, allowNear);
  const idValue = condition._id;
  const idKey =
    "_id" in condition && !hasOperatorKeys(idValue) && !(idValue instanceof RegExp) ? keyOf(idValue) : undefined;
  const collated = mingoOptions(extra).collation !== undefined;
  if (Object.keys(condition).length === 0) {
    return { condition, near: undefined, idKey: undefined, collated, test: () => true };
  }
  // `_id: {$in: [...]}` with many values (markReminded sends a thousand ObjectIds): mingo hashes
  // the whole list for every document it tests, so the membership is checked here with a Set of
  // canonical keys instead. An `_id` is never an array, so membership is the whole of `$in` for
  // it; only simple scalar lists qualify (no regexes, documents or arrays inside).
  const idIn = idInSet(condition._id);
  let mingoCondition = condition;
  if (idIn) {
    const { _id: _ignored, ...rest } = condition;
    mingoCondition = rest;
  }
  const query = newQuery(mingoCondition, extra);
  const restEmpty = Object.keys(mingoCondition).length === 0;
  // Cheap pre-check for top-level equality on scalars, the most common filter shape: a document
  // whose field holds a different scalar cannot match, so mingo is only asked about the rest.
  const quick = Object.entries(condition).filter(
    (e): e is [string, string | number | boolean] =>
      !e[0].startsWith("$") && !e[0].includes(".") && ["string", "number", "boolean"].includes(typeof e[1]),
  );
  const test = (doc: Doc): boolean => {
    if (idIn && !idIn.has(keyOf(doc._id))) return false;
    for (const [key, want] of quick) {
      const have = doc[key];
      if (have !== want && (have === null || typeof have !== "object")) return false;
    }
    return restEmpty || query.test(doc);
  };
  return { condition, near, idKey, collated, test };
}

/** The canonical keys of `{$in: [...]}` on `_id` when the list is plain scalars; else undefined. */
function idInSet(value: unknown): Set<string> | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  const list = value.$in;
  if (keys.length !== 1 || !Array.isArray(list)) return undefined;
  const scalar = (v: unknown): boolean =>
    (typeof v === "number" && !Number.isNaN(v)) ||
    typeof v === "string" ||
    typeof v === "boolean" ||
    v instanceof ObjectId ||
    (v instanceof Date && !Number.isNaN(v.getTime()));
  return list.every(scalar) ? new Set(list.map(keyOf)) : undefined;
}

/** Orders matched documents by distance from the $near centre (stable; nearest first). */
export function sortByDistance(docs: Doc[], near: NearClause): Doc[] {
  const withDistance = docs.map((doc, i) => ({ doc, i, d: near.spec.distanceTo(doc, near.path) ?? Infinity }));
  withDistance.sort((a, b) => a.d - b.d || a.i - b.i);
  return withDistance.map((x) => x.doc);
}

/** Removes `$natural` (insertion order is already the natural order) and `$meta` sort keys. */
export function cleanSort(sort: unknown): Record<string, 1 | -1> | undefined {
  if (!isPlainObject(sort)) return undefined;
  const out: Record<string, 1 | -1> = {};
  for (const [key, dir] of Object.entries(sort)) {
    if (key === "$natural" || isPlainObject(dir)) continue;
    const n = Number(dir);
    if (n !== 1 && n !== -1) throw badValue(`$sort: invalid sort value for ${key}: must be 1 or -1`);
    out[key] = n;
  }
  return Object.keys(out).length ? out : undefined;
}
