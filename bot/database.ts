import type { Logger } from "../core/logger.ts";
import { connectDb, disconnectDb, prepareDb } from "../models/infra/db.ts";

export interface Database {
  uri: string;
  durable: boolean;
  close(): Promise<void>;
}

/** A database this process starts itself (the embedded in-memory server): where it listens, how to stop it. */
export interface EmbeddedDatabase {
  uri: string;
  stop(): Promise<void>;
}

/**
 * MONGODB_URI when set; otherwise the embedded server `startEmbedded` brings up (bot/main.ts passes the
 * in-memory server from sandbox/, a test double: fine to try the bot, not durable, with a loud warning).
 * main.ts is the one place that loads sandbox/.
 */
export async function openDatabase(
  uri: string | undefined,
  logger: Logger,
  startEmbedded: () => Promise<EmbeddedDatabase>,
): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  let target = uri;
  if (!target) {
    embedded = await startEmbedded();
    target = embedded.uri;
    logger.warn(
      { uri: target },
      "MONGODB_URI is not set: using the embedded in-memory store; data is NOT durable and is lost when the process stops",
    );
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
