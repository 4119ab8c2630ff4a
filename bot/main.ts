import "dotenv/config";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { Api } from "grammy";
import type { I18n } from "@grammyjs/i18n";
import { ConfigError, loadConfig, type Config } from "../core/config.ts";
import { createLogger, scrubSecrets, type Logger } from "../core/logger.ts";
import { createI18n } from "../core/i18n.ts";
import { configuredBots, staffFallbackChat, type PlatformBot } from "../core/platforms.ts";
import { openDatabase } from "./database.ts";
import { createBot } from "./create-bot.ts";
import { OutboxDispatcher, OUTBOX_TIMEOUT_SECONDS } from "./outbox/dispatcher.ts";
import { startScheduler } from "./cron/scheduler.ts";
import { registerCommandMenu } from "./command-menu.ts";
import { CITIZEN_COMMANDS } from "../handlers/citizen/index.ts";
import { botApiFetch, setupApi } from "./api-setup.ts";
import { nodeFetch } from "./throttled-fetch.ts";
import { InFlight } from "./in-flight.ts";
import { HttpServer } from "./http/server.ts";
import { Readiness } from "./http/readiness.ts";
import { pingMongo } from "../models/infra/db-ping.ts";
import { webhookHeaderSecret, webhookPathSecret } from "./http/secrets.ts";
import { updateHandler } from "./intake/handle-update.ts";
import type { Update } from "grammy/types";
import { startPolling } from "./intake/polling.ts";
import { InboxWorker } from "./intake/inbox-worker.ts";
import { conversationKey } from "./conversation-storage.ts";
import type { InboxHolder } from "../models/infra/inbox.ts";
import { setWebhook, webhookTarget } from "./intake/webhook.ts";
import { Shutdown, stopRunning, type Running } from "./shutdown.ts";
import { RegionRouter } from "../models/geography/routing.ts";
import { open311Routes } from "../handlers/open311/routes.ts";
import { createMapRoute } from "../handlers/map/index.ts";
import { ensureAdmins } from "../models/people/staff.ts";
import { cacheCategories, CATEGORY_CACHE_TTL_MS } from "../models/geography/category.ts";
import { cacheRegionNames, REGION_NAMES_TTL_MS } from "../models/geography/region.ts";
import { cacheCitizenProfiles, CITIZEN_PROFILE_TTL_MS } from "../models/people/citizen.ts";
import type { Platform } from "../models/common/platform.ts";

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

/** Shared by every platform's bot in this process. */
interface Shared {
  config: Config;
  logger: Logger;
  i18n: I18n;
  router: RegionRouter;
  /** Every running bot's Api: handlers reach the other platform's bot through it (cross-platform cards). */
  botApis: Partial<Record<Platform, Api>>;
  /** The outbox's Apis, without auto-retry (it handles 429s itself). */
  outboxApis: Partial<Record<Platform, Api>>;
  /** This process's outbox dispatcher: handlers wake it after queueing a card redraw. */
  dispatcher: OutboxDispatcher;
  http: HttpServer;
  readiness: Readiness;
  running: Running;
  shutdown: Shutdown;
  /** This process in the update inbox. */
  holder: InboxHolder;
}

