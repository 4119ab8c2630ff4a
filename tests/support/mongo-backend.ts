import { existsSync } from "node:fs";
import path from "node:path";

export interface TestMongo {
  backend: "MONGODB_URI" | "mongodb-memory-server" | "sandbox in-memory server";
  uri: string;
  stop(): Promise<void>;
}

/** A mongod binary that exists on this machine already: nothing may be downloaded here. */
function findMongod(): string | null {
  const explicit = process.env.MONGOMS_SYSTEM_BINARY;
  if (explicit && existsSync(explicit)) return explicit;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "mongod");
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/** DESIGN.md "Storage": MONGODB_URI, else mongodb-memory-server with a local mongod, else our wire-compatible server. */
export async function startTestMongo(): Promise<TestMongo> {
  const uri = process.env.MONGODB_URI;
  if (uri) return { backend: "MONGODB_URI", uri, stop: async () => {} };
  const mongod = findMongod();
  if (mongod) {
    const { MongoMemoryServer } = await import("mongodb-memory-server-core");
    const server = await MongoMemoryServer.create({ binary: { systemBinary: mongod } });
    return { backend: "mongodb-memory-server", uri: server.getUri(), stop: async () => void (await server.stop()) };
  }
  const { MemoryMongoServer } = await import("../../sandbox/mongo/server.ts");
  const server = await MemoryMongoServer.start({ host: "127.0.0.1", port: 0 });
  return { backend: "sandbox in-memory server", uri: server.uri, stop: () => server.stop() };
}
