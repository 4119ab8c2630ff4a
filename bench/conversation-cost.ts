import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { BotState } from "../models/infra/kv-store.ts";
import { createTestDesk } from "../tests/support/test-bot.ts";
import type { ChatSim } from "../tests/support/chat-sim.ts";
import { pool, round, MB } from "./stats.ts";

export interface ConversationCostResult {
  inProgress: number;
  storedDocs: number;
  bytesPerReport: { mean: number; max: number };
  rssGrowthMB: number;
  rssGrowthPer1000MB: number;
  heapGrowthPer1000MB: number;
  gc: boolean;
  note: string;
}

/** A full GC when the runtime lets us have one (global.gc, or the V8 flag set at run time). */
function gcFunction(): (() => void) | null {
  const g = globalThis as { gc?: () => void };
  if (typeof g.gc === "function") return g.gc;
  try {
    setFlagsFromString("--expose-gc");
    const fn = runInNewContext("gc") as unknown;
    return typeof fn === "function" ? (fn as () => void) : null;
  } catch {
    return null;
  }
}

async function settle(gc: (() => void) | null): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage();
}

/** N citizens start a report and stop at the location step: stored state and memory per conversation. */
/** A citizen opens the form, picks a category and sends `then` (a description, or /cancel). */
async function startForm(sim: ChatSim, then: string): Promise<void> {
  await sim.text("/new");
  await sim.press("نشت آب و فاضلاب");
  await sim.text(then);
}

export async function benchConversationCost(n: number): Promise<ConversationCostResult> {
  const tb = createTestDesk().on("telegram");
  const gc = gcFunction();
  // Warm up the code paths (module caches, i18n bundles, JIT) before the baseline.
  await pool(20, 20, (i) => startForm(tb.citizen(3_900_000 + i), "/cancel"));
  tb.api.log.length = 0;
  tb.api.clearCalls();
  await BotState.deleteMany({ _id: /^conversation:/ });
  const before = await settle(gc);
  await pool(n, 100, (i) => startForm(tb.citizen(3_000_000 + i), "لوله آب جلوی مدرسه شکسته است"));
  // The fake Bot API's call log is the test harness's memory, not the bot's.
  tb.api.log.length = 0;
  tb.api.clearCalls();
  const after = await settle(gc);
  const docs = await BotState.find({ _id: /^conversation:telegram:3\d{6}$/ }).lean();
  const sizes = docs.map((d) => Buffer.byteLength(d.value ?? "", "utf8"));
  const rssGrowth = (after.rss - before.rss) / MB;
  const heapGrowth = (after.heapUsed - before.heapUsed) / MB;
  return {
    inProgress: n,
    storedDocs: docs.length,
    bytesPerReport: {
      mean: round(sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length), 0),
      max: Math.max(0, ...sizes),
    },
    rssGrowthMB: round(rssGrowth),
    rssGrowthPer1000MB: round((rssGrowth * 1000) / n),
    heapGrowthPer1000MB: round((heapGrowth * 1000) / n),
    gc: gc !== null,
    note: [
      "state read after /new → category → description (waiting for the location)",
      gc ? "RSS after a forced full GC" : "RSS without GC (no gc available)",
      `MongoDB in ${process.env.MONGODB_URI ? "another process (MONGODB_URI)" : "a child process"}, so not in this RSS.`,
    ].join("; "),
  };
}