/** One platform's bot: initialised, then taking updates by webhook or long polling; ready after that. */
async function startPlatform(b: PlatformBot, s: Shared): Promise<void> {
  const { config, running } = s;
  const logger = s.logger.child({ platform: b.platform });
  const apiFetch = botApiFetch(nodeFetch, config.API_THROTTLE);
  const bot = createBot({
    app: {
      config,
      platform: b.platform,
      logger,
      i18n: s.i18n,
      apiRoot: b.apiRoot,
      token: b.token,
      fetch: nodeFetch,
      apiFetch,
      now: () => new Date(),
      router: s.router,
      apis: s.botApis,
      wakeOutbox: () => s.dispatcher.wakeUp(),
    },
  });
  await bot.init();
  // A messenger without per-language command menus (Bale) must not stop the bot from starting.
  await registerCommandMenu(bot.api, s.i18n, config.DEFAULT_LOCALE, b.platform, CITIZEN_COMMANDS).catch(
    (err: unknown) => logger.warn({ err }, "could not set the command menu"),
  );
  s.botApis[b.platform] = bot.api;
  const outboxApi = new Api(b.token, {
    apiRoot: b.apiRoot,
    fetch: apiFetch as never,
    timeoutSeconds: OUTBOX_TIMEOUT_SECONDS,
  });
  setupApi(outboxApi, { platform: b.platform, retry: false });
  s.outboxApis[b.platform] = outboxApi;
  if (s.shutdown.isStopping) return;
  const inbox = new InboxWorker({
    platform: b.platform,
    holder: s.holder,
    handle: updateHandler(bot),
    api: bot.api,
    me: bot.botInfo,
    stateKey: (ctx) => conversationKey(b.platform, ctx),
    inflight: running.inflight,
    logger,
  });
  running.inboxes.push(inbox);
  // What this instance (or a dead one) left unfinished goes first, before any new update of its chat.
  await inbox.recover({ earlierLives: true });
  inbox.start();
  const accept = (updates: Update[]) => inbox.accept(updates);
  if (config.WEBHOOK_URL) {
    // The route first: the Bot API may post the moment setWebhook returns.
    s.http.addWebhook(webhookTarget(b.platform, b.token, (update) => accept([update])));
    await setWebhook(bot, b.platform, b.token, config.WEBHOOK_URL);
  } else {
    await bot.api.deleteWebhook();
    const onFatal = (err: unknown) => {
      s.readiness.botStopped(b.platform, "polling failed");
      logger.fatal({ err }, "long polling stopped for good");
      s.shutdown.begin("polling failed", 1);
    };
    running.pollers.push(startPolling(bot, { accept, logger, onFatal }));
  }
  s.readiness.botReady(b.platform);
  logger.info(
    { username: bot.botInfo.username },
    config.WEBHOOK_URL ? "bot started (webhook)" : "bot started (long polling)",
  );
}

