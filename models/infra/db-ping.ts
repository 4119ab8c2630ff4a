import mongoose, { type Connection } from "mongoose";

/** A probe must answer within its own timeout (Kubernetes: 1 s by default): a hung DB is "not ready". */
export const DB_PING_TIMEOUT_MS = 1_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
  );
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Resolves when MongoDB answers a ping in time; throws saying why not. The bot's own connection
 * unless told otherwise (the readiness tests pass one of their own).
 */
export async function pingMongo(conn: Connection = mongoose.connection, timeoutMs = DB_PING_TIMEOUT_MS): Promise<void> {
  const db = conn.readyState === mongoose.ConnectionStates.connected ? conn.db : undefined;
  if (!db) throw new Error(`not connected (${mongoose.ConnectionStates[conn.readyState] ?? conn.readyState})`);
  await withTimeout(db.admin().ping(), timeoutMs);
}
