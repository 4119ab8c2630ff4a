// Applying update documents. mingo does the operator work ($set, $inc, $push, arrayFilters,
// pipeline updates); this file adds what mingo lacks: $setOnInsert, building the document of an
// upsert from the filter's equality fields, replacement updates and mongod's error codes.
import { ObjectId, serialize } from "bson";
import { MongoCommandError, badValue } from "./errors.ts";
import { cloneDoc, getPath, hasOperatorKeys, isPlainObject, keyOf, setPath } from "./doc.ts";
import type { Doc } from "./doc.ts";
import { mingoOptions, newQuery, updateOne } from "./mingo.ts";

const SUPPORTED_OPERATORS = new Set([
  "$set",
  "$unset",
  "$inc",
  "$mul",
  "$min",
  "$max",
  "$rename",
  "$push",
  "$pull",
  "$pullAll",
  "$addToSet",
  "$pop",
  "$currentDate",
  "$bit",
  "$setOnInsert",
]);

export type UpdateSpec = Doc | Doc[];

export interface UpdateOptions {
  arrayFilters?: Doc[] | undefined;
  /** The (geo-rewritten) filter, needed by the positional `$` operator (resolvePositional). */
  condition?: Doc | undefined;
  collation?: unknown;
}

export function isPipelineUpdate(update: UpdateSpec): update is Doc[] {
  return Array.isArray(update);
}

export function isOperatorUpdate(update: UpdateSpec): boolean {
  return !Array.isArray(update) && Object.keys(update).some((k) => k.startsWith("$"));
}

