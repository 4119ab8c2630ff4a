// What every command handler gets, plus small argument helpers shared by the handlers.
import { Long } from "bson";
import { MongoCommandError, badValue } from "../errors.ts";
import type { CursorRegistry } from "../cursors.ts";
import type { Doc } from "../doc.ts";
import type { Collection, Store } from "../store.ts";

export interface ServerInfo {
  host: string;
  port: number;
  startedAt: number;
  /** Number of currently open client connections. */
  connections(): number;
}

export interface CommandContext {
  store: Store;
  cursors: CursorRegistry;
  server: ServerInfo;
  /** The database named by `$db`. */
  db: string;
  connectionId: number;
}

export type CommandHandler = (cmd: Doc, ctx: CommandContext) => Doc;

/** The collection name given as the command's value, e.g. `{find: "users"}`. */
export function collectionArg(cmd: Doc, command: string): string {
  const name = cmd[command];
  if (typeof name !== "string" || name === "") {
    throw new MongoCommandError(73, `collection name has invalid type ${typeof name}`);
  }
  return name;
}

export function existing(ctx: CommandContext, name: string): Collection | undefined {
  return ctx.store.getCollection(ctx.db, name);
}

/** Optional non-negative integer argument (accepts Long/Int32/Double on the wire). */
export function intArg(cmd: Doc, field: string): number | undefined {
  const value = cmd[field];
  if (value === undefined || value === null) return undefined;
  const n = value instanceof Long ? value.toNumber() : value;
  if (typeof n !== "number" || !Number.isFinite(n))
    throw new MongoCommandError(14, `Field '${field}' must be a number`);
  return Math.trunc(n);
}

export function docArg(cmd: Doc, field: string): Doc | undefined {
  const value = cmd[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw badValue(`Field '${field}' must be an object`);
  return value as Doc;
}

export function arrayArg(cmd: Doc, field: string): unknown[] {
  const value = cmd[field];
  if (!Array.isArray(value)) throw new MongoCommandError(14, `Field '${field}' must be an array`);
  return value;
}

/** `cursor.batchSize` of aggregate/listCollections/listIndexes. */
export function cursorBatchSize(cmd: Doc): number | undefined {
  const cursor = cmd.cursor;
  if (cursor === undefined || cursor === null || typeof cursor !== "object") return undefined;
  return intArg(cursor as Doc, "batchSize");
}
