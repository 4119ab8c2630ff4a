// insert, update, delete and findAndModify with mongod's reply shapes: per-statement write errors
// (ordered stops at the first, unordered carries on), n/nModified/upserted counts.
import { MongoCommandError, toCommandError } from "../errors.ts";
import { isPlainObject } from "../doc.ts";
import type { Doc } from "../doc.ts";
import { compileFilter } from "../query.ts";
import type { Collection } from "../store.ts";
import { applyUpdate, buildUpsertDoc, isOperatorUpdate, isPipelineUpdate, validateUpdate } from "../update.ts";
import { arrayArg, collectionArg, docArg, existing } from "./context.ts";
import type { CommandHandler } from "./context.ts";
import { matchDocs, requireGeoIndex, shapeDocs } from "./read.ts";

interface WriteTally {
  n: number;
  writeErrors: Doc[];
}

/** Runs one statement per array entry with ordered/unordered error semantics. */
function eachStatement(
  statements: unknown[],
  ordered: boolean,
  tally: WriteTally,
  run: (stmt: Doc, index: number) => void,
): void {
  for (let i = 0; i < statements.length; i++) {
    try {
      const stmt = statements[i];
      if (!isPlainObject(stmt)) throw new MongoCommandError(14, "write statements must be objects");
      run(stmt, i);
    } catch (err) {
      tally.writeErrors.push(toCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
}

function reply(tally: WriteTally, extra: Doc = {}): Doc {
  const out: Doc = { n: tally.n, ...extra };
  if (tally.writeErrors.length) out.writeErrors = tally.writeErrors;
  out.ok = 1;
  return out;
}

const insert: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, "insert");
  const documents = arrayArg(cmd, "documents");
  const tally: WriteTally = { n: 0, writeErrors: [] };
  if (documents.length === 0) return reply(tally);
  const { collection } = ctx.store.ensureCollection(ctx.db, name);
  eachStatement(documents, cmd.ordered !== false, tally, (doc) => {
    collection.insert(doc);
    tally.n++;
  });
  ctx.store.changed();
  return reply(tally);
};

/** Matches for an update/findAndModify: all of them, or the first by `sort`. */
function targets(
  collection: Collection | undefined,
  query: unknown,
  cmd: { collation?: unknown; sort?: unknown },
  many: boolean,
): { docs: Doc[]; condition: Doc } {
  const filter = compileFilter(query ?? {}, { collation: cmd.collation });
  requireGeoIndex(collection, filter.near);
  let docs = matchDocs(collection, filter);
  if (!many) docs = shapeDocs(docs, { sort: cmd.sort, limit: 1, collation: cmd.collation });
  return { docs, condition: filter.condition };
}

const update: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, "update");
  const statements = arrayArg(cmd, "updates");
  const tally: WriteTally = { n: 0, writeErrors: [] };
  const upserted: Doc[] = [];
  let nModified = 0;
  eachStatement(statements, cmd.ordered !== false, tally, (stmt, index) => {
    const spec = validateUpdate(stmt.u);
    const multi = stmt.multi === true;
    if (multi && !isPipelineUpdate(spec) && !isOperatorUpdate(spec)) {
      throw new MongoCommandError(9, "multi update is not supported for replacement-style update");
    }
    const collection = existing(ctx, name);
    const { docs, condition } = targets(collection, stmt.q, stmt, multi);
    const opts = { arrayFilters: stmt.arrayFilters as Doc[] | undefined, condition, collation: stmt.collation };
    for (const doc of docs) {
      const result = applyUpdate(doc, spec, opts, false);
      if (result.modified) {
        (collection as Collection).replace(doc, result.doc);
        nModified++;
      }
      tally.n++;
    }
    if (docs.length === 0 && stmt.upsert === true) {
      const target = ctx.store.ensureCollection(ctx.db, name).collection;
      const stored = target.insert(buildUpsertDoc(isPlainObject(stmt.q) ? stmt.q : {}, spec, opts));
      upserted.push({ index, _id: stored._id });
      tally.n++;
    }
  });
  ctx.store.changed();
  return reply(tally, upserted.length ? { nModified, upserted } : { nModified });
};

const del: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, "delete");
  const statements = arrayArg(cmd, "deletes");
  const tally: WriteTally = { n: 0, writeErrors: [] };
  eachStatement(statements, cmd.ordered !== false, tally, (stmt) => {
    const limit = Number(stmt.limit ?? 0);
    if (limit !== 0 && limit !== 1) throw new MongoCommandError(9, "The limit field in delete objects must be 0 or 1");
    const collection = existing(ctx, name);
    if (!collection) return;
    const { docs } = targets(collection, stmt.q, stmt, limit === 0);
    for (const doc of docs) collection.remove(doc);
    tally.n += docs.length;
  });
  ctx.store.changed();
  return reply(tally);
};

const findAndModify: CommandHandler = (cmd, ctx) => {
  const name = typeof cmd.findAndModify === "string" ? cmd.findAndModify : collectionArg(cmd, "findandmodify");
  const remove = cmd.remove === true;
  const hasUpdate = cmd.update !== undefined && cmd.update !== null;
  if (remove && hasUpdate) throw new MongoCommandError(9, "Cannot specify both an update and remove=true");
  if (!remove && !hasUpdate) throw new MongoCommandError(9, "Either an update or remove=true must be specified");
  if (remove && cmd.upsert === true) throw new MongoCommandError(9, "Cannot specify both upsert=true and remove=true");
  const projection = docArg(cmd, "fields");
  const project = (doc: Doc | null): Doc | null =>
    doc && projection ? (shapeDocs([doc], { projection })[0] ?? null) : doc;
  const collection = existing(ctx, name);
  const { docs, condition } = targets(collection, cmd.query, cmd, false);
  const target = docs[0];

  if (remove) {
    if (target) (collection as Collection).remove(target);
    ctx.store.changed();
    return { lastErrorObject: { n: target ? 1 : 0 }, value: project(target ?? null), ok: 1 };
  }

  const spec = validateUpdate(cmd.update);
  const opts = { arrayFilters: cmd.arrayFilters as Doc[] | undefined, condition, collation: cmd.collation };
  if (target) {
    const result = applyUpdate(target, spec, opts, false);
    const stored = result.modified ? (collection as Collection).replace(target, result.doc) : target;
    ctx.store.changed();
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: project(cmd.new === true ? stored : target),
      ok: 1,
    };
  }
  if (cmd.upsert === true) {
    const created = ctx.store.ensureCollection(ctx.db, name).collection;
    const stored = created.insert(buildUpsertDoc(isPlainObject(cmd.query) ? cmd.query : {}, spec, opts));
    ctx.store.changed();
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: stored._id },
      value: project(cmd.new === true ? stored : null),
      ok: 1,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
};
