// Storm: many reports into ONE region's staff group in a few minutes (README "Scale").
//   npx tsx bench/storm.ts [--reports 200] [--seconds 300] [--no-compaction] [--cap-minutes 60]
// Standalone it starts its own MongoDB (MONGODB_URI, else the sandbox in-memory server); bench/run.ts
// calls benchStorm() with the database open.
import { performance } from "node:perf_hooks";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Api } from "grammy";
import pino from "pino";
import { loadConfig } from "../core/config.ts";
import { createI18n } from "../core/i18n.ts";
import { botApiFetch, setupApi } from "../bot/api-setup.ts";
import { nodeFetch } from "../bot/throttled-fetch.ts";
import { OutboxDispatcher } from "../bot/outbox/dispatcher.ts";
import { Outbox } from "../models/infra/outbox.ts";
import { submitReport } from "../models/report/report-submit.ts";
import { storePhoto } from "../models/report/photos.ts";
import { formatCode } from "../models/report/tracking-code.ts";
import { startBotApiEmulator } from "../sandbox/bot-api/server.ts";
import { SimClient } from "../sandbox/bot-api/sim-client.ts";
import { tinyPhoto } from "../tests/support/photo-bytes.ts";
import { round, sleep, summarize } from "./stats.ts";

export interface StormResult {
  reports: number;
  filingSeconds: number;
  compaction: boolean;
  /** Filing → first appearance in the group (its card or its digest line), seconds. */
  firstAppearance: { count: number; p50S: number; p95S: number; maxS: number };
  /** Filing → its full card, seconds. */
  fullCard: { count: number; p50S: number; p95S: number; maxS: number };
  received429: number;
  /** Messages the group received (an album counts one per photo), digests included. */
  groupMessages: number;
  digests: number;
  /** From the first filing until every full card was posted (null: not within the cap). */
  allCardsS: number | null;
  cardsPosted: number;
  drained: boolean;
  note: string;
}

const TOKEN = "700001:STORM-telegram";
const GROUP = -1009100000001;
const STAFF_USER = 4_999_998;
const CITIZEN_BASE = 6_000_000;

