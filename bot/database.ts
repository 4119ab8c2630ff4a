import type { Logger } from "../core/logger.ts";
import { connectDb, disconnectDb, prepareDb } from "../models/db.ts";

export interface Database {
  uri: string;
  durable: boolean;
  close(): Promise<void>;
}

/**
 * MONGODB_URI when set; otherwise the embedded in-memory server from sandbox/ (a test double:
 * fine to try the bot, not durable, with a loud warning).
 */
export async function openDatabase(uri: string | undefined, logger: Logger): Promise<Database> {
  let embedded: { stop(): Promise<void> } | null = null;
  let target = uri;
  if (!target) {
    const { MemoryMongoServer } = await import("../sandbox/mongo/server.ts");
    const server = await MemoryMongoServer.start({ host: "127.0.0.1", port: 0 });
    embedded = server;
    target = server.uri;
    logger.warn({ uri: target }, "MONGODB_URI is not set: using the embedded in-memory store; data is NOT durable and is lost when the process stops");
  }
  await connectDb(target);
  await prepareDb();
  return {
    uri: target,
    durable: embedded === null,
    async close() {
      await disconnectDb();
      await embedded?.stop();
    },
  };
}
