// Runs the in-memory MongoDB server on its own:
//   npx tsx sandbox/mongo/cli.ts --port 27017 [--host 127.0.0.1] [--persist data/mongo.json]
// Prints the connection URI and keeps running until SIGINT/SIGTERM (snapshot flushed on exit).
import { parseArgs } from "node:util";
import { MemoryMongoServer } from "./server.ts";

const USAGE = `usage: npx tsx sandbox/mongo/cli.ts [--port 27017] [--host 127.0.0.1] [--persist data/mongo.json]

In-memory MongoDB-wire-compatible test server (see sandbox/mongo/README.md).
  --port <n>        TCP port (0 = pick a free one; default 27017)
  --host <addr>     interface to bind (default 127.0.0.1)
  --persist <file>  EJSON snapshot: loaded at start, rewritten after writes
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "27017" },
      host: { type: "string", default: "127.0.0.1" },
      persist: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`invalid --port: ${values.port}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const server = await MemoryMongoServer.start({ host: values.host, port, persistPath: values.persist });
  process.stdout.write(`${server.uri}\n`);
  const shutdown = (): void => {
    void server.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`memory-mongo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
