import mongoose from "mongoose";
import { Category, ensureDefaultCategories } from "../geography/category.ts";
import { Citizen } from "../people/citizen.ts";
import { Report } from "../report/report.ts";
import { Outbox } from "./outbox.ts";
import { BotState } from "./kv-store.ts";
import { ForgetRequest } from "../people/forget-request.ts";
import { Staff } from "../people/staff.ts";
import { Department, Region, ensureDefaultRegions } from "../geography/region.ts";
import { Inbox } from "./inbox.ts";
import { KeptMessage } from "../report/kept-message.ts";
import { ApiKey } from "../open311/api-keys.ts";
import { RateCounter } from "../open311/rate-limit.ts";

export const MODELS = [
  Category,
  Citizen,
  Report,
  Outbox,
  BotState,
  ForgetRequest,
  Staff,
  Region,
  Department,
  Inbox,
  KeptMessage,
  ApiKey,
  RateCounter,
] as const;

export interface ConnectOptions {
  /** Seconds the driver waits for a server before an operation fails (short = fast "try again" replies). */
  serverSelectionTimeoutMS?: number;
  /**
   * The driver's command monitoring (commandStarted events), for counting the commands a path sends
   * (tests/support/command-counter.ts, bench/commands.ts). Off in production: every command would
   * build an event object nobody reads. The driver fixes it per connection when it opens.
   */
  monitorCommands?: boolean;
}

export async function connectDb(uri: string, opts: ConnectOptions = {}): Promise<typeof mongoose> {
  // Queries fail fast instead of queueing silently while the database is away.
  mongoose.set("bufferCommands", false);
  mongoose.set("strictQuery", true);
  await mongoose.connect(uri, {
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5_000,
    autoIndex: false,
    monitorCommands: opts.monitorCommands ?? false,
  });
  return mongoose;
}

/** Creates every declared index and the seed data the bot cannot work without. */
export async function prepareDb(): Promise<void> {
  for (const model of MODELS) await model.createIndexes();
  await ensureDefaultCategories();
  await ensureDefaultRegions();
}

export async function disconnectDb(): Promise<void> {
  await mongoose.disconnect();
}

/** The connected database's driver handle, for the admin scripts that work below the models (backup, restore, migrate). */
export function connectedDb(): NonNullable<typeof mongoose.connection.db> {
  const db = mongoose.connection.db;
  if (!db) throw new Error("not connected");
  return db;
}

/** Pings the server and says which MongoDB it is (npm run doctor). */
export async function serverVersion(): Promise<string> {
  const admin = connectedDb().admin();
  await admin.ping();
  return String((await admin.serverInfo()).version);
}
