import { randomUUID } from "node:crypto";
import mongoose from "mongoose";
import { afterAll, beforeAll, inject } from "vitest";
import { prepareDb } from "../../models/db.ts";

/** Connects mongoose to a fresh database of its own for this test file, dropped afterwards. */
export function useTestDb(): { dbName: string; uri: string } {
  const dbName = `t_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const uri = inject("mongoUri");
  beforeAll(async () => {
    mongoose.set("bufferCommands", false);
    await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 5_000, autoIndex: false });
    await prepareDb();
  });
  afterAll(async () => {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });
  return { dbName, uri };
}
