import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import mongoose from "mongoose";
import { prepareDb } from "../models/infra/db.ts";

export interface BenchMongo {
  /** What the figures came from. */
  backend: string;
  dbName: string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The sandbox in-memory server in a child process: the bench process's RSS and CPU then measure
 * the bot alone, as with a real MongoDB on another machine.
 */
async function startChildServer(): Promise<{ uri: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "sandbox/mongo/cli.ts"), "--port", "0"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`in-memory MongoDB did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /mongodb:\/\/\S+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`in-memory MongoDB exited (${code}): ${out}`));
    });
  });
  return { uri, child };
}

/** MONGODB_URI if set, else the sandbox in-memory server; a fresh database, dropped by stop(). */
export async function startBenchMongo(): Promise<BenchMongo> {
  const dbName = `bench_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  let uri = process.env.MONGODB_URI;
  let child: ChildProcess | null = null;
  let backend = "MONGODB_URI";
  if (!uri) {
    ({ uri, child } = await startChildServer());
    backend = "sandbox in-memory server (child process)";
  }
  mongoose.set("bufferCommands", false);
  mongoose.set("strictQuery", true);
  // The in-memory server answers one command at a time: a slow command (a seed of 100,000
  // reports) can still outlast the driver's 30 s monitor check, which would then call it down.
  const patient = child
    ? { serverSelectionTimeoutMS: 600_000, connectTimeoutMS: 600_000, heartbeatFrequencyMS: 60_000 }
    : { serverSelectionTimeoutMS: 5_000 };
  // Command monitoring: the commands-per-update part counts them at the wire (bench/commands.ts).
  await mongoose.connect(uri, { dbName, autoIndex: false, monitorCommands: true, ...patient });
  await prepareDb();
  return {
    backend,
    dbName,
    async stop() {
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await mongoose.disconnect();
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

/** Empties every collection but the seeded categories, regions and departments. */
export async function clearData(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error("not connected");
  for (const c of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (!["categories", "regions", "departments"].includes(c.name)) await db.collection(c.name).deleteMany({});
  }
}
