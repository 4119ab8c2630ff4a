import "dotenv/config";
import { hostname } from "node:os";
import { Api } from "grammy";
import { run } from "@grammyjs/runner";
import { ConfigError, loadConfig, type Config } from "./config.ts";
import { createLogger } from "./logger.ts";
import { createI18n } from "./i18n.ts";
import { configuredBots } from "./platforms.ts";
import { openDatabase } from "./database.ts";
import { createBot } from "./create-bot.ts";
import { OutboxDispatcher } from "./outbox/dispatcher.ts";
import { startScheduler } from "./cron/scheduler.ts";
import { registerCommandMenu } from "./command-menu.ts";
import { botApiFetch, setupApi } from "./api-setup.ts";
import { nodeFetch } from "./throttled-fetch.ts";
import { RegionRouter } from "../models/routing.ts";
import { ensureAdmins } from "../models/staff.ts";
import { staffFallbackChat } from "./platforms.ts";
import type { Platform } from "../models/platform.ts";

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const problem of err.problems) console.error(`config error: ${problem}`);
      process.exit(1);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const bots = configuredBots(config);
  if (bots.length === 0) {
    console.error("No bot token set: put TELEGRAM_BOT_TOKEN (and TELEGRAM_API_ROOT for a Bot-API-compatible server) or BALE_BOT_TOKEN in .env, then run npm start again.");
    process.exit(1);
  }
  if (config.WEBHOOK_URL) logger.warn("WEBHOOK_URL is set but webhook mode is not built yet: using long polling");
  // Everything started is registered here first, so a signal at any moment of start-up stops
  // exactly what is running (a SIGTERM right after "bot started" must still exit cleanly).
  const stops: (() => Promise<unknown>)[] = [];
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, "shutting down");
    for (const stop of [...stops].reverse()) await stop().catch((err: unknown) => logger.warn({ err }, "shutdown step failed"));
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  const db = await openDatabase(config.MONGODB_URI, logger);
  stops.push(() => db.close());
  await ensureAdmins(config.ADMIN_USER_IDS);
  const i18n = createI18n(config.DEFAULT_LOCALE);
  const router = new RegionRouter(staffFallbackChat(config));
  const rawApis: Partial<Record<Platform, Api>> = {};
  // Filled as bots start: handlers reach the other platform's bot through it (cross-platform cards).
  const botApis: Partial<Record<Platform, Api>> = {};
  const dispatcher = new OutboxDispatcher({ apis: rawApis, i18n, config, logger: logger.child({ part: "outbox" }) });
  stops.push(() => dispatcher.stop());
  const scheduler = startScheduler({ deps: { config }, logger: logger.child({ part: "cron" }), holder: `${hostname()}:${process.pid}` });
  stops.push(() => scheduler.stop());
  for (const b of bots) {
    const apiFetch = botApiFetch(nodeFetch, config.API_THROTTLE);
    const bot = createBot({ app: { config, platform: b.platform, logger: logger.child({ platform: b.platform }), i18n, apiRoot: b.apiRoot, token: b.token, fetch: nodeFetch, apiFetch, now: () => new Date(), router, apis: botApis } });
    await bot.init();
    await bot.api.deleteWebhook();
    // A messenger without per-language command menus (Bale) must not stop the bot from starting.
    await registerCommandMenu(bot.api, i18n, config.DEFAULT_LOCALE, b.platform).catch((err: unknown) => logger.warn({ err, platform: b.platform }, "could not set the command menu"));
    botApis[b.platform] = bot.api;
    const outboxApi = new Api(b.token, { apiRoot: b.apiRoot, fetch: apiFetch as never });
    setupApi(outboxApi, { platform: b.platform, retry: false });
    rawApis[b.platform] = outboxApi;
    const runner = run(bot, { runner: { fetch: { allowed_updates: ["message", "edited_message", "callback_query"] } } });
    // Stopped first (registered last): no new updates while the rest winds down.
    stops.push(() => (runner.isRunning() ? runner.stop() : Promise.resolve()));
    logger.info({ platform: b.platform, username: bot.botInfo.username }, "bot started (long polling)");
  }
  dispatcher.start();
}

main().catch((err: unknown) => {
  console.error(`start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
