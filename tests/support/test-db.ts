import { randomUUID } from "node:crypto";
import mongoose from "mongoose";
import { afterAll, beforeAll, beforeEach, inject } from "vitest";
import { prepareDb } from "../../models/infra/db.ts";

/** Connects mongoose to a fresh database of its own for this test file, dropped afterwards. */
export function useTestDb(opts: { cleanEach?: boolean } = {}): { dbName: string; uri: string } {
  const dbName = `t_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const uri = inject("mongoUri");
  beforeAll(async () => {
    mongoose.set("bufferCommands", false);
    // monitorCommands: tests count the commands a path sends (counts are stable on any machine).
    await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 5_000, autoIndex: false, monitorCommands: true });
    await prepareDb();
  });
  if (opts.cleanEach) beforeEach(clearData);
  afterAll(async () => {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });
  return { dbName, uri };
}

/** Empties every collection but the seeded categories, regions and departments: each test starts from a fresh desk. */
export async function clearData(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error("not connected");
  for (const c of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (!["categories", "regions", "departments"].includes(c.name)) await db.collection(c.name).deleteMany({});
  }
}
