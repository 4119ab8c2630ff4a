// find, count, distinct and the matching/ordering helpers the write commands share.
import { MongoCommandError, badValue } from "../errors.ts";
import { indexValues, isPlainObject, keyOf, withIdFirst } from "../doc.ts";
import type { Doc } from "../doc.ts";
import { cursorOver } from "../mingo.ts";
import { cleanSort, compileFilter, sortByDistance } from "../query.ts";
import type { CompiledFilter, NearClause } from "../query.ts";
import type { Collection } from "../store.ts";
import { COLLSCAN, describePlan, planQuery, runPlan } from "../planner.ts";
import { collectionArg, docArg, existing, intArg } from "./context.ts";
import type { CommandContext, CommandHandler } from "./context.ts";

/** $near needs a geo index on its field, exactly as on mongod (so missing indexes show up in tests). */
export function requireGeoIndex(collection: Collection | undefined, near: NearClause | undefined): void {
  if (!near) return;
  const ok = collection?.indexes.some((i) => i.geoFields.some((g) => g.path === near.path));
  if (!ok) {
    throw new MongoCommandError(
      291,
      `error processing query: ns=${collection?.ns ?? "?"} planner returned error :: caused by :: unable to find index for $geoNear query`,
    );
  }
}

/** Documents matching a compiled filter, in natural order (by distance for $near). */
export function matchDocs(collection: Collection | undefined, filter: CompiledFilter): Doc[] {
  if (!collection) return [];
  let docs: Doc[];
  if (filter.idKey !== undefined) {
    const doc = collection.byIdKey(filter.idKey);
    docs = doc && filter.test(doc) ? [doc] : [];
  } else {
    const plan = planQuery(filter.condition, collection.indexes, collection.docs.size, filter.collated);
    const source = plan.scans.length ? collection.fetch(runPlan(plan).ids) : collection.all();
    docs = source.filter((doc) => filter.test(doc));
  }
  return filter.near ? sortByDistance(docs, filter.near) : docs;
}

export interface Shape {
  sort?: unknown;
  skip?: number | undefined;
  limit?: number | undefined;
  projection?: Doc | undefined;
  collation?: unknown;
}

/** sort → skip → limit → projection, the order mongod applies them in. */
export function shapeDocs(docs: Doc[], shape: Shape): Doc[] {
  // Insertion order is the natural order; {$natural: -1} asks for it backwards.
  if (isPlainObject(shape.sort) && Number(shape.sort.$natural) === -1) docs = docs.slice().reverse();
  const sort = cleanSort(shape.sort);
  const projection = shape.projection && Object.keys(shape.projection).length ? shape.projection : undefined;
  if (!sort && !projection && !shape.skip && !shape.limit) return docs;
  const cursor = cursorOver(docs, projection ?? {}, { collation: shape.collation });
  if (sort) cursor.sort(sort);
  if (shape.skip) cursor.skip(shape.skip);
  if (shape.limit) cursor.limit(shape.limit);
  const out = cursor.all();
  // mingo's projection appends _id last; mongod always returns it first.
  return projection ? out.map(withIdFirst) : out;
}

/** Runs a find command's query and returns every result (cursor batching happens later). */
export function findAll(cmd: Doc, ctx: CommandContext): Doc[] {
  const name = collectionArg(cmd, "find");
  const collection = existing(ctx, name);
  const filter = compileFilter(docArg(cmd, "filter") ?? {}, { collation: cmd.collation });
  requireGeoIndex(collection, filter.near);
  const skip = intArg(cmd, "skip");
  const limit = intArg(cmd, "limit");
  if (skip !== undefined && skip < 0) throw badValue("skip value must be non-negative");
  return shapeDocs(matchDocs(collection, filter), {
    sort: cmd.sort,
    skip,
    limit: limit === undefined ? undefined : Math.abs(limit),
    projection: docArg(cmd, "projection"),
    collation: cmd.collation,
  });
}

const find: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, "find");
  const docs = findAll(cmd, ctx);
  const limit = intArg(cmd, "limit");
  const batchSize = intArg(cmd, "batchSize");
  const singleBatch = cmd.singleBatch === true || (limit !== undefined && limit < 0);
  return ctx.cursors.open(`${ctx.db}.${name}`, docs, batchSize, singleBatch);
};

const count: CommandHandler = (cmd, ctx) => {
  const collection = existing(ctx, collectionArg(cmd, "count"));
  const filter = compileFilter(docArg(cmd, "query") ?? {}, { collation: cmd.collation });
  let n =
    filter.near || Object.keys(filter.condition).length
      ? matchDocs(collection, filter).length
      : (collection?.docs.size ?? 0);
  const skip = intArg(cmd, "skip") ?? 0;
  const limit = Math.abs(intArg(cmd, "limit") ?? 0);
  n = Math.max(0, n - skip);
  if (limit) n = Math.min(n, limit);
  return { n, ok: 1 };
};

const distinct: CommandHandler = (cmd, ctx) => {
  const collection = existing(ctx, collectionArg(cmd, "distinct"));
  const key = cmd.key;
  if (typeof key !== "string" || key === "") throw badValue("distinct: key must be a non-empty string");
  const filter = compileFilter(docArg(cmd, "query") ?? {}, { collation: cmd.collation });
  requireGeoIndex(collection, filter.near);
  const seen = new Set<string>();
  const values: unknown[] = [];
  for (const doc of matchDocs(collection, filter)) {
    for (const value of indexValues(doc, key)) {
      if (value === undefined) continue;
      const k = keyOf(value);
      if (!seen.has(k)) {
        seen.add(k);
        values.push(value);
      }
    }
  }
  return { values, ok: 1 };
};

export const readCommands: Record<string, CommandHandler> = { find, count, distinct };

export interface QueryExplain {
  winningPlan: Doc;
  keysExamined: number;
  docsExamined: number;
}

/** How matchDocs answers `filter`: the plan and what it reads (explain's queryPlanner/executionStats). */
export function explainQuery(collection: Collection | undefined, filter: CompiledFilter, raw: Doc): QueryExplain {
  const size = collection?.docs.size ?? 0;
  if (filter.idKey !== undefined) {
    const hit = collection?.byIdKey(filter.idKey) !== undefined;
    return { winningPlan: { stage: "IDHACK" }, keysExamined: hit ? 1 : 0, docsExamined: hit ? 1 : 0 };
  }
  const plan = collection ? planQuery(filter.condition, collection.indexes, size, filter.collated) : COLLSCAN;
  if (plan.scans.length === 0) return { winningPlan: describePlan(plan, raw), keysExamined: 0, docsExamined: size };
  const { ids, keysExamined } = runPlan(plan);
  return { winningPlan: describePlan(plan, raw), keysExamined, docsExamined: ids.size };
}

/** Used by explain: find without opening a cursor. */
export function explainFind(cmd: Doc, ctx: CommandContext): QueryExplain & { returned: number } {
  const collection = existing(ctx, collectionArg(cmd, "find"));
  const raw = isPlainObject(cmd.filter) ? cmd.filter : {};
  const filter = compileFilter(raw, { collation: cmd.collation });
  return { ...explainQuery(collection, filter, raw), returned: findAll(cmd, ctx).length };
}
