// Handshake, diagnostics, sessions and database/collection management commands.
import { UUID, calculateObjectSize } from "bson";
import { MongoCommandError, namespaceNotFound } from "../errors.ts";
import { isPlainObject } from "../doc.ts";
import type { Doc } from "../doc.ts";
import { ID_INDEX_SPEC } from "../indexes.ts";
import { newQuery } from "../mingo.ts";
import type { Collection } from "../store.ts";
import { MAX_MESSAGE_BYTES } from "../wire.ts";
import { collectionArg, cursorBatchSize, docArg, existing } from "./context.ts";
import type { CommandContext, CommandHandler } from "./context.ts";

export const SERVER_VERSION = "7.0.0";
/** MongoDB 7.0; the 7.x driver needs at least 9 (MongoDB 4.4). */
export const MAX_WIRE_VERSION = 21;
const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

/** Options of `create` that are command plumbing, not collection options. */
const COMMAND_FIELDS = new Set([
  "create",
  "$db",
  "lsid",
  "writeConcern",
  "$clusterTime",
  "$readPreference",
  "comment",
  "apiVersion",
  "apiStrict",
  "apiDeprecationErrors",
]);

/**
 * Standalone (no setName): that is what this server is, and the driver then neither attempts
 * retryable writes nor expects transactions to work.
 */
function hello(legacyName: boolean): CommandHandler {
  return (cmd, ctx) => {
    const reply: Doc = legacyName ? { ismaster: true } : { isWritablePrimary: true };
    if (cmd.helloOk === true) reply.helloOk = true;
    Object.assign(reply, {
      maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
      maxMessageSizeBytes: MAX_MESSAGE_BYTES,
      maxWriteBatchSize: 100_000,
      localTime: new Date(),
      logicalSessionTimeoutMinutes: 30,
      connectionId: ctx.connectionId,
      minWireVersion: 0,
      maxWireVersion: MAX_WIRE_VERSION,
      readOnly: false,
      ok: 1,
    });
    return reply;
  };
}

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: "in-memory",
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ["memory"],
  modules: [],
  javascriptEngine: "none",
  sandbox: "citizen-137 in-memory MongoDB test server (mingo + bson)",
  ok: 1,
});

const KNOWN_PARAMETERS: Doc = {
  featureCompatibilityVersion: { version: "7.0" },
  authenticationMechanisms: [],
  maxBSONDepth: 100,
  transactionLifetimeLimitSeconds: 60,
  cursorTimeoutMillis: 600_000,
};

const getParameter: CommandHandler = (cmd) => {
  const reply: Doc = {};
  const wantAll =
    cmd.getParameter === "*" || (isPlainObject(cmd.getParameter) && cmd.getParameter.allParameters === true);
  for (const [name, value] of Object.entries(KNOWN_PARAMETERS)) {
    if (wantAll || name in cmd) reply[name] = value;
  }
  reply.ok = 1;
  return reply;
};

const ok: CommandHandler = () => ({ ok: 1 });

function collectionEntry(collection: Collection): Doc {
  return {
    name: collection.name,
    type: "collection",
    options: { ...collection.options },
    info: { readOnly: false },
    idIndex: ID_INDEX_SPEC,
  };
}

const listCollections: CommandHandler = (cmd, ctx) => {
  const database = ctx.store.databases.get(ctx.db);
  let entries = Array.from(database?.collections.values() ?? []).map(collectionEntry);
  const filter = docArg(cmd, "filter");
  if (filter && Object.keys(filter).length) {
    const query = newQuery(filter);
    entries = entries.filter((e) => query.test(e));
  }
  if (cmd.nameOnly === true) entries = entries.map((e) => ({ name: e.name, type: e.type }));
  return ctx.cursors.open(`${ctx.db}.$cmd.listCollections`, entries, cursorBatchSize(cmd));
};

function sizeOf(collection: Collection): number {
  let size = 0;
  for (const doc of collection.docs.values()) size += calculateObjectSize(doc);
  return size;
}

const listDatabases: CommandHandler = (cmd, ctx) => {
  let databases: Doc[] = Array.from(ctx.store.databases.values()).map((db) => {
    if (cmd.nameOnly === true) return { name: db.name };
    let size = 0;
    for (const c of db.collections.values()) size += sizeOf(c);
    return { name: db.name, sizeOnDisk: size, empty: db.collections.size === 0 };
  });
  const filter = docArg(cmd, "filter");
  if (filter && Object.keys(filter).length) {
    const query = newQuery(filter);
    databases = databases.filter((d) => query.test(d));
  }
  const totalSize = databases.reduce((sum, d) => sum + (typeof d.sizeOnDisk === "number" ? d.sizeOnDisk : 0), 0);
  return cmd.nameOnly === true
    ? { databases, ok: 1 }
    : { databases, totalSize, totalSizeMb: Math.round(totalSize / 1048576), ok: 1 };
};

const create: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, "create");
  if (cmd.viewOn !== undefined)
    throw new MongoCommandError(115, "views are not supported by the in-memory MongoDB test server");
  if (existing(ctx, name)) throw new MongoCommandError(48, `Collection ${ctx.db}.${name} already exists.`);
  const options: Doc = {};
  for (const [key, value] of Object.entries(cmd)) if (!COMMAND_FIELDS.has(key)) options[key] = value;
  ctx.store.ensureCollection(ctx.db, name, options);
  return { ok: 1 };
};

