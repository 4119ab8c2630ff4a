import { performance } from "node:perf_hooks";
import { Bot } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { Report } from "../models/report/report.ts";
import { createTestDesk, type TestBot } from "../tests/support/test-bot.ts";
import { FakeBotApi } from "../tests/support/fake-bot-api.ts";
import { fileReport } from "../tests/support/intake-steps.ts";
import { summarize, round, type LatencySummary } from "./stats.ts";

export interface IntakeResult {
  citizens: number;
  reports: number;
  failed: number;
  updates: number;
  wallMs: number;
  updatesPerSec: number;
  reportsPerMin: number;
  latency: LatencySummary;
  bare: { updates: number; wallMs: number; updatesPerSec: number; latency: LatencySummary };
  /** Our updates/s over the bare bot's. */
  ratio: number;
  note: string;
}

/** Times every `handleUpdate` of a bot and keeps the updates per chat (for the bare replay). */
function instrument(tb: TestBot, samples: number[], byChat: Map<number, Update[]>): void {
  const bot = tb.bot;
  const original = bot.handleUpdate.bind(bot);
  bot.handleUpdate = async (update, webhookReplyEnvelope) => {
    const chat = update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? 0;
    let list = byChat.get(chat);
    if (!list) byChat.set(chat, (list = []));
    list.push(update);
    const t0 = performance.now();
    try {
      await original(update, webhookReplyEnvelope);
    } finally {
      samples.push(performance.now() - t0);
    }
  };
}

/** The ceiling: a bare grammY bot that replies to every update, on the same kind of fake fetch. */
async function bareReplay(byChat: Map<number, Update[]>): Promise<IntakeResult["bare"]> {
  const api = new FakeBotApi();
  const bot = new Bot("999:BARE-token", {
    client: { apiRoot: "http://bot-api.test", fetch: api.fetch as never },
    botInfo: api.botInfo as UserFromGetMe,
  });
  bot.use(async (ctx) => {
    await ctx.reply("ok");
  });
  const samples: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    [...byChat.values()].map(async (updates) => {
      for (const u of updates) {
        const s = performance.now();
        await bot.handleUpdate(u);
        samples.push(performance.now() - s);
      }
    }),
  );
  const wallMs = performance.now() - t0;
  return {
    updates: samples.length,
    wallMs: round(wallMs),
    updatesPerSec: round(samples.length / (wallMs / 1000), 1),
    latency: summarize(samples),
  };
}

/** N citizens file a full report at the same time through the production bot stack. */
export async function benchIntake(citizens: number): Promise<IntakeResult> {
  const tb = createTestDesk().on("telegram");
  const samples: number[] = [];
  const byChat = new Map<number, Update[]>();
  instrument(tb, samples, byChat);
  const before = await Report.countDocuments();
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: citizens }, async (_, i) => {
      const sim = tb.citizen(2_000_000 + i, { firstName: `Citizen ${i}` });
      try {
        await fileReport(tb, sim);
      } catch {
        failed++;
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const reports = (await Report.countDocuments()) - before;
  const bare = await bareReplay(byChat);
  const updatesPerSec = samples.length / (wallMs / 1000);
  return {
    citizens,
    reports,
    failed,
    updates: samples.length,
    wallMs: round(wallMs),
    updatesPerSec: round(updatesPerSec, 1),
    reportsPerMin: round(reports / (wallMs / 60_000), 0),
    latency: summarize(samples),
    bare,
    ratio: round(updatesPerSec / bare.updatesPerSec, 3),
    note:
      "Bot API is the in-process fetch-level fake (no network); API_THROTTLE off; " +
      "wall time includes the simulated citizens' own work (finding buttons) between updates.",
  };
}
