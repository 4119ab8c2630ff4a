// Command dispatch: finds the handler for the command's first field, refuses transactions as a
// standalone mongod does, and turns every failure into an `{ok: 0}` reply (never a dropped socket).
import { MongoCommandError, toCommandError } from "../errors.ts";
import { isPlainObject } from "../doc.ts";
import type { Doc } from "../doc.ts";
import { adminCommands, transactionError } from "./admin.ts";
import { aggregateCommands } from "./aggregate.ts";
import type { CommandContext, CommandHandler } from "./context.ts";
import { cursorCommands } from "./cursors.ts";
import { indexCommands } from "./indexes.ts";
import { explainFind, explainQuery, readCommands } from "./read.ts";
import { compileFilter } from "../query.ts";
import { writeCommands } from "./write.ts";

/**
 * Minimal explain: enough shape (queryPlanner, executionStats) for code that inspects it. For
 * find, count and distinct the winning plan is the one the planner (planner.ts) really uses:
 * IDHACK, FETCH over IXSCAN (or an OR of them), or COLLSCAN.
 */
const explain: CommandHandler = (cmd, ctx) => {
  const inner = cmd.explain;
  if (!isPlainObject(inner)) throw new MongoCommandError(9, "explain command requires a nested object");
  const name = Object.keys(inner)[0] ?? "";
  const collectionName = typeof inner[name] === "string" ? (inner[name] as string) : "";
  const collection = ctx.store.getCollection(ctx.db, collectionName);
  const rawFilter = inner.filter ?? inner.query ?? {};
  let nReturned = 0;
  let docsExamined = collection?.docs.size ?? 0;
  let keysExamined = 0;
  let winningPlan: Doc = { stage: "COLLSCAN", filter: rawFilter, direction: "forward" };
  if (name === "find") {
    const r = explainFind(inner, ctx);
    ({ winningPlan, keysExamined, docsExamined } = r);
    nReturned = r.returned;
  } else if (name === "count" || name === "distinct" || name === "aggregate") {
    if (name !== "aggregate" && isPlainObject(rawFilter)) {
      const q = explainQuery(collection, compileFilter(rawFilter, { collation: inner.collation }), rawFilter);
      ({ winningPlan, keysExamined, docsExamined } = q);
    }
    const reply = COMMANDS[name]?.({ ...inner, cursor: {} }, ctx) ?? {};
    const cursor = reply.cursor as Doc | undefined;
    nReturned =
      typeof reply.n === "number"
        ? reply.n
        : Array.isArray(reply.values)
          ? reply.values.length
          : Array.isArray(cursor?.firstBatch)
            ? cursor.firstBatch.length
            : 0;
  }
  return {
    explainVersion: "1",
    queryPlanner: {
      namespace: `${ctx.db}.${collectionName}`,
      parsedQuery: rawFilter,
      winningPlan,
      rejectedPlans: [],
    },
    executionStats: {
      executionSuccess: true,
      nReturned,
      executionTimeMillis: 0,
      totalKeysExamined: keysExamined,
      totalDocsExamined: docsExamined,
      executionStages: { ...winningPlan, nReturned, docsExamined },
    },
    command: inner,
    serverInfo: { host: ctx.server.host, port: ctx.server.port, version: "7.0.0" },
    ok: 1,
  };
};

const COMMANDS: Record<string, CommandHandler> = {
  ...adminCommands,
  ...readCommands,
  ...writeCommands,
  ...aggregateCommands,
  ...indexCommands,
  ...cursorCommands,
  explain,
};

export function commandName(body: Doc): string {
  return Object.keys(body)[0] ?? "";
}

export function runCommand(body: Doc, ctx: CommandContext): Doc {
  const name = commandName(body);
  try {
    if (body.startTransaction === true || body.txnNumber !== undefined || body.autocommit !== undefined)
      throw transactionError();
    const handler = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!handler) throw new MongoCommandError(59, `no such command: '${name}'`);
    return handler(body, ctx);
  } catch (err) {
    return toCommandError(err).toReply();
  }
}