async function main(): Promise<void> {
  const base = readConfig();
  // No token at all: the sandbox (sandbox/): an emulated Bot API with a Telegram and a Bale bot,
  // a browser chat, and the in-memory MongoDB, all on this machine.
  const sandboxMode = configuredBots(base).length === 0;
  const sandbox = sandboxMode ? await import("../sandbox/services.ts") : null;
  const services = sandbox ? await sandbox.startSandboxServices(base, createLogger("warn")) : null;
  const config = services?.config ?? base;
  const bots = configuredBots(config);
  const logger = createLogger(config.LOG_LEVEL, {
    secrets: bots.flatMap((b) => [b.token, webhookPathSecret(b.token), webhookHeaderSecret(b.token)]),
  });
  const readiness = new Readiness(
    bots.map((b) => b.platform),
    () => pingMongo(),
  );
  const inflight = new InFlight();
  // Everything started is recorded here as it starts, so a signal at any moment of start-up
  // stops exactly what is running.
  const running: Running = {
    readiness,
    inflight,
    http: null,
    pollers: [],
    inboxes: [],
    dispatcher: null,
    scheduler: null,
    db: null,
    sandbox: services,
  };
  const shutdown = new Shutdown(() => stopRunning(running, config.SHUTDOWN_GRACE_MS, logger), logger, {
    graceMs: config.SHUTDOWN_GRACE_MS,
  });
  shutdown.listen();
  activeShutdown = shutdown;

  // Up first: /healthz answers during start-up, /readyz says what is still missing.
  const http = new HttpServer({ readiness, logger: logger.child({ part: "http" }) });
  running.http = http;
  const address = await http.listen(config.HTTP_PORT, config.HTTP_HOST);
  if (services) {
    // The first lines a person sees: where to click, and where admin scripts can connect.
    console.log(
      `Citizen 137 sandbox: open http://127.0.0.1:${address.port}/ in your browser (no bot token set; everything is simulated on this machine).`,
    );
    for (const line of sandboxScriptLines(services)) console.log(line);
    http.addRoutes(services.routes);
  }
  logger.info(
    { host: address.address, port: address.port, mode: config.WEBHOOK_URL ? "webhook" : "long polling" },
    "HTTP server listening",
  );

  running.db = await openDatabase(config.MONGODB_URI, logger, async () => {
    const { MemoryMongoServer } = await import("../sandbox/mongo/server.ts");
    return MemoryMongoServer.start({ host: "127.0.0.1", port: 0 });
  });
  // This process's short caches of what every update reads (README "Scale"): an admin's edit shows within 30 s.
  cacheCategories(CATEGORY_CACHE_TTL_MS);
  cacheRegionNames(REGION_NAMES_TTL_MS);
  cacheCitizenProfiles(CITIZEN_PROFILE_TTL_MS);
  await ensureAdmins(config.ADMIN_USER_IDS);
  await services?.seedStaff();
  const outboxApis: Partial<Record<Platform, Api>> = {};
  const i18n = createI18n(config.DEFAULT_LOCALE);
  const holder: InboxHolder = { instance: config.INSTANCE_ID ?? hostname(), boot: randomUUID() };
  const dispatcher = new OutboxDispatcher({
    apis: outboxApis,
    i18n,
    config,
    logger: logger.child({ part: "outbox" }),
    instance: holder.instance,
    workerId: `${holder.instance}#${holder.boot}`,
  });
  running.dispatcher = dispatcher;
  running.scheduler = startScheduler({
    deps: { config },
    logger: logger.child({ part: "cron" }),
    holder: `${hostname()}:${process.pid}`,
    onQueued: () => dispatcher.wakeUp(),
  });
  const router = new RegionRouter(staffFallbackChat(config));
  // Other channels on the same HTTP port, once the database is open: Open311 (city systems, the call
  // centre) files and reads the same cases; the public map reads them through Open311.
  http.addRoutes(
    open311Routes({
      config,
      logger: logger.child({ part: "open311" }),
      i18n,
      now: () => new Date(),
      router,
      wakeOutbox: () => dispatcher.wakeUp(),
    }),
  );
  http.addRoutes(createMapRoute({ config, i18n }));
  const shared: Shared = {
    config,
    logger,
    i18n,
    router,
    botApis: {},
    outboxApis,
    dispatcher,
    http,
    readiness,
    running,
    shutdown,
    holder,
  };
  for (const b of bots) await startPlatform(b, shared);
  if (!shutdown.isStopping) dispatcher.start();
}

/**
 * How to run admin scripts against this sandbox: a block to paste into another terminal (the chats are
 * on it, so `npm run job -- weekly-table` queues to the managers), and where the bots are found.
 */
function sandboxScriptLines(services: {
  mongoUri: string;
  persistPath: string | null;
  runtimePath: string;
  config: Config;
}): string[] {
  const c = services.config;
  return [
    `Admin scripts (npm run doctor, npm run job -- weekly-table, …) against this sandbox: in another terminal in this directory, run`,
    `  export MONGODB_URI=${services.mongoUri} STAFF_PLATFORM=${c.STAFF_PLATFORM} ` +
      `STAFF_CHAT_ID=${c.STAFF_CHAT_ID ?? ""} MANAGERS_CHAT_ID=${c.MANAGERS_CHAT_ID ?? ""}`,
    `(${services.persistPath ? `reports are kept in ${services.persistPath} between runs; ` : ""}` +
      `while the sandbox runs, scripts with this MONGODB_URI find its bots in ${services.runtimePath})`,
  ];
}

/** Set once signals are handled: start-up steps failing because a shutdown closed their ground are not "start-up failed". */
let activeShutdown: Shutdown | null = null;

main().catch((err: unknown) => {
  // A signal during start-up: the orderly stop is already under way and sets the exit code.
  if (activeShutdown?.isStopping) return;
  // Not through the logger (it may not exist yet): scrubbed here, a Bot API URL would carry the token.
  console.error(scrubSecrets(`start-up failed: ${err instanceof Error ? err.message : String(err)}`, []));
  process.exit(1);
});
