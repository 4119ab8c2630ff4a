import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config.ts";
import {
  removeSandboxRuntime,
  runtimePath,
  withSandboxDefaults,
  writeSandboxRuntime,
} from "../../core/sandbox-runtime.ts";

const URI = "mongodb://127.0.0.1:40123/citizen137";

/** A data directory holding the file a sandbox with these settings writes (this process plays the sandbox). */
function sandboxDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sandbox-runtime-"));
  const sandboxConfig = loadConfig({
    MONGODB_URI: URI,
    STAFF_CHAT_ID: "-1001370000001",
    MANAGERS_CHAT_ID: "-1001370000002",
    TELEGRAM_BOT_TOKEN: "1370000001:sandbox-telegram-token",
    TELEGRAM_API_ROOT: "http://127.0.0.1:41000",
    BALE_BOT_TOKEN: "1370000002:sandbox-bale-token",
    BALE_API_ROOT: "http://127.0.0.1:41000",
    SANDBOX_DATA_DIR: dir,
  });
  writeSandboxRuntime(dir, sandboxConfig);
  return dir;
}

describe("scripts against the running sandbox (sandbox/runtime-file.ts)", () => {
  it("the sandbox's database: chats, staff platform and bots come from the file", () => {
    const dir = sandboxDir();
    const env = { MONGODB_URI: URI, SANDBOX_DATA_DIR: dir };
    expect(withSandboxDefaults(loadConfig(env), env)).toMatchObject({
      STAFF_PLATFORM: "telegram",
      STAFF_CHAT_ID: "-1001370000001",
      MANAGERS_CHAT_ID: "-1001370000002",
      TELEGRAM_BOT_TOKEN: "1370000001:sandbox-telegram-token",
      TELEGRAM_API_ROOT: "http://127.0.0.1:41000",
      BALE_BOT_TOKEN: "1370000002:sandbox-bale-token",
    });
  });

  it("what the environment says wins; a bot token of one's own keeps one's own bots", () => {
    const dir = sandboxDir();
    const env = { MONGODB_URI: URI, SANDBOX_DATA_DIR: dir, MANAGERS_CHAT_ID: "-100999", TELEGRAM_BOT_TOKEN: "42:own" };
    const cfg = withSandboxDefaults(loadConfig(env), env);
    expect(cfg).toMatchObject({
      MANAGERS_CHAT_ID: "-100999",
      STAFF_CHAT_ID: "-1001370000001",
      TELEGRAM_BOT_TOKEN: "42:own",
      TELEGRAM_API_ROOT: "https://api.telegram.org",
    });
    expect(cfg.BALE_BOT_TOKEN).toBeUndefined();
  });

  it("another database (production) or a sandbox that is no longer running: the file is ignored", () => {
    const dir = sandboxDir();
    const prod = { MONGODB_URI: "mongodb://db.example.org/citizen137", SANDBOX_DATA_DIR: dir };
    expect(withSandboxDefaults(loadConfig(prod), prod)).toEqual(loadConfig(prod));
    const unset = { SANDBOX_DATA_DIR: dir };
    expect(withSandboxDefaults(loadConfig(unset), unset)).toEqual(loadConfig(unset));

    // The file of a sandbox that was killed (its process gone) points at nothing.
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    const file = runtimePath(dir);
    writeFileSync(
      file,
      JSON.stringify({
        ...JSON.parse(JSON.stringify(loadConfig({ MONGODB_URI: URI }))),
        pid: gone,
        MONGODB_URI: URI,
        STAFF_PLATFORM: "telegram",
        STAFF_CHAT_ID: "-1",
        MANAGERS_CHAT_ID: "-2",
        TELEGRAM_BOT_TOKEN: "1:a",
        TELEGRAM_API_ROOT: "http://x",
        BALE_BOT_TOKEN: "",
        BALE_API_ROOT: "http://x",
      }),
    );
    const env = { MONGODB_URI: URI, SANDBOX_DATA_DIR: dir };
    expect(withSandboxDefaults(loadConfig(env), env).STAFF_CHAT_ID).toBeUndefined();
    // …and a stop does not remove a file another process wrote.
    removeSandboxRuntime(dir);
    expect(existsSync(file)).toBe(true);
  });

  it("a clean stop removes its own file", () => {
    const dir = sandboxDir();
    removeSandboxRuntime(dir);
    expect(existsSync(runtimePath(dir))).toBe(false);
  });
});