export async function benchStorm(o: {
  reports: number;
  filingSeconds: number;
  compaction: boolean;
  capMinutes?: number;
}): Promise<StormResult> {
  const emulator = await startBotApiEmulator({
    bots: [
      { platform: "telegram", token: TOKEN, id: 700001, username: "citizen137_storm_bot", firstName: "Citizen 137" },
    ],
    enforceLimits: true,
  });
  let dispatcher: OutboxDispatcher | null = null;
  try {
    const sim = new SimClient(emulator.url);
    await sim.user("telegram", { id: STAFF_USER, first_name: "Official", started: true });
    await sim.chat("telegram", { id: GROUP, type: "supergroup", title: "Region 7 staff", members: [STAFF_USER] });

    const filedAt = new Map<string, number>();
    // Every text the group got, matched to the codes afterwards: a card may go out before its filing
    // call has returned (the running dispatcher claims the rows the moment they are relayed).
    const texts: { at: number; text: string; digest: boolean }[] = [];
    let received429 = 0;
    let groupMessages = 0;
    let digests = 0;
    const counting: typeof fetch = async (input, init) => {
      const res = await nodeFetch(input, init);
      const method = String(input).split("/").at(-1) ?? "";
      if (res.status === 429) received429++;
      if (!res.ok || !/^send/.test(method)) return res;
      groupMessages++;
      if (method !== "sendMessage" || typeof init?.body !== "string") return res;
      const text = String((JSON.parse(init.body) as { text?: unknown }).text ?? "");
      const digest = text.startsWith("📥");
      if (digest) digests++;
      texts.push({ at: performance.now(), text, digest });
      return res;
    };
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.url, LOG_LEVEL: "silent" });
    const api = new Api(TOKEN, { apiRoot: emulator.url, fetch: botApiFetch(counting, true) as never });
    setupApi(api, { platform: "telegram", retry: false });
    dispatcher = new OutboxDispatcher({
      apis: { telegram: api },
      i18n: createI18n(config.DEFAULT_LOCALE),
      config,
      // STORM_LOG=info shows the dispatcher's lines (a group falling behind, failed passes).
      logger: pino({ level: process.env.STORM_LOG ?? "silent" }),
      workerId: "storm-dispatcher",
      compaction: o.compaction,
    });
    dispatcher.start();

    // A burst main: reports one after another at an even pace, each with a photo and a point.
    const t0 = performance.now();
    const gap = (o.filingSeconds * 1000) / o.reports;
    for (let i = 0; i < o.reports; i++) {
      const due = t0 + i * gap;
      if (performance.now() < due) await sleep(due - performance.now());
      const gridfsId = await storePhoto(tinyPhoto(i + 1), {
        filename: `storm-${i}.jpg`,
        source: { platform: "telegram", fileUniqueId: `storm-${i}` },
      });
      const { report } = await submitReport({
        submissionKey: `storm-${i}`,
        platform: "telegram",
        citizen: {
          userId: CITIZEN_BASE + i,
          chatId: CITIZEN_BASE + i,
          name: "",
          username: "",
          phone: "",
          locale: "fa",
        },
        categoryKey: "water",
        description: "لوله اصلی ترکیده و خیابان را آب گرفته است",
        location: { lat: 35.8 + (i % 50) / 5000, lon: 50.99 + Math.floor(i / 50) / 5000 },
        address: `خیابان آزادی، کوچه ${i + 1}`,
        venueTitle: "",
        photos: [{ fileId: `storm-${i}`, fileUniqueId: `storm-${i}`, mime: "image/jpeg", size: 100, gridfsId }],
        route: { regionKey: "storm", chat: { platform: "telegram", chatId: GROUP }, needsLocationCheck: false },
        now: new Date(),
      });
      filedAt.set(formatCode(report.code), performance.now());
      // As the intake does: this process queued the rows, so the dispatcher is woken.
      dispatcher.wakeUp();
    }

    const cap = (o.capMinutes ?? 60) * 60_000;
    const open = () => Outbox.countDocuments({ status: { $in: ["pending", "sending", "deferred"] } });
    let drained = false;
    while (performance.now() - t0 < cap) {
      // STORM_LOG also prints the queue by status and kind every 5 s.
      if (process.env.STORM_LOG) {
        const by = await Outbox.aggregate([{ $group: { _id: { s: "$status", k: "$kind" }, n: { $sum: 1 } } }]);
        process.stderr.write(
          `${Math.round(performance.now() - t0)} ms ${JSON.stringify(by.map((b) => [b._id, b.n]))}\n`,
        );
      }
      if ((await open()) === 0) {
        drained = true;
        break;
      }
      await sleep(process.env.STORM_LOG ? 5_000 : 500);
    }
    await dispatcher.stop();
    dispatcher = null;

    const firstSeen = new Map<string, number>();
    const cardAt = new Map<string, number>();
    for (const { at, text, digest } of texts)
      for (const [code] of filedAt) {
        if (!text.includes(code)) continue;
        if (!firstSeen.has(code)) firstSeen.set(code, at);
        if (!digest && !cardAt.has(code)) cardAt.set(code, at);
      }
    const delays = (m: Map<string, number>) => [...m].map(([code, at]) => (at - filedAt.get(code)!) / 1000);
    const sec = (xs: number[]) => {
      const s = summarize(xs);
      return { count: s.count, p50S: round(s.p50Ms, 1), p95S: round(s.p95Ms, 1), maxS: round(s.maxMs, 1) };
    };
    const lastCard = Math.max(...cardAt.values());
    return {
      reports: o.reports,
      filingSeconds: o.filingSeconds,
      compaction: o.compaction,
      firstAppearance: sec(delays(firstSeen)),
      fullCard: sec(delays(cardAt)),
      received429,
      groupMessages,
      digests,
      allCardsS: cardAt.size === filedAt.size ? round((lastCard - t0) / 1000, 1) : null,
      cardsPosted: cardAt.size,
      drained,
      note:
        "real OutboxDispatcher loop (woken per filing) → throttled fetch → Bot API emulator over HTTP with " +
        `enforceLimits (Telegram's limits in real time); one staff group, ${config.GROUP_MESSAGES_PER_MINUTE_TELEGRAM}/min, ` +
        `GROUP_BACKLOG_SECONDS=${config.GROUP_BACKLOG_SECONDS}; each report: 1 photo + card + pin.`,
    };
  } finally {
    await dispatcher?.stop();
    await emulator.stop();
  }
}

/** The figures as lines for a terminal. */
export function stormLines(r: StormResult): string[] {
  const f = (x: { p50S: number; p95S: number; maxS: number }) => `${x.p50S} / ${x.p95S} / ${x.maxS}`;
  return [
    `storm${r.compaction ? "" : " (--no-compaction)"}: ${r.reports} reports into one group in ${r.filingSeconds} s`,
    `  first appearance (card or digest line) p50 / p95 / max s (target max ≤ 120): ${f(r.firstAppearance)} (${r.firstAppearance.count} cases)`,
    `  full card p50 / p95 / max s: ${f(r.fullCard)} (${r.cardsPosted} cards)`,
    `  429s received (target 0): ${r.received429}`,
    `  messages sent to the group: ${r.groupMessages} (${r.digests} digests)`,
    `  every full card posted after: ${r.allCardsS === null ? "NOT within the cap" : `${r.allCardsS} s`}`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reports: { type: "string", default: "200" },
      seconds: { type: "string", default: "300" },
      "cap-minutes": { type: "string", default: "60" },
      "no-compaction": { type: "boolean", default: false },
    },
  });
  const { startBenchMongo } = await import("./mongo.ts");
  const mongo = await startBenchMongo();
  try {
    const r = await benchStorm({
      reports: Number(values.reports),
      filingSeconds: Number(values.seconds),
      compaction: !values["no-compaction"],
      capMinutes: Number(values["cap-minutes"]),
    });
    process.stdout.write(`${stormLines(r).join("\n")}\n${JSON.stringify(r)}\n`);
  } finally {
    await mongo.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`storm failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