/** Since MongoDB 7.0 dropping a missing collection succeeds. */
const drop: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, "drop");
  const collection = existing(ctx, name);
  if (!collection) return { ok: 1 };
  const nIndexesWas = collection.indexes.length;
  ctx.store.dropCollection(ctx.db, name);
  return { nIndexesWas, ns: collection.ns, ok: 1 };
};

const dropDatabase: CommandHandler = (_cmd, ctx) => {
  ctx.store.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

function splitNs(ns: unknown): { db: string; coll: string } {
  if (typeof ns !== "string" || !ns.includes("."))
    throw new MongoCommandError(73, `Invalid namespace specified '${String(ns)}'`);
  const dot = ns.indexOf(".");
  return { db: ns.slice(0, dot), coll: ns.slice(dot + 1) };
}

/** Copies documents and indexes to the new namespace, then drops the old one. */
const renameCollection: CommandHandler = (cmd, ctx) => {
  if (ctx.db !== "admin")
    throw new MongoCommandError(13, "renameCollection may only be run against the admin database.");
  const from = splitNs(cmd.renameCollection);
  const to = splitNs(cmd.to);
  const source = ctx.store.getCollection(from.db, from.coll);
  if (!source) throw namespaceNotFound(`${from.db}.${from.coll}`);
  if (ctx.store.getCollection(to.db, to.coll)) {
    if (cmd.dropTarget !== true) throw new MongoCommandError(48, "target namespace exists");
    ctx.store.dropCollection(to.db, to.coll);
  }
  const { collection: target } = ctx.store.ensureCollection(to.db, to.coll, { ...source.options });
  for (const index of source.indexes.slice(1)) target.createIndex(index.spec);
  for (const doc of source.all()) target.insert(doc);
  ctx.store.dropCollection(from.db, from.coll);
  return { ok: 1 };
};

function stats(collections: Collection[]): { objects: number; dataSize: number; indexes: number } {
  let objects = 0;
  let dataSize = 0;
  let indexes = 0;
  for (const c of collections) {
    objects += c.docs.size;
    dataSize += sizeOf(c);
    indexes += c.indexes.length;
  }
  return { objects, dataSize, indexes };
}

const dbStats: CommandHandler = (_cmd, ctx) => {
  const collections = Array.from(ctx.store.databases.get(ctx.db)?.collections.values() ?? []);
  const s = stats(collections);
  return {
    db: ctx.db,
    collections: collections.length,
    views: 0,
    objects: s.objects,
    avgObjSize: s.objects ? s.dataSize / s.objects : 0,
    dataSize: s.dataSize,
    storageSize: s.dataSize,
    indexes: s.indexes,
    indexSize: 0,
    totalSize: s.dataSize,
    scaleFactor: 1,
    ok: 1,
  };
};

const collStats: CommandHandler = (cmd, ctx) => {
  const name = collectionArg(cmd, "collStats");
  const collection = existing(ctx, name);
  if (!collection) throw namespaceNotFound(`${ctx.db}.${name}`);
  const s = stats([collection]);
  const indexSizes: Doc = {};
  for (const index of collection.indexes) indexSizes[index.name] = 0;
  return {
    ns: collection.ns,
    count: s.objects,
    size: s.dataSize,
    avgObjSize: s.objects ? s.dataSize / s.objects : 0,
    storageSize: s.dataSize,
    nindexes: s.indexes,
    totalIndexSize: 0,
    totalSize: s.dataSize,
    indexSizes,
    capped: collection.options.capped === true,
    ok: 1,
  };
};

const serverStatus: CommandHandler = (_cmd, ctx) => {
  const uptimeMillis = Date.now() - ctx.server.startedAt;
  return {
    host: `${ctx.server.host}:${ctx.server.port}`,
    version: SERVER_VERSION,
    process: "mongod",
    pid: process.pid,
    uptime: Math.floor(uptimeMillis / 1000),
    uptimeMillis,
    localTime: new Date(),
    connections: { current: ctx.server.connections(), available: 1_000_000, totalCreated: ctx.connectionId },
    storageEngine: { name: "memory" },
    ok: 1,
  };
};

/** Real mongod on a standalone refuses every transaction; so do we (same code and text). */
export function transactionError(): MongoCommandError {
  return new MongoCommandError(20, "Transaction numbers are only allowed on a replica set member or mongos");
}

function requireAdmin(ctx: CommandContext, command: string): void {
  if (ctx.db !== "admin") throw new MongoCommandError(13, `${command} may only be run against the admin database.`);
}

export const adminCommands: Record<string, CommandHandler> = {
  hello: hello(false),
  isMaster: hello(true),
  ismaster: hello(true),
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  endSessions: ok,
  killSessions: ok,
  killAllSessions: ok,
  refreshSessions: ok,
  startSession: () => ({ id: { id: new UUID() }, timeoutMinutes: 30, ok: 1 }),
  listDatabases: (cmd, ctx) => {
    requireAdmin(ctx, "listDatabases");
    return listDatabases(cmd, ctx);
  },
  listCollections,
  create,
  drop,
  dropDatabase,
  renameCollection,
  dbStats,
  dbstats: dbStats,
  collStats,
  serverStatus,
  whatsmyuri: (_cmd, ctx) => ({ you: `${ctx.server.host}:0`, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  hostInfo: () => ({ system: { hostname: "memory", numCores: 1 }, os: { type: process.platform }, extra: {}, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ["mongod"], parsed: {}, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  commitTransaction: () => {
    throw transactionError();
  },
  abortTransaction: () => {
    throw transactionError();
  },
};
