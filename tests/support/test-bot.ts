import { randomUUID } from "node:crypto";
import { Api, type Bot } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import pino from "pino";
import { createBot } from "../../bot/create-bot.ts";
import { loadConfig, type Config } from "../../core/config.ts";
import { createI18n } from "../../core/i18n.ts";
import type { AppDeps } from "../../core/app.ts";
import type { Logger } from "../../core/logger.ts";
import type { BotContext } from "../../core/context.ts";
import { OutboxDispatcher, OUTBOX_TIMEOUT_SECONDS } from "../../bot/outbox/dispatcher.ts";
import { botApiFetch, setupApi } from "../../bot/api-setup.ts";
import { staffFallbackChat } from "../../core/platforms.ts";
import { RegionRouter } from "../../models/geography/routing.ts";
import type { Platform } from "../../models/common/platform.ts";
import { InboxWorker } from "../../bot/intake/inbox-worker.ts";
import { conversationKey } from "../../bot/conversation-storage.ts";
import { updateHandler } from "../../bot/intake/handle-update.ts";
import { InFlight } from "../../bot/in-flight.ts";
import { FakeBotApi } from "./fake-bot-api.ts";
import { ChatSim } from "./chat-sim.ts";

export const STAFF_CHAT = -1001370000001;
export const TOKEN = "123456:TEST-token";
export const API_ROOT = "http://bot-api.test";
export const BALE_TOKEN = "654321:BALE-token";
export const BALE_API_ROOT = "http://bale-api.test";

const ACCESS: Record<Platform, { token: string; root: string; botId: number; username: string }> = {
  telegram: { token: TOKEN, root: API_ROOT, botId: 42, username: "citizen137_bot" },
  bale: { token: BALE_TOKEN, root: BALE_API_ROOT, botId: 43, username: "citizen137_bale_bot" },
};

/** One platform's bot in a test desk: the production bot wired to a fetch-level fake Bot API. */
export interface TestBot {
  bot: Bot<BotContext>;
  api: FakeBotApi;
  app: AppDeps;
  config: Config;
  /** The desk's dispatcher: it sends outbox rows of every platform. */
  dispatcher: OutboxDispatcher;
  clock: { now: Date };
  /** A citizen in a private chat with this bot (`viaInbox`: their updates go through the inbox, as in production). */
  citizen(
    userId: number,
    opts?: {
      firstName?: string;
      languageCode?: string;
      username?: string;
      viaInbox?: boolean;
      deliver?: (update: Update) => Promise<void>;
    },
  ): ChatSim;
  /** A member of a group chat (a staff chat): their messages and presses happen in the group. */
  member(userId: number, group: number, opts?: { firstName?: string; languageCode?: string }): ChatSim;
  /** A fresh Bot instance on the same DB and fake API: what a process restart looks like. */
  restart(): void;
  /** This bot's inbox worker (created on first use, renewed by `restart`): updates taken in as in production. */
  inbox(): InboxWorker;
  /** Through the inbox, handled to the end: what a webhook post or a polled batch does. */
  deliver(update: Update): Promise<void>;
}

export interface TestDesk {
  config: Config;
  clock: { now: Date };
  dispatcher: OutboxDispatcher;
  on(platform: Platform): TestBot;
}

let desks = 0;

export interface TestDeskOptions {
  /** The desk's logger (bots, dispatcher, inbox); default silent (TEST_LOG_LEVEL to see lines). */
  logger?: Logger;
}

/**
 * One process as `npm start` builds it, for the given platforms: a bot per platform sharing the
 * database, the clock, the region router and one outbox dispatcher.
 */
