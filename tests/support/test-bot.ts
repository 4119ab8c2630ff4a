import { Api, type Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import pino from "pino";
import { createBot } from "../../bot/create-bot.ts";
import { loadConfig, type Config } from "../../bot/config.ts";
import { createI18n } from "../../bot/i18n.ts";
import type { AppDeps } from "../../bot/app.ts";
import type { BotContext } from "../../bot/context.ts";
import { OutboxDispatcher } from "../../bot/outbox/dispatcher.ts";
import type { Platform } from "../../models/platform.ts";
import { FakeBotApi } from "./fake-bot-api.ts";
import { RegionRouter } from "../../models/routing.ts";
import { staffFallbackChat } from "../../bot/platforms.ts";
import { ChatSim } from "./chat-sim.ts";

export const STAFF_CHAT = -1001370000001;
export const TOKEN = "123456:TEST-token";
export const API_ROOT = "http://bot-api.test";

export interface TestBot {
  bot: Bot<BotContext>;
  api: FakeBotApi;
  app: AppDeps;
  config: Config;
  dispatcher: OutboxDispatcher;
  clock: { now: Date };
  /** A citizen in a private chat with the bot. */
  citizen(userId: number, opts?: { firstName?: string; languageCode?: string; username?: string }): ChatSim;
  /** A member of a group chat (a staff chat): their messages and presses happen in the group. */
  member(userId: number, group: number, opts?: { firstName?: string; languageCode?: string }): ChatSim;
  /** A fresh Bot instance on the same DB and fake API: what a process restart looks like. */
  restart(): void;
}

/** The production bot wired to a fetch-level fake Bot API and an injectable clock. */
export function createTestBot(env: Record<string, string> = {}, platform: Platform = "telegram"): TestBot {
  const config = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: API_ROOT, STAFF_CHAT_ID: String(STAFF_CHAT), LOG_LEVEL: "silent", ...env });
  const api = new FakeBotApi();
  const clock = { now: new Date() };
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const app: AppDeps = { config, platform, logger, i18n: createI18n(config.DEFAULT_LOCALE), apiRoot: API_ROOT, token: TOKEN, fetch: api.fetch, now: () => clock.now, router: new RegionRouter(staffFallbackChat(config), 0) };
  const make = () => createBot({ app, client: { fetch: api.fetch as never }, botInfo: api.botInfo as UserFromGetMe });
  const rawApi = new Api(TOKEN, { apiRoot: API_ROOT, fetch: api.fetch as never });
  const dispatcher = new OutboxDispatcher({ apis: { [platform]: rawApi }, i18n: app.i18n, config, logger, now: () => clock.now, workerId: "test-dispatcher" });
  const tb: TestBot = {
    bot: make(),
    api,
    app,
    config,
    dispatcher,
    clock,
    citizen: (userId, opts) => new ChatSim(() => tb.bot, api, userId, opts),
    member: (userId, group, opts) => new ChatSim(() => tb.bot, api, userId, { ...opts, group: { id: group, title: "Staff" } }),
    restart: () => {
      tb.bot = make();
    },
  };
  return tb;
}
