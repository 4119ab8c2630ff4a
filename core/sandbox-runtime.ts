/**
 * The running sandbox tells admin scripts how to reach it: while it runs it keeps
 * `<SANDBOX_DATA_DIR>/sandbox-runtime.json` (gitignored with data/) naming its database, its staff and
 * managers chats and its two bots on the emulator. A script whose MONGODB_URI is that very database
 * takes from the file what its own environment leaves unset, so `npm run doctor` and
 * `npm run job -- weekly-table` work against the printed URI. Any other URI (production) ignores the
 * file, and a file left by a sandbox that died is ignored too.
 */
import fs from "node:fs";
import path from "node:path";
import type { Config } from "./config.ts";
import { PLATFORMS, type Platform } from "../models/common/platform.ts";

export const RUNTIME_FILE = "sandbox-runtime.json";

/** What the file holds: the settings a script needs, by their environment names. */
export interface SandboxRuntime {
  pid: number;
  MONGODB_URI: string;
  STAFF_PLATFORM: Platform;
  STAFF_CHAT_ID: string;
  MANAGERS_CHAT_ID: string;
  TELEGRAM_BOT_TOKEN: string;
  TELEGRAM_API_ROOT: string;
  BALE_BOT_TOKEN: string;
  BALE_API_ROOT: string;
}

export function runtimePath(dataDir: string): string {
  return path.join(dataDir, RUNTIME_FILE);
}

/** Written once the sandbox's settings are known; the tokens are the sandbox's fixed test tokens, not secrets. */
export function writeSandboxRuntime(dataDir: string, config: Config): string {
  const file = runtimePath(dataDir);
  const runtime: SandboxRuntime = {
    pid: process.pid,
    MONGODB_URI: config.MONGODB_URI ?? "",
    STAFF_PLATFORM: config.STAFF_PLATFORM,
    STAFF_CHAT_ID: config.STAFF_CHAT_ID ?? "",
    MANAGERS_CHAT_ID: config.MANAGERS_CHAT_ID ?? "",
    TELEGRAM_BOT_TOKEN: config.TELEGRAM_BOT_TOKEN ?? "",
    TELEGRAM_API_ROOT: config.TELEGRAM_API_ROOT,
    BALE_BOT_TOKEN: config.BALE_BOT_TOKEN ?? "",
    BALE_API_ROOT: config.BALE_API_ROOT,
  };
  fs.mkdirSync(dataDir, { recursive: true });
  // Written whole and renamed: a script never reads half a file.
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(runtime, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

/** On a clean stop; a file this process did not write (another sandbox's) is left alone. */
export function removeSandboxRuntime(dataDir: string): void {
  const found = readRuntime(runtimePath(dataDir));
  if (found?.pid === process.pid) fs.rmSync(runtimePath(dataDir), { force: true });
}

function readRuntime(file: string): SandboxRuntime | null {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  const strings = [
    "MONGODB_URI",
    "STAFF_CHAT_ID",
    "MANAGERS_CHAT_ID",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_ROOT",
    "BALE_BOT_TOKEN",
    "BALE_API_ROOT",
  ];
  if (typeof r.pid !== "number" || !strings.every((k) => typeof r[k] === "string")) return null;
  if (!PLATFORMS.includes(r.STAFF_PLATFORM as Platform)) return null;
  return r as unknown as SandboxRuntime;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The sandbox's settings for a script, when the script's MONGODB_URI is the running sandbox's database; else null. */
export function runningSandboxFor(config: Config): SandboxRuntime | null {
  if (!config.MONGODB_URI) return null;
  const found = readRuntime(runtimePath(config.SANDBOX_DATA_DIR));
  if (!found || found.MONGODB_URI !== config.MONGODB_URI || !alive(found.pid)) return null;
  return found;
}

/**
 * A script's configuration completed from the running sandbox: what the environment (`env`, the raw
 * variables) sets wins; chats and staff platform fill in when unset; the bots only when no bot token is
 * set at all (a token of one's own means one's own bots, with their own API roots).
 */
export function withSandboxDefaults(config: Config, env: NodeJS.ProcessEnv = process.env): Config {
  const sandbox = runningSandboxFor(config);
  if (!sandbox) return config;
  const unset = (name: string) => (env[name] ?? "").trim() === "";
  const out: Config = { ...config };
  if (unset("STAFF_PLATFORM")) out.STAFF_PLATFORM = sandbox.STAFF_PLATFORM;
  if (unset("STAFF_CHAT_ID") && sandbox.STAFF_CHAT_ID) out.STAFF_CHAT_ID = sandbox.STAFF_CHAT_ID;
  if (unset("MANAGERS_CHAT_ID") && sandbox.MANAGERS_CHAT_ID) out.MANAGERS_CHAT_ID = sandbox.MANAGERS_CHAT_ID;
  if (unset("TELEGRAM_BOT_TOKEN") && unset("BALE_BOT_TOKEN")) {
    Object.assign(out, {
      TELEGRAM_BOT_TOKEN: sandbox.TELEGRAM_BOT_TOKEN || undefined,
      TELEGRAM_API_ROOT: sandbox.TELEGRAM_API_ROOT,
      BALE_BOT_TOKEN: sandbox.BALE_BOT_TOKEN || undefined,
      BALE_API_ROOT: sandbox.BALE_API_ROOT,
    });
  }
  return out;
}
