import http from "node:http";
import path from "node:path";
import type { Config } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import type { RouteHandler } from "../core/http-route.ts";
import { upsertStaff } from "../models/people/staff.ts";
import { PLATFORMS } from "../models/common/platform.ts";
import { DEFAULT_REGIONS } from "../models/geography/default-regions.ts";
import { MemoryMongoServer } from "./mongo/server.ts";
import { startBotApiEmulator, type BotApiEmulator } from "./bot-api/server.ts";
import { createWebHandler } from "./web/serve.ts";
import { localRequestRefusal } from "./bot-api/local-only.ts";
import { upsertChat } from "./bot-api/sim-actions.ts";
import { removeSandboxRuntime, writeSandboxRuntime } from "../core/sandbox-runtime.ts";

/** The sandbox's fixed cast; the page (sandbox/web/app.js) uses the same ids. */
export const SANDBOX = {
  staffChat: -1001370000001,
  managersChat: -1001370000002,
  /** The page (sandbox/web/app.js CONFIG) names them the same when it adds the members. */
  chatTitles: { staff: "137 — Staff", managers: "137 — Managers" },
  bots: {
    telegram: {
      token: "1370000001:sandbox-telegram-token",
      id: 1370000001,
      username: "citizen137_bot",
      firstName: "شهروند ۱۳۷",
    },
    bale: {
      token: "1370000002:sandbox-bale-token",
      id: 1370000002,
      username: "citizen137_bale_bot",
      firstName: "شهروند ۱۳۷ (بله)",
    },
  },
  staff: [
    { userId: 900, name: "Omid", role: "official" as const },
    { userId: 901, name: "Mina", role: "manager" as const },
    { userId: 902, name: "Azar", role: "admin" as const },
  ],
  /** Reports survive a restart in this file (under SANDBOX_DATA_DIR): the in-memory server snapshots to it after writes. */
  mongoFile: "sandbox-mongo.json",
};

export interface SandboxServices {
  /** The database file, when the embedded store is used. */
  persistPath: string | null;
  /** The configuration the desk runs with: both bots pointed at the emulator, staff chats set. */
  config: Config;
  mongoUri: string;
  /** Where admin scripts find the chats and bots while the sandbox runs (sandbox/runtime-file.ts). */
  runtimePath: string;
  /** The emulator (Bot API and /sim) and the page, mounted on the desk's HTTP server. */
  routes: RouteHandler;
  /** Staff identities of the page, on both platforms. */
  seedStaff(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The outside world for `npm start` with no token: a MongoDB (MONGODB_URI, else the in-memory
 * wire server persisted to ./data), the Bot API emulator with a Telegram and a Bale bot, and the
 * browser chat. The bots themselves are the unmodified production code.
 */
export async function startSandboxServices(base: Config, logger: Logger): Promise<SandboxServices> {
  const persistPath = path.join(base.SANDBOX_DATA_DIR, SANDBOX.mongoFile);
  const mongo = base.MONGODB_URI ? null : await MemoryMongoServer.start({ host: "127.0.0.1", port: 0, persistPath });
  const mongoUri = base.MONGODB_URI ?? `${mongo!.uri.replace(/\/$/, "")}/citizen137`;
  const emulator = await startBotApiEmulator({
    host: "127.0.0.1",
    port: 0,
    bots: PLATFORMS.map((platform) => ({ platform, ...SANDBOX.bots[platform] })),
  });
  const config: Config = {
    ...base,
    MONGODB_URI: mongoUri,
    TELEGRAM_BOT_TOKEN: SANDBOX.bots.telegram.token,
    TELEGRAM_API_ROOT: emulator.url,
    BALE_BOT_TOKEN: SANDBOX.bots.bale.token,
    BALE_API_ROOT: emulator.url,
    STAFF_CHAT_ID: base.STAFF_CHAT_ID ?? String(SANDBOX.staffChat),
    MANAGERS_CHAT_ID: base.MANAGERS_CHAT_ID ?? String(SANDBOX.managersChat),
    // Only this machine: the sandbox has no authentication.
    HTTP_HOST: "127.0.0.1",
    WEBHOOK_URL: undefined,
  };
  // The staff and managers groups exist from the start (the page adds their members), so admin
  // scripts such as `npm run doctor` can check them before anyone has opened the page.
  const staffSide = emulator.world.platforms.get(config.STAFF_PLATFORM);
  for (const [id, title] of [
    [config.STAFF_CHAT_ID, SANDBOX.chatTitles.staff],
    [config.MANAGERS_CHAT_ID, SANDBOX.chatTitles.managers],
  ] as const) {
    // A group id is negative; an id of one's own choosing that is not (a private chat) is left to the page.
    if (staffSide && Number(id) < 0) upsertChat(staffSide, { id: Number(id), type: "supergroup", title });
  }
  const runtimePath = writeSandboxRuntime(base.SANDBOX_DATA_DIR, config);
  const web = createWebHandler({
    regions: DEFAULT_REGIONS,
    serviceArea: config.SERVICE_AREA_BBOX,
    staffPlatform: config.STAFF_PLATFORM,
    timeZone: config.TZ_NAME,
  });
  const proxy = proxyTo(emulator);
  logger.info(
    { mongo: mongoUri, persisted: mongo ? persistPath : null, emulator: emulator.url },
    "sandbox services up",
  );
  return {
    config,
    mongoUri,
    runtimePath,
    persistPath: mongo ? persistPath : null,
    routes: (req, res) => {
      // The page and the /sim API answer this machine only, addressed to this very port: a page
      // elsewhere cannot drive the desk by DNS rebinding or a cross-site post (the emulator checks too).
      const refusal = localRequestRefusal(req, { port: "socket" });
      if (refusal) {
        res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ error: refusal }));
        return true;
      }
      return web(req, res) || proxy(req, res);
    },
    async seedStaff() {
      for (const platform of PLATFORMS)
        for (const s of SANDBOX.staff)
          await upsertStaff({ platform, ...s, regions: DEFAULT_REGIONS.map((r) => r.key) });
    },
    async stop() {
      removeSandboxRuntime(base.SANDBOX_DATA_DIR);
      await emulator.stop();
      await mongo?.stop();
    },
  };
}

const EMULATOR_PATHS = /^\/(sim\/|bot[^/]+\/|file\/bot)/;

/** The emulator's Bot API and /sim routes on the desk's own port: one origin for the page and scripts. */
function proxyTo(emulator: BotApiEmulator): RouteHandler {
  const target = new URL(emulator.url);
  return (req, res) => {
    if (!EMULATOR_PATHS.test(req.url ?? "")) return false;
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent)
        res.writeHead(502, { "content-type": "application/json" }).end('{"error":"emulator unavailable"}');
      else res.destroy();
    });
    req.pipe(upstream);
    return true;
  };
}
