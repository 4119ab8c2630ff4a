import { isDeepStrictEqual } from "node:util";
import type { Model } from "mongoose";
import { z } from "zod";
import { ATTRIBUTE_DATATYPES, Category } from "../geography/category.ts";
import { PLATFORMS } from "../common/platform.ts";
import { Department, Region } from "../geography/region.ts";

/**
 * The admin's seed file (data-seed/*.json): departments, categories and regions, validated as a
 * whole, compared with the database, then upserted by key. Fields a file leaves out (a chat, say)
 * are left as they are in the database, so seeding never wipes what was set another way.
 */

const names = z.strictObject({ fa: z.string().min(1), en: z.string().min(1) });
const key = z.string().regex(/^[a-z0-9_-]+$/, "key must be lower-case letters, digits, _ or -");
const chat = z.strictObject({ platform: z.enum(PLATFORMS), chatId: z.number().int() });

const position = z.tuple([
  z.number().min(-180, "longitude must be between -180 and 180").max(180, "longitude must be between -180 and 180"),
  z.number().min(-90, "latitude must be between -90 and 90").max(90, "latitude must be between -90 and 90"),
]);
// A GeoJSON linear ring: at least 4 positions, the last repeating the first.
const ring = z.array(position).superRefine((pts, ctx) => {
  if (pts.length < 4) ctx.addIssue({ code: "custom", message: `ring needs at least 4 positions (has ${pts.length})` });
  else if (!isDeepStrictEqual(pts[0], pts[pts.length - 1]))
    ctx.addIssue({ code: "custom", message: "ring must be closed (last position = first)" });
});
const polygon = z.array(ring).min(1, "a polygon needs at least one ring");
const boundary = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("Polygon"), coordinates: polygon }),
  z.strictObject({
    type: z.literal("MultiPolygon"),
    coordinates: z.array(polygon).min(1, "a multipolygon needs at least one polygon"),
  }),
]);

const department = z.strictObject({ key, name: names, chat: chat.optional() });
const texts = z.strictObject({ fa: z.string(), en: z.string() });
/** A category's extra question (models/geography/category.ts attributes; Open311's service attributes). */
const attribute = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, "code must be a lower-case letter, then letters, digits or _"),
  datatype: z.enum(ATTRIBUTE_DATATYPES),
  required: z.boolean().default(false),
  order: z.number().int().default(1),
  description: names,
  datatypeDescription: texts.optional(),
  values: z.array(z.strictObject({ key: z.string().min(1), name: names })).default([]),
});
const category = z.strictObject({
  key,
  title: names,
  department: key,
  slaHours: z.number().int().min(1),
  order: z.number().int().default(100),
  active: z.boolean().default(true),
  /** Left out = keep what the database has (an admin may have changed it). */
  requiresVisit: z.boolean().optional(),
  visitRadiusM: z.number().int().min(10).max(5000).optional(),
  /** Left out = keep what the database has. */
  attributes: z.array(attribute).optional(),
});
const region = z.strictObject({ key, name: names, boundary, chat: chat.optional() });

const seedFileSchema = z.strictObject({
  departments: z.array(department).default([]),
  categories: z.array(category).default([]),
  regions: z.array(region).default([]),
});

export type SeedFile = z.infer<typeof seedFileSchema>;
export const SEED_KINDS = ["departments", "categories", "regions"] as const;
export type SeedKind = (typeof SEED_KINDS)[number];

/** "regions[2].boundary.coordinates[0]" */
function formatPath(path: readonly PropertyKey[]): string {
  return (
    path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("") || "(file)"
  );
}

function rawItems(raw: unknown, kind: SeedKind): { key?: unknown; department?: unknown }[] {
  const list = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>)[kind] : undefined;
  return Array.isArray(list) ? list.map((x) => (typeof x === "object" && x !== null ? x : {})) : [];
}

/** Duplicate keys and categories naming a department neither the file nor the database has. */
function crossReferenceProblems(raw: unknown, knownDepartments: readonly string[]): string[] {
  const problems: string[] = [];
  for (const kind of SEED_KINDS) {
    const seen = new Map<unknown, number>();
    rawItems(raw, kind).forEach((item, i) => {
      if (typeof item.key !== "string") return;
      const first = seen.get(item.key);
      if (first === undefined) seen.set(item.key, i);
      else problems.push(`${kind}[${i}].key: duplicate key "${item.key}" (also ${kind}[${first}])`);
    });
  }
  const departments = new Set([...knownDepartments, ...rawItems(raw, "departments").map((d) => d.key)]);
  rawItems(raw, "categories").forEach((c, i) => {
    if (typeof c.department === "string" && !departments.has(c.department)) {
      problems.push(
        `categories[${i}].department: unknown department "${c.department}" (not in the file's departments nor the database)`,
      );
    }
  });
  return problems;
}

export type Validation = { ok: true; data: SeedFile } | { ok: false; problems: string[] };

/** Every problem of the file, each with its path in the file; nothing is written unless there are none. */
export function validateSeedFile(raw: unknown, knownDepartments: readonly string[] = []): Validation {
  const parsed = seedFileSchema.safeParse(raw);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  problems.push(...crossReferenceProblems(raw, knownDepartments));
  return parsed.success && problems.length === 0 ? { ok: true, data: parsed.data } : { ok: false, problems };
}

interface Keyed {
  key: string;
}
// The three seeded models, seen through what seeding needs of them.
const MODEL_OF: Record<SeedKind, Model<Keyed>> = {
  departments: Department as unknown as Model<Keyed>,
  categories: Category as unknown as Model<Keyed>,
  regions: Region as unknown as Model<Keyed>,
};

export async function knownDepartmentKeys(): Promise<string[]> {
  return (await Department.find({}, { key: 1 }).lean()).map((d) => d.key);
}

export interface KindPlan {
  kind: SeedKind;
  inserts: Keyed[];
  /** Existing documents whose fields differ from the file, with the differing fields. */
  updates: { item: Keyed; fields: string[] }[];
  unchanged: number;
}

/** What seeding `file` would change, kind by kind (reads only). */
export async function planSeed(file: SeedFile): Promise<KindPlan[]> {
  const plans: KindPlan[] = [];
  for (const kind of SEED_KINDS) {
    const items: Keyed[] = file[kind];
    const existing = await MODEL_OF[kind]
      .find({ key: { $in: items.map((i) => i.key) } })
      .lean<Record<string, unknown>[]>();
    const byKey = new Map(existing.map((d) => [d.key, d]));
    const plan: KindPlan = { kind, inserts: [], updates: [], unchanged: 0 };
    for (const item of items) {
      const current = byKey.get(item.key);
      if (!current) {
        plan.inserts.push(item);
        continue;
      }
      const fields = Object.entries(item)
        .filter(([field, value]) => field !== "key" && !isDeepStrictEqual(current[field], value))
        .map(([field]) => field);
      if (fields.length > 0) plan.updates.push({ item, fields });
      else plan.unchanged += 1;
    }
    plans.push(plan);
  }
  return plans;
}

/** Writes a plan: inserts and updates by key; departments first, as categories refer to them. */
export async function applySeed(plans: readonly KindPlan[], onWrite: () => void = () => undefined): Promise<void> {
  for (const plan of plans) {
    for (const item of [...plan.inserts, ...plan.updates.map((u) => u.item)]) {
      await MODEL_OF[plan.kind].updateOne({ key: item.key }, { $set: item }, { upsert: true, runValidators: true });
      onWrite();
    }
  }
}