export function createTestDesk(
  env: Record<string, string> = {},
  platforms: Platform[] = ["telegram"],
  shared: Partial<Record<Platform, FakeBotApi>> = {},
  opts: TestDeskOptions = {},
): TestDesk {
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: API_ROOT,
    BALE_BOT_TOKEN: BALE_TOKEN,
    BALE_API_ROOT: BALE_API_ROOT,
    STAFF_CHAT_ID: String(STAFF_CHAT),
    LOG_LEVEL: "silent",
    API_THROTTLE: "off",
    // Test clocks stand still: a citizen filing two reports would be "flooding". The guard's own test sets it.
    FLOOD_LIMIT_PER_MINUTE: "0",
    ...env,
  });
  const clock = { now: new Date() };
  const logger = opts.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const i18n = createI18n(config.DEFAULT_LOCALE);
  const router = new RegionRouter(staffFallbackChat(config), 0);
  const apis: Partial<Record<Platform, Api>> = {};
  const outboxApis: Partial<Record<Platform, Api>> = {};
  const views = new Map<Platform, TestBot>();
  // Unique per desk: two desks on one database are two instances, each with its own outbox worker.
  const dispatcher = new OutboxDispatcher({
    apis: outboxApis,
    i18n,
    config,
    logger,
    now: () => clock.now,
    workerId: `test-dispatcher-${++desks}`,
  });

  for (const platform of platforms) {
    const { token, root, botId, username } = ACCESS[platform];
    // `shared`: a second instance of the same bot talks to the same Bot API.
    const api = shared[platform] ?? new FakeBotApi({ ...new FakeBotApi().botInfo, id: botId, username });
    const apiFetch = botApiFetch(api.fetch, config.API_THROTTLE);
    const app: AppDeps = {
      config,
      platform,
      logger,
      i18n,
      apiRoot: root,
      token,
      fetch: api.fetch,
      apiFetch,
      now: () => clock.now,
      router,
      apis,
      wakeOutbox: () => dispatcher.wakeUp(),
    };
    const make = () => {
      const bot = createBot({ app, botInfo: api.botInfo as UserFromGetMe });
      apis[platform] = bot.api;
      return bot;
    };
    const outboxApi = new Api(token, {
      apiRoot: root,
      fetch: apiFetch as never,
      timeoutSeconds: OUTBOX_TIMEOUT_SECONDS,
    });
    setupApi(outboxApi, { platform, retry: false });
    outboxApis[platform] = outboxApi;
    const instance = `test-instance-${desks}-${platform}`;
    let worker: InboxWorker | null = null;
    const inbox = () =>
      (worker ??= new InboxWorker({
        platform,
        holder: { instance, boot: randomUUID() },
        handle: updateHandler(view.bot),
        api: view.bot.api,
        me: api.botInfo as UserFromGetMe,
        stateKey: (ctx) => conversationKey(platform, ctx),
        inflight: new InFlight(),
        logger,
        now: () => clock.now,
      }));
    const view: TestBot = {
      bot: make(),
      inbox,
      async deliver(update) {
        await inbox().accept([update]);
        await inbox().idle();
      },
      api,
      app,
      config,
      dispatcher,
      clock,
      citizen: (userId, opts) =>
        new ChatSim(() => view.bot, api, userId, {
          ...opts,
          ...(opts?.viaInbox ? { deliver: (u: Update) => view.deliver(u) } : {}),
        }),
      member: (userId, group, opts) =>
        new ChatSim(() => view.bot, api, userId, { ...opts, group: { id: group, title: "Staff" } }),
      restart: () => {
        view.bot = make();
        // The same instance's next life: a new boot, so its rows left working are its own to take over.
        worker = null;
      },
    };
    views.set(platform, view);
  }
  return {
    config,
    clock,
    dispatcher,
    on(platform) {
      const view = views.get(platform);
      if (!view) throw new Error(`no ${platform} bot in this desk`);
      return view;
    },
  };
}

/** A desk with one platform's bot, seen as that bot. */
export function createTestBot(env: Record<string, string> = {}, platform: Platform = "telegram"): TestBot {
  return createTestDesk(env, [platform]).on(platform);
}
