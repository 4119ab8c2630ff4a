// Bot API emulator: a Telegram-compatible Bot API over node:http for the bots under test (any
// number, one per platform name), plus the /sim API that plays the users. See README.md.
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { BotApiError, TG } from "./errors.ts";
import type { FaultSpec } from "./faults.ts";
import { clientGone, parseApiRequest, readBody, sendBytes, sendJson } from "./http.ts";
import { methodHandler } from "./methods/index.ts";
import { Params } from "./params.ts";
import { SimError } from "./sim-error.ts";
import { handleSim } from "./simulation.ts";
import type { BotConfig } from "./state.ts";
import { World } from "./state.ts";
import { listen } from "../listen.ts";
import { corsHeaders, localRequestRefusal, type LocalOnlyOptions } from "./local-only.ts";

export type { BotConfig } from "./state.ts";
export type { FaultSpec } from "./faults.ts";

export interface BotApiEmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port (read it from `url`). */
  port?: number;
  bots: BotConfig[];
  /** Faults active from the start (same shape as POST /sim/faults). */
  faults?: FaultSpec[];
  /** Telegram's send limits (30/s per bot, ~1/s per private chat, 20/min per group) → 429. Off by default. */
  enforceLimits?: boolean;
  /** Clock (ms) for message dates and rate limits; tests can pin it. */
  now?: () => number;
  /**
   * Origins of pages served elsewhere that may call the emulator (sandbox/web's `simBaseUrl`):
   * they get CORS headers naming them. Nobody else does: there is no `*`.
   */
  corsOrigins?: string[];
}

export interface BotApiEmulator {
  /** The bots' apiRoot, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  /** In-process access to the emulated state (the HTTP /sim API is the documented interface). */
  world: World;
  reset(): void;
  stop(): Promise<void>;
}

async function botApi(
  world: World,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  token: string,
  method: string,
): Promise<void> {
  const p = world.byToken(decodeURIComponent(token));
  if (!p) throw TG.unauthorized();
  const handler = methodHandler(method);
  if (!handler) throw TG.notFound();
  const body = await readBody(req);
  const fault = world.faults.take(p.bot.platform, method);
  // "timeout": keep the connection open without a word until the client gives up (or stop()).
  if (fault === "hold") return;
  if (fault) throw fault;
  const params = new Params(parseApiRequest(req, url, body));
  const result: unknown = await handler({ world, p, params, signal: clientGone(res) });
  sendJson(res, 200, { ok: true, result });
}

function download(world: World, res: ServerResponse, token: string, filePath: string): void {
  const file = world.byToken(decodeURIComponent(token))?.files.atPath(decodeURIComponent(filePath));
  if (!file) throw TG.notFound();
  sendBytes(res, file.bytes, file.mime_type);
}

async function route(world: World, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://emulator");
  if (url.pathname.startsWith("/sim/")) {
    const reply = await handleSim(world, req, url, clientGone(res));
    if ("bytes" in reply) sendBytes(res, reply.bytes, reply.contentType);
    else sendJson(res, reply.status, reply.json);
    return;
  }
  const api = /^\/bot([^/]+)\/([^/]*)\/?$/.exec(url.pathname);
  if (api) return botApi(world, req, res, url, api[1] ?? "", api[2] ?? "");
  const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
  if (file) return download(world, res, file[1] ?? "", file[2] ?? "");
  throw TG.notFound();
}

/** 403 in the shape the route speaks: Telegram's for the Bot API and files, `{ error }` elsewhere. */
function refuse(req: IncomingMessage, res: ServerResponse, reason: string): void {
  const path = (req.url ?? "/").split("?")[0]!;
  if (/^\/(bot|file\/bot)/.test(path))
    sendJson(res, 403, { ok: false, error_code: 403, description: `Forbidden: ${reason}` });
  else sendJson(res, 403, { error: reason });
}

async function handle(world: World, local: LocalOnlyOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Its port is not checked: npm start puts a front on this machine before it, which forwards
  // the front's own Host (the front checks its port itself: sandbox/services.ts).
  const refusal = localRequestRefusal(req, local);
  if (refusal) return refuse(req, res, refusal);
  for (const [k, v] of Object.entries(corsHeaders(req, local.corsOrigins ?? []))) res.setHeader(k, v);
  if (req.method === "OPTIONS") {
    res.writeHead(204).end();
    return;
  }
  try {
    await route(world, req, res);
  } catch (err) {
    if (err instanceof BotApiError) sendJson(res, err.errorCode, err.toJSON());
    else if (err instanceof SimError) sendJson(res, err.status, { error: err.message });
    else {
      console.error("[bot-api emulator]", err);
      sendJson(res, 500, TG.internal().toJSON());
    }
  }
}

export async function startBotApiEmulator(opts: BotApiEmulatorOptions): Promise<BotApiEmulator> {
  const world = new World(opts.bots, {
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.enforceLimits ? { enforceLimits: true } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const host = opts.host ?? "127.0.0.1";
  // A specific address the operator chose to listen on is a name it answers to, besides loopback.
  const local: LocalOnlyOptions = {
    port: "any",
    hosts: host === "0.0.0.0" || host === "::" ? [] : [host],
    corsOrigins: opts.corsOrigins ?? [],
  };
  const server = createServer((req, res) => void handle(world, local, req, res));
  // Long polls last up to their timeout; Node's default request timeouts must not cut them.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  const port = await listen(server, host, opts.port ?? 0);
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  world.baseUrl = url;
  return {
    url,
    port,
    world,
    reset: () => world.reset(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Also ends long polls and requests held by a "timeout" fault.
        server.closeAllConnections();
      }),
  };
}
