// createIndexes, listIndexes, dropIndexes (what mongoose's init/syncIndexes and GridFS call).
import { MongoCommandError, badValue, namespaceNotFound } from "../errors.ts";
import { isPlainObject, keyOf } from "../doc.ts";
import { arrayArg, collectionArg, cursorBatchSize, existing } from "./context.ts";
import type { CommandHandler } from "./context.ts";

const createIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, "createIndexes");
  const specs = arrayArg(cmd, "indexes");
  if (specs.length === 0) throw badValue("Must specify at least one index to create");
  const { collection, created } = ctx.store.ensureCollection(ctx.db, name);
  const before = collection.indexes.length;
  const added: string[] = [];
  try {
    for (const spec of specs) {
      if (collection.createIndex(spec) && isPlainObject(spec)) added.push(spec.name as string);
    }
  } catch (err) {
    // mongod builds the whole batch or nothing.
    for (const indexName of added) collection.dropIndex(indexName);
    throw err;
  }
  ctx.store.changed();
  const reply: Record<string, unknown> = {
    createdCollectionAutomatically: created,
    numIndexesBefore: before,
    numIndexesAfter: collection.indexes.length,
  };
  if (added.length === 0) reply.note = "all indexes already exist";
  reply.ok = 1;
  return reply;
};

const listIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, "listIndexes");
  const collection = existing(ctx, name);
  if (!collection) throw namespaceNotFound(`${ctx.db}.${name}`);
  const specs = collection.indexes.map((i) => ({ ...i.spec }));
  return ctx.cursors.open(`${ctx.db}.${name}`, specs, cursorBatchSize(cmd));
};

const dropIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, "dropIndexes");
  const collection = existing(ctx, name);
  if (!collection) throw namespaceNotFound(`${ctx.db}.${name}`);
  const was = collection.indexes.length;
  const target = cmd.index;
  if (target === "*") {
    for (const index of collection.indexes.slice(1)) collection.dropIndex(index.name);
  } else if (typeof target === "string") {
    collection.dropIndex(target);
  } else if (Array.isArray(target)) {
    for (const indexName of target) collection.dropIndex(String(indexName));
  } else if (isPlainObject(target)) {
    const match = collection.indexes.find((i) => keyOf(i.spec.key) === keyOf(target));
    if (!match) throw new MongoCommandError(27, `can't find index with key: ${JSON.stringify(target)}`);
    collection.dropIndex(match.name);
  } else {
    throw badValue("dropIndexes: 'index' must be a name, a key pattern, an array of names or '*'");
  }
  ctx.store.changed();
  return { nIndexesWas: was, ok: 1 };
};

export const indexCommands: Record<string, CommandHandler> = {
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: (cmd, ctx) => dropIndexes({ ...cmd, dropIndexes: cmd.deleteIndexes }, ctx),
};
