import "dotenv/config";
import { Api } from "grammy";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { ConfigError, loadConfig, type Config } from "./config.ts";
import { createLogger } from "./logger.ts";
import { createI18n } from "./i18n.ts";
import { configuredBots } from "./platforms.ts";
import { openDatabase } from "./database.ts";
import { createBot } from "./create-bot.ts";
import { OutboxDispatcher } from "./outbox/dispatcher.ts";
import { registerCommandMenu } from "./command-menu.ts";
import { RegionRouter } from "../models/routing.ts";
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
  const db = await openDatabase(config.MONGODB_URI, logger);
  const i18n = createI18n(config.DEFAULT_LOCALE);
  const router = new RegionRouter(staffFallbackChat(config));
  const runners: RunnerHandle[] = [];
  const rawApis: Partial<Record<Platform, Api>> = {};
  for (const b of bots) {
    const bot = createBot({ app: { config, platform: b.platform, logger: logger.child({ platform: b.platform }), i18n, apiRoot: b.apiRoot, token: b.token, fetch, now: () => new Date(), router } });
    await bot.init();
    await bot.api.deleteWebhook();
    // A messenger without per-language command menus (Bale) must not stop the bot from starting.
    await registerCommandMenu(bot.api, i18n, config.DEFAULT_LOCALE).catch((err: unknown) => logger.warn({ err, platform: b.platform }, "could not set the command menu"));
    rawApis[b.platform] = new Api(b.token, { apiRoot: b.apiRoot });
    runners.push(run(bot, { runner: { fetch: { allowed_updates: ["message", "edited_message", "callback_query"] } } }));
    logger.info({ platform: b.platform, username: bot.botInfo.username }, "bot started (long polling)");
  }
  const dispatcher = new OutboxDispatcher({ apis: rawApis, i18n, config, logger: logger.child({ part: "outbox" }) });
  dispatcher.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, "shutting down");
    await Promise.allSettled(runners.map((r) => (r.isRunning() ? r.stop() : Promise.resolve())));
    await dispatcher.stop();
    await db.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(`start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
