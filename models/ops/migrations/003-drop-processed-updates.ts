import type { mongo } from "mongoose";

/**
 * The update inbox (models/infra/inbox.ts) recognises a redelivered update by its own unique id, so the
 * separate `processed_updates` guard is gone. Its collection held only update ids and times; it is
 * dropped (a second run finds nothing to drop).
 */
export const id = 3;
export const name = "drop-processed-updates";

export async function up(db: mongo.Db): Promise<string> {
  const exists = (await db.listCollections({ name: "processed_updates" }, { nameOnly: true }).toArray()).length > 0;
  if (!exists) return "processed_updates: not present";
  const count = await db.collection("processed_updates").countDocuments();
  await db.dropCollection("processed_updates");
  return `processed_updates: dropped (${count} update ids; the inbox recognises redeliveries now)`;
}
