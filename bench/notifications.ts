import { performance } from "node:perf_hooks";
import { Api } from "grammy";
import pino from "pino";
import { loadConfig } from "../core/config.ts";
import { createI18n } from "../core/i18n.ts";
import { botApiFetch, setupApi } from "../bot/api-setup.ts";
import { nodeFetch } from "../bot/throttled-fetch.ts";
import { OutboxDispatcher } from "../bot/outbox/dispatcher.ts";
import { Outbox } from "../models/infra/outbox.ts";
import { startBotApiEmulator } from "../sandbox/bot-api/server.ts";
import { SimClient } from "../sandbox/bot-api/sim-client.ts";
import { pool, round, sleep } from "./stats.ts";

export interface NotificationResult {
  notifications: number;
  privateChats: number;
  groupMessages: number;
  groups: number;
  sent: number;
  failed: number;
  requests: number;
  received429: number;
  drainMs: number;
  msgPerSec: number;
  drained: boolean;
  lastErrors: string[];
  note: string;
}

const TOKEN = "700000:BENCH-telegram";
const CITIZEN_BASE = 5_000_000;
const GROUP_BASE = -1009000000000;
const GROUPS = 10;
const STAFF_USER = 4_999_999;
/** Give up waiting for the drain after this long (the figures then say drained: false). */
const DRAIN_CAP_MS = 20 * 60_000;

/**
 * `notifications` status notifications to `chats` private chats plus `groupMessages` messages to
 * staff groups, sent by the real OutboxDispatcher through the real throttled fetch to the
 * emulator enforcing Telegram's limits.
 */
export async function benchNotifications(
  notifications: number,
  chats: number,
  groupMessages: number,
): Promise<NotificationResult> {
  const emulator = await startBotApiEmulator({
    bots: [
      { platform: "telegram", token: TOKEN, id: 700000, username: "citizen137_bench_bot", firstName: "Citizen 137" },
    ],
    enforceLimits: true,
  });
  try {
    const sim = new SimClient(emulator.url);
    await pool(chats, 50, async (i) => {
      await sim.user("telegram", {
        id: CITIZEN_BASE + i,
        first_name: `Citizen ${i}`,
        language_code: "fa",
        started: true,
      });
    });
    await sim.user("telegram", { id: STAFF_USER, first_name: "Official", started: true });
    for (let g = 0; g < GROUPS; g++)
      await sim.chat("telegram", {
        id: GROUP_BASE - g,
        type: "supergroup",
        title: `Staff ${g}`,
        members: [STAFF_USER],
      });

    // Rows in round-robin chat order, group messages spread evenly among them: what a busy desk's queue looks like.
    const total = notifications + groupMessages;
    const groupEvery = groupMessages > 0 ? Math.floor(total / groupMessages) : Infinity;
    const base = Date.now() - 3_600_000;
    const rows: Record<string, unknown>[] = [];
    let citizenRow = 0;
    let groupRow = 0;
    for (let i = 0; i < total; i++) {
      const toGroup = groupRow < groupMessages && (i % groupEvery === groupEvery - 1 || citizenRow >= notifications);
      const chatId = toGroup ? GROUP_BASE - (groupRow++ % GROUPS) : CITIZEN_BASE + (citizenRow++ % chats);
      rows.push({
        _id: `bench:notify:${i}`,
        platform: "telegram",
        chatId,
        kind: "status_changed",
        locale: "fa",
        payload: { code: String(30000000 + i), to: "in_progress", note: "" },
        status: "pending",
        attempts: 0,
        nextAttemptAt: new Date(base + i),
        // lean insertMany skips the schema's timestamps; the claim orders a chat's rows by createdAt.
        createdAt: new Date(base + i),
      });
    }
    for (let i = 0; i < rows.length; i += 2_000) await Outbox.insertMany(rows.slice(i, i + 2_000), { lean: true });

    let requests = 0;
    let received429 = 0;
    const counting: typeof fetch = async (input, init) => {
      const res = await nodeFetch(input, init);
      requests++;
      if (res.status === 429) received429++;
      return res;
    };
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.url, LOG_LEVEL: "silent" });
    const api = new Api(TOKEN, { apiRoot: emulator.url, fetch: botApiFetch(counting, true) as never });
    setupApi(api, { platform: "telegram", retry: false });
    const dispatcher = new OutboxDispatcher({
      apis: { telegram: api },
      i18n: createI18n(config.DEFAULT_LOCALE),
      config,
      logger: pino({ level: "silent" }),
      workerId: "bench-dispatcher",
    });

    const open = () => Outbox.countDocuments({ status: { $in: ["pending", "sending"] } });
    const t0 = performance.now();
    let drained = false;
    while (performance.now() - t0 < DRAIN_CAP_MS) {
      await dispatcher.drainOnce();
      if ((await open()) === 0) {
        drained = true;
        break;
      }
      await sleep(200);
    }
    const drainMs = performance.now() - t0;
    const sent = await Outbox.countDocuments({ status: "sent" });
    const failed = await Outbox.countDocuments({ status: { $in: ["failed", "unreachable"] } });
    const lastErrors = (await Outbox.distinct("lastError", { lastError: { $ne: "" } })).map(String).slice(0, 5);
    return {
      notifications,
      privateChats: chats,
      groupMessages,
      groups: GROUPS,
      sent,
      failed,
      requests,
      received429,
      drainMs: round(drainMs),
      msgPerSec: round(sent / (drainMs / 1000), 2),
      drained,
      lastErrors,
      note:
        "one OutboxDispatcher (drainOnce in a loop), throttled fetch (30/s, 1/s per chat, 20/min per group) → " +
        `Bot API emulator over HTTP with enforceLimits; ${GROUPS} staff groups; limit 30 msg/s.`,
    };
  } finally {
    await emulator.stop();
  }
}
