// aggregate: mingo runs the pipeline; this file adds what it cannot do on its own — a leading
// $geoNear, geo clauses inside $match, collection lookups ($lookup/$unionWith/$graphLookup) and
// $out. Leading $match stages are evaluated here first so only matching documents get copied
// (mingo stages may modify their input objects, stored documents must stay untouched).
import { MongoCommandError, badValue } from "../errors.ts";
import { cloneDoc, isPlainObject, setPath } from "../doc.ts";
import type { Doc } from "../doc.ts";
import { parseNear } from "../geo.ts";
import { runAggregation } from "../mingo.ts";
import { compileFilter, rewriteFilter } from "../query.ts";
import type { Collection } from "../store.ts";
import { arrayArg, cursorBatchSize, existing } from "./context.ts";
import type { CommandContext, CommandHandler } from "./context.ts";
import { matchDocs } from "./read.ts";

const UNSUPPORTED_STAGES = new Set([
  "$merge",
  "$collStats",
  "$indexStats",
  "$currentOp",
  "$listSessions",
  "$changeStream",
  "$search",
  "$searchMeta",
  "$vectorSearch",
  "$planCacheStats",
]);

function stageName(stage: unknown): string {
  if (!isPlainObject(stage)) throw badValue("Each element of the 'pipeline' array must be an object");
  const keys = Object.keys(stage);
  if (keys.length !== 1) throw badValue("A pipeline stage specification object must contain exactly one field.");
  return keys[0] as string;
}

/** { $geoNear: { near, distanceField, spherical, maxDistance, minDistance, query, key, ... } } */
function geoNear(collection: Collection | undefined, spec: unknown): Doc[] {
  if (!isPlainObject(spec)) throw badValue("$geoNear requires an object");
  const distanceField = spec.distanceField;
  if (typeof distanceField !== "string") throw badValue("$geoNear requires a 'distanceField' option as a String");
  const geoIndexes = collection?.indexes.flatMap((i) => i.geoFields) ?? [];
  let path = typeof spec.key === "string" ? spec.key : undefined;
  if (path === undefined) {
    if (geoIndexes.length === 0)
      throw new MongoCommandError(27, "$geoNear requires a 2d or 2dsphere index, but none were found");
    if (geoIndexes.length > 1)
      throw new MongoCommandError(27, "There is more than one geo index; unsure which to use for $geoNear");
    path = geoIndexes[0]?.path as string;
  } else if (!geoIndexes.some((g) => g.path === path)) {
    throw new MongoCommandError(27, `no geo indices for geoNear on key ${path}`);
  }
  const legacy = Array.isArray(spec.near);
  const near = parseNear(legacy && spec.spherical === true ? "$nearSphere" : "$near", spec.near, {
    $maxDistance: spec.maxDistance,
    $minDistance: spec.minDistance,
  });
  const filter = compileFilter(spec.query ?? {}, {}, false);
  const multiplier = typeof spec.distanceMultiplier === "number" ? spec.distanceMultiplier : 1;
  const hits: { doc: Doc; d: number }[] = [];
  for (const doc of collection?.all() ?? []) {
    if (!filter.test(doc)) continue;
    const d = near.distanceTo(doc, path);
    if (d !== undefined && near.inRange(d)) hits.push({ doc, d });
  }
  hits.sort((a, b) => a.d - b.d);
  return hits.map(({ doc, d }) => {
    const out = cloneDoc(doc);
    setPath(out, distanceField, d * multiplier);
    if (typeof spec.includeLocs === "string") setPath(out, spec.includeLocs, cloneDoc(getLoc(doc, path)));
    return out;
  });
}

function getLoc(doc: Doc, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split(".")) value = isPlainObject(value) ? value[part] : undefined;
  return value;
}

function outTarget(spec: unknown, db: string): { db: string; coll: string } {
  if (typeof spec === "string") return { db, coll: spec };
  if (isPlainObject(spec) && typeof spec.coll === "string")
    return { db: typeof spec.db === "string" ? spec.db : db, coll: spec.coll };
  throw badValue("$out: expected a collection name or { db, coll }");
}

/** Runs a pipeline against a collection's documents; returns the output documents. */
export function runPipeline(
  ctx: CommandContext,
  collection: Collection | undefined,
  pipeline: Doc[],
  collation: unknown,
): Doc[] {
  let docs: Doc[] | undefined;
  let at = 0;
  const first = pipeline[0];
  if (first && stageName(first) === "$geoNear") {
    docs = geoNear(collection, first.$geoNear);
    at = 1;
  }
  // Leading $match stages run here, before documents are copied.
  let source = docs;
  while (at < pipeline.length && stageName(pipeline[at]) === "$match") {
    const filter = compileFilter((pipeline[at] as Doc).$match, { collation }, false);
    // The first $match straight on a collection can use its indexes, as a find does.
    source = source ? source.filter((doc) => filter.test(doc)) : matchDocs(collection, filter);
    at++;
  }
  source ??= collection?.all() ?? [];
  const input = docs ? source : source.map(cloneDoc);
  const rest = pipeline.slice(at).map((stage) => {
    const name = stageName(stage);
    if (UNSUPPORTED_STAGES.has(name))
      throw new MongoCommandError(115, `${name} is not supported by the in-memory MongoDB test server`);
    if (name === "$geoNear") throw badValue("$geoNear is only valid as the first stage in a pipeline");
    if (name === "$match") return { $match: rewriteFilter(stage.$match, false).condition };
    return stage;
  });
  if (rest.length === 0) return input;
  const resolver = (name: string): Doc[] => (ctx.store.getCollection(ctx.db, name)?.all() ?? []).map(cloneDoc);
  return runAggregation(rest, input, { collation, collectionResolver: resolver });
}

const aggregate: CommandHandler = (cmd, ctx) => {
  const target = cmd.aggregate;
  if (typeof target !== "string" && target !== 1) throw badValue("aggregate: expected a collection name or 1");
  const pipeline = arrayArg(cmd, "pipeline") as Doc[];
  if (cmd.explain === true) {
    return { explainVersion: "1", stages: pipeline.map((stage) => ({ ...stage, nReturned: 0 })), ok: 1 };
  }
  if (cmd.cursor === undefined)
    throw new MongoCommandError(9, "The 'cursor' option is required, except for aggregate with the explain argument");
  const collection = typeof target === "string" ? existing(ctx, target) : undefined;
  const last = pipeline[pipeline.length - 1];
  const out = last && stageName(last) === "$out" ? outTarget(last.$out, ctx.db) : undefined;
  const result = runPipeline(ctx, collection, out ? pipeline.slice(0, -1) : pipeline, cmd.collation);
  const ns = `${ctx.db}.${typeof target === "string" ? target : "$cmd.aggregate"}`;
  if (out) {
    writeOut(ctx, out, result);
    return ctx.cursors.open(ns, [], undefined);
  }
  return ctx.cursors.open(ns, result, cursorBatchSize(cmd));
};

/** $out replaces the target collection's documents, keeping its indexes (as mongod does). */
function writeOut(ctx: CommandContext, out: { db: string; coll: string }, docs: Doc[]): void {
  const { collection } = ctx.store.ensureCollection(out.db, out.coll);
  const previous = collection.all();
  for (const doc of previous) collection.remove(doc);
  try {
    for (const doc of docs) collection.insert(doc);
  } catch (err) {
    for (const doc of collection.all()) collection.remove(doc);
    for (const doc of previous) collection.insert(doc);
    throw err;
  }
  ctx.store.changed();
}

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
