import { startProcess, until, type Child } from "./child-process.ts";

/**
 * The real entry, bot/main.ts, without npm in between (signals reach the bot and its exit code is
 * its own), on any free port of the loopback interface.
 */
export function startBot(env: Record<string, string>): Child {
  return startProcess(process.execPath, ["--import", "tsx", "bot/main.ts"], {
    env: { HTTP_PORT: "0", HTTP_HOST: "127.0.0.1", ...env },
  });
}

function listeningPort(output: string): number {
  for (const line of output.split("\n")) {
    if (!line.includes('"HTTP server listening"')) continue;
    return (JSON.parse(line) as { port: number }).port;
  }
  return 0;
}

/** The port the child's HTTP server took (HTTP_PORT=0 lets the OS pick: no clashes between runs). */
export async function httpPort(run: Child): Promise<number> {
  let port = 0;
  await until(() => (port = listeningPort(run.output())) > 0, "the HTTP server to listen");
  return port;
}

export async function untilAsync(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The test MongoDB's URI with another database name. */
export function withDb(uri: string, db: string): string {
  const u = new URL(uri);
  u.pathname = `/${db}`;
  return u.toString();
}
