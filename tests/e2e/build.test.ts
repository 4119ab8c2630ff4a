import http from "node:http";
import os from "node:os";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HttpBotApi } from "../support/http-bot-api.ts";
import { freePort, startProcess, until, type Child } from "../support/child-process.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// Built under node_modules/.cache: imports of packages resolve to the project's node_modules from
// there (as they do from dist/), and git, eslint and vitest all ignore it. dist/ stays untouched.
let out = "";
const children: Child[] = [];

/** The compiled JS, run by plain node from the build folder (so no .env of the developer's is read). */
function node(script: string, args: string[] = [], env: Record<string, string> = {}): Child {
  const run = startProcess(process.execPath, [path.join(out, script), ...args], { cwd: out, env });
  children.push(run);
  return run;
}

beforeAll(async () => {
  mkdirSync(path.join(root, "node_modules", ".cache"), { recursive: true });
  out = mkdtempSync(path.join(root, "node_modules", ".cache", "build-test-"));
  const build = startProcess("npm", ["run", "build", "--silent", "--", "--outDir", out], { cwd: root });
  const code = await build.exited;
  expect(code, build.output()).toBe(0);
}, 180_000);

afterEach(() => {
  for (const c of children.splice(0)) c.child.kill("SIGKILL");
});

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe("npm run build (compiled JS)", () => {
  it("with no token runs the sandbox from the compiled code (page files and locales found), URL first", async () => {
    const run = node("bot/main.js", [], {
      HTTP_PORT: "0",
      SANDBOX_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "build-sandbox-")),
    });
    await until(() => /^Citizen 137 sandbox: open http/.test(run.output()), "the sandbox URL", 60_000);
    const url = /^Citizen 137 sandbox: open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.output())?.[1];
    expect(url).toBeDefined();
    // Both bots up (the page alone is served as soon as the URL is printed).
    await until(() => (run.output().match(/bot started/g) ?? []).length === 2, "both bots", 60_000);
    expect(await (await fetch(url!)).text()).toContain("<html");
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });

  it("reports an invalid HTTP_PORT as a config error line and exits 1", async () => {
    const run = node("bot/main.js", [], { HTTP_PORT: "70000" });
    expect(await run.exited).toBe(1);
    expect(run.output().trim().split("\n")).toEqual([expect.stringMatching(/^config error: HTTP_PORT: /)]);
  });

  // The embedded store is a dynamic import of sandbox/ (rewritten to .js by the build), and the
  // reply needs dist/locales: this fails if either is missing from the build.
  it("runs a bot on the embedded store, answers /start from the copied locales, stops on SIGTERM", async () => {
    const api = new HttpBotApi();
    await api.start();
    try {
      const run = node("bot/main.js", [], {
        TELEGRAM_BOT_TOKEN: "123:abc",
        TELEGRAM_API_ROOT: api.root,
        HTTP_PORT: String(await freePort()),
      });
      await until(() => run.output().includes("bot started"), "the compiled bot to start");
      expect(run.output()).toContain("using the embedded in-memory store");
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
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
    } finally {
      await api.stop();
    }
  });

  it("ships the container health probe: 0 on a 2xx, 1 on an error status or no server", async () => {
    const server = http.createServer((req, res) => res.writeHead(req.url === "/healthz" ? 200 : 503).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = String((server.address() as AddressInfo).port);
    try {
      expect(await node("bot/healthcheck.js", ["/healthz"], { HTTP_PORT: port }).exited).toBe(0);
      expect(await node("bot/healthcheck.js", ["/readyz"], { HTTP_PORT: port }).exited).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const down = node("bot/healthcheck.js", [], { HTTP_PORT: port });
    expect(await down.exited).toBe(1);
    expect(down.output()).toContain("ECONNREFUSED");
  });
});
