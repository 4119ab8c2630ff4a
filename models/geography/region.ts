import mongoose, { Schema } from "mongoose";
import { PLATFORMS } from "../common/platform.ts";

const polygonSchema = new Schema(
  {
    type: { type: String, enum: ["Polygon", "MultiPolygon"], required: true },
    coordinates: { type: Schema.Types.Mixed, required: true },
  },
  { _id: false },
);

const chatRefSchema = new Schema(
  { platform: { type: String, enum: [...PLATFORMS, ""], default: "" }, chatId: { type: Number, default: 0 } },
  { _id: false },
);

const regionSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    name: { fa: { type: String, required: true }, en: { type: String, required: true } },
    boundary: { type: polygonSchema, required: true },
    /** The region's staff chat; empty = fall back to the department chat, then STAFF_CHAT_ID. */
    chat: { type: chatRefSchema, default: () => ({}) },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);

const departmentSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    name: { fa: { type: String, required: true }, en: { type: String, required: true } },
    chat: { type: chatRefSchema, default: () => ({}) },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);

export const Region = mongoose.model("Region", regionSchema);
export const Department = mongoose.model("Department", departmentSchema);

/** A region's or department's names in both languages (a name is required, so normally present). */
export interface GroupNames {
  key: string;
  name?: { fa: string; en: string } | null;
}

/**
 * Every card render names its region: the bot process keeps the names for `ttlMs`
 * (cacheRegionNames), so a renamed region shows within that time. Off (0) unless turned on: tests
 * and scripts edit regions mid-run.
 */
let names: { ttlMs: number; byKey: Map<string, GroupNames> | null; loadedAt: number } = {
  ttlMs: 0,
  byKey: null,
  loadedAt: 0,
};

/** What the bot process uses (bot/main.ts). */
export const REGION_NAMES_TTL_MS = 30_000;

/** Keeps every region's names for `ttlMs` in this process (0: read them fresh every time). */
export function cacheRegionNames(ttlMs: number): void {
  names = { ttlMs, byKey: null, loadedAt: 0 };
}

/** The names of the region with this key; null when there is none (no such region, or removed since). */
export async function findRegionNames(key: string): Promise<Pick<GroupNames, "name"> | null> {
  if (names.ttlMs <= 0) return Region.findOne({ key }, { name: 1 }).lean();
  const now = Date.now();
  let byKey = names.byKey;
  if (!byKey || now - names.loadedAt >= names.ttlMs) {
    const rows: GroupNames[] = await Region.find({}, { key: 1, name: 1 }).lean();
    byKey = new Map(rows.map((r) => [r.key, r]));
    names = { ...names, byKey, loadedAt: now };
  }
  const found = byKey.get(key);
  // A copy: a caller may not change what the next reader gets.
  return found ? { name: found.name ? { fa: found.name.fa, en: found.name.en } : null } : null;
}

/** Every region, inactive ones too: figures and old cases still name them. */
export async function listRegionNames(): Promise<GroupNames[]> {
  return Region.find({}, { key: 1, name: 1 }).lean();
}

/** Every department, inactive ones too (as for regions). */
export async function listDepartmentNames(): Promise<GroupNames[]> {
  return Department.find({}, { key: 1, name: 1 }).lean();
}

/** Inserts the example districts and the departments that are missing; never overwrites edits. */
export async function ensureDefaultRegions(): Promise<void> {
  const { DEFAULT_REGIONS, DEFAULT_DEPARTMENTS } = await import("./default-regions.ts");
  for (const r of DEFAULT_REGIONS) await Region.updateOne({ key: r.key }, { $setOnInsert: r }, { upsert: true });
  for (const d of DEFAULT_DEPARTMENTS)
    await Department.updateOne({ key: d.key }, { $setOnInsert: d }, { upsert: true });
  // Seeded in this process: seen at once, not after the cache's time.
  names = { ...names, byKey: null };
}