/** Rejects malformed update documents before anything is touched. */
export function validateUpdate(update: unknown): UpdateSpec {
  if (Array.isArray(update)) {
    if (!update.every(isPlainObject)) throw new MongoCommandError(14, "pipeline update stages must be objects");
    return update;
  }
  if (!isPlainObject(update)) throw new MongoCommandError(9, "Update argument must be either an object or an array");
  const keys = Object.keys(update);
  const operators = keys.filter((k) => k.startsWith("$"));
  if (operators.length > 0 && operators.length !== keys.length) {
    throw new MongoCommandError(
      9,
      `Unknown modifier: ${keys.find((k) => !k.startsWith("$")) ?? ""}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  for (const op of operators) {
    if (!SUPPORTED_OPERATORS.has(op)) {
      throw new MongoCommandError(
        9,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(update[op]))
      throw new MongoCommandError(9, `Modifiers operate on fields but we found type ${typeof update[op]} instead`);
  }
  if (operators.length === 0) {
    for (const key of keys)
      if (key.includes(".") && key !== "_id") throw badValue(`The dotted field '${key}' is not valid for storage.`);
  }
  return update;
}

/** A path through the positional `$` (`items.$.x`, `items.$`); `$[]` and `$[id]` are mingo's to apply. */
const POSITIONAL = /^(.*?)\.\$(\.|$)/;

/**
 * mingo resolves `$` for one path only (a second `items.$.x` "conflicts" with the first), and
 * would resolve each against a document the earlier ones changed. mongod finds the element once,
 * in the document before the update: the first one the filter's conditions on that array match.
 * Here the paths are rewritten to that index (`items.$.x` → `items.3.x`) before mingo runs, so
 * mingo never sees a positional `$`.
 */
function resolvePositional(doc: Doc, modifier: Doc, condition: Doc, collation: unknown): Doc {
  const resolved: Doc = {};
  for (const [op, fields] of Object.entries(modifier)) {
    if (!isPlainObject(fields)) {
      resolved[op] = fields;
      continue;
    }
    resolved[op] = Object.fromEntries(
      Object.entries(fields).map(([path, value]) => {
        const m = POSITIONAL.exec(path);
        if (!m) return [path, value];
        const array = m[1]!;
        return [`${array}.${matchedIndex(doc, array, condition, collation)}${path.slice(array.length + 2)}`, value];
      }),
    );
  }
  return resolved;
}

function matchedIndex(doc: Doc, array: string, condition: Doc, collation: unknown): number {
  const list = getPath(doc, array);
  const keys = Object.keys(condition).filter((k) => k === array || k.startsWith(`${array}.`));
  if (Array.isArray(list) && keys.length > 0) {
    const query = newQuery(Object.fromEntries(keys.map((k) => [k, condition[k]])), { collation });
    for (let i = 0; i < list.length; i++) {
      const probe: Doc = {};
      setPath(probe, array, [list[i]]);
      if (query.test(probe)) return i;
    }
  }
  throw badValue("The positional operator did not find the match needed from the query.");
}

/**
 * Applies `update` to a copy of `doc`. `isInsert` applies $setOnInsert (upserts only).
 * Returns the new document and whether anything changed.
 */
export function applyUpdate(
  doc: Doc,
  update: UpdateSpec,
  opts: UpdateOptions,
  isInsert: boolean,
): { doc: Doc; modified: boolean } {
  const before = doc;
  let next: Doc;
  if (isPipelineUpdate(update)) {
    const docs = [cloneDoc(doc)];
    mingoUpdate(() => updateOne(docs, {}, update as never, {}, mingoOptions({ collation: opts.collation })));
    next = docs[0] as Doc;
  } else if (!isOperatorUpdate(update)) {
    next = { _id: doc._id, ...cloneDoc(update) };
    if ("_id" in update && keyOf(update._id) !== keyOf(doc._id)) {
      throw new MongoCommandError(66, "The _id field cannot be changed");
    }
  } else {
    next = cloneDoc(doc);
    const modifier: Doc = { ...update };
    const onInsert = modifier.$setOnInsert;
    delete modifier.$setOnInsert;
    checkConflicts(modifier);
    if (Object.keys(modifier).length > 0) {
      const resolved = resolvePositional(next, modifier, opts.condition ?? {}, opts.collation);
      const docs = [next];
      mingoUpdate(() =>
        updateOne(
          docs,
          {},
          resolved as never,
          { arrayFilters: opts.arrayFilters },
          mingoOptions({ collation: opts.collation }),
        ),
      );
      next = docs[0] as Doc;
    }
    if (isInsert && isPlainObject(onInsert)) {
      for (const [path, value] of Object.entries(onInsert)) setPath(next, path, cloneDoc(value));
    }
  }
  if (keyOf(next._id) !== keyOf(before._id) && !(isInsert && before._id === undefined)) {
    throw new MongoCommandError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  return { doc: next, modified: !sameBytes(before, next) };
}

/** Runs a mingo update, giving its plain-Error complaints mongod's error codes. */
function mingoUpdate(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.includes("immutable field '_id'")) throw new MongoCommandError(66, message);
    throw err;
  }
}

/** mongod refuses updates that touch one path twice (e.g. $set and $inc on "a"). */
function checkConflicts(modifier: Doc): void {
  const seen = new Map<string, string>();
  for (const [op, fields] of Object.entries(modifier)) {
    if (!isPlainObject(fields)) continue;
    const paths =
      op === "$rename" ? [...Object.keys(fields), ...Object.values(fields).map(String)] : Object.keys(fields);
    for (const path of paths) {
      for (const [other, otherOp] of seen) {
        if (other === path || other.startsWith(`${path}.`) || path.startsWith(`${other}.`)) {
          throw new MongoCommandError(
            40,
            `Updating the path '${path}' would create a conflict at '${other}' (${otherOp} and ${op})`,
          );
        }
      }
      seen.set(path, op);
    }
  }
}

function sameBytes(a: Doc, b: Doc): boolean {
  return Buffer.from(serialize(a)).equals(Buffer.from(serialize(b)));
}

/**
 * The starting document of an upsert: the filter's equality conditions (top level and inside
 * $and), as mongod does. `{a: 1, "b.c": 2, d: {$gt: 1}}` → `{a: 1, b: {c: 2}}`.
 */
export function seedFromFilter(filter: Doc): Doc {
  const seed: Doc = {};
  const visit = (f: Doc): void => {
    for (const [key, value] of Object.entries(f)) {
      if (key === "$and" && Array.isArray(value)) {
        for (const sub of value) if (isPlainObject(sub)) visit(sub);
      } else if (key.startsWith("$")) {
        continue;
      } else if (hasOperatorKeys(value)) {
        if ("$eq" in value && !hasOperatorKeys(value.$eq)) setPath(seed, key, cloneDoc(value.$eq));
      } else if (!(value instanceof RegExp)) {
        setPath(seed, key, cloneDoc(value));
      }
    }
  };
  visit(filter);
  return seed;
}

/** Builds the document an upsert inserts: seed from filter, then the update (with $setOnInsert). */
export function buildUpsertDoc(filter: Doc, update: UpdateSpec, opts: UpdateOptions): Doc {
  const seed = seedFromFilter(filter);
  let doc: Doc;
  if (!isPipelineUpdate(update) && !isOperatorUpdate(update)) {
    doc = { ...cloneDoc(update) };
    if (!("_id" in doc) && "_id" in seed) doc = { _id: seed._id, ...doc };
  } else {
    doc = applyUpdate(seed, update, { ...opts, condition: undefined }, true).doc;
  }
  if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
  return doc;
}
