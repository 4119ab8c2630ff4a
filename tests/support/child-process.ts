import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface Child {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * The environment minus anything that would point a child bot at real chats or a real database
 * (a developer's shell may export them), plus `env`.
 */
export function cleanEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(TELEGRAM_|BALE_|MONGODB_URI|STAFF_|WEBHOOK_URL|HTTP_PORT)/.test(k)),
  );
  return { ...clean, LOG_LEVEL: "info", ...env };
}

export function startProcess(
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Child {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: cleanEnv(opts.env), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A TCP port nothing listens on right now (children get it as HTTP_PORT instead of the shared 8137). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
