// getMore and killCursors.
import { Long } from "bson";
import { MongoCommandError } from "../errors.ts";
import { arrayArg, intArg } from "./context.ts";
import type { CommandHandler } from "./context.ts";

function cursorId(value: unknown): number {
  if (value instanceof Long) return value.toNumber();
  if (typeof value === "number") return value;
  throw new MongoCommandError(14, "cursor id must be a 64-bit integer");
}

const getMore: CommandHandler = (cmd, ctx) => {
  const collection = cmd.collection;
  if (typeof collection !== "string") throw new MongoCommandError(14, "getMore: 'collection' must be a string");
  return ctx.cursors.getMore(cursorId(cmd.getMore), `${ctx.db}.${collection}`, intArg(cmd, "batchSize"));
};

const killCursors: CommandHandler = (cmd, ctx) => ctx.cursors.kill(arrayArg(cmd, "cursors").map(cursorId));

export const cursorCommands: Record<string, CommandHandler> = { getMore, killCursors };
