import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, inject, it } from "vitest";
import { HttpBotApi } from "../support/http-bot-api.ts";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

/**
 * `npm start` itself, or (direct: true) the same entry without npm in between, so signals reach
 * the bot process and its exit code is its own (npm re-raises the child's signal instead).
 */
function npmStart(
  env: Record<string, string>,
  direct = false,
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(TELEGRAM_|BALE_|MONGODB_URI|STAFF_|WEBHOOK_URL)/.test(k)),
  );
  const [cmd, args] = direct ? [process.execPath, ["--import", "tsx", "bot/main.ts"]] : ["npm", ["start", "--silent"]];
  const child = spawn(cmd as string, args as string[], {
    env: { ...clean, LOG_LEVEL: "info", HTTP_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function withDb(uri: string, db: string): string {
  const u = new URL(uri);
  u.pathname = `/${db}`;
  return u.toString();
}

describe("npm start", () => {
  it("with no token starts the sandbox and first prints the URL to open", async () => {
    const run = npmStart({ HTTP_PORT: "0", SANDBOX_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "npm-start-")) }, true);
    await until(() => run.output().includes("\n"), "the first line", 60_000);
    expect(run.output().split("\n")[0]).toMatch(
      /^Citizen 137 sandbox: open http:\/\/127\.0\.0\.1:\d+\/ in your browser/,
    );
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });

  it("reports each invalid variable on its own line and exits non-zero", async () => {
    const run = npmStart({ HTTP_PORT: "70000", DEFAULT_LOCALE: "de" });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("config error: HTTP_PORT:");
    expect(run.output()).toContain("config error: DEFAULT_LOCALE:");
  });

  it("long-polls a Bot-API-compatible server, answers /start and stops cleanly on SIGTERM", async () => {
    const api = new HttpBotApi();
    await api.start();
    try {
      const run = npmStart(
        {
          TELEGRAM_BOT_TOKEN: "123:abc",
          TELEGRAM_API_ROOT: api.root,
          MONGODB_URI: withDb(inject("mongoUri"), "npm_start_e2e"),
        },
        true,
      );
      await until(
        () => api.fake.callsOf("getMe").length > 0 && run.output().includes("bot started"),
        "the bot to start",
      );
      api.push({
        message: {
          message_id: 1,
          date: 0,
          chat: { id: 77, type: "private", first_name: "Ali" },
          from: { id: 77, is_bot: false, first_name: "Ali", language_code: "en" },
          text: "/start",
          entities: [{ type: "bot_command", offset: 0, length: 6 }],
        },
      });
      await until(() => api.fake.callsOf("sendMessage").length > 0, "the welcome reply");
      expect(String(api.fake.callsOf("sendMessage")[0]!.payload.text)).toContain(
        "Dear Ali, welcome to the municipality's 137 service",
      );
      expect(api.fake.callsOf("deleteWebhook")).toHaveLength(1);
      const menus = api.fake.callsOf("setMyCommands").map((c) => c.payload);
      expect(menus).toHaveLength(2);
      expect(menus[1]).toMatchObject({
        language_code: "en",
        commands: expect.arrayContaining([{ command: "new", description: "Report a problem" }]),
      });
      expect(menus[0]!.commands).toContainEqual({ command: "status", description: "پیگیری گزارش با کد" });
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain("shutting down");
    } finally {
      await api.stop();
    }
  });

  it("without MONGODB_URI runs on the embedded store and warns that data is not durable", async () => {
    const api = new HttpBotApi();
    await api.start();
    try {
      const run = npmStart({ TELEGRAM_BOT_TOKEN: "123:abc", TELEGRAM_API_ROOT: api.root }, true);
      await until(() => run.output().includes("bot started"), "the bot to start");
      expect(run.output()).toContain("using the embedded in-memory store; data is NOT durable");
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
    } finally {
      await api.stop();
    }
  });
});
