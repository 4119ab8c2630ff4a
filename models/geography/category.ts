import mongoose, { Schema, type InferSchemaType } from "mongoose";
import { DEFAULT_CATEGORIES } from "./default-categories.ts";

const categorySchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    title: {
      type: new Schema({ fa: { type: String, required: true }, en: { type: String, required: true } }, { _id: false }),
      required: true,
    },
    department: { type: String, required: true },
    slaHours: { type: Number, required: true, min: 1 },
    order: { type: Number, default: 100 },
    active: { type: Boolean, default: true },
    /** Resolve needs an on-site field visit first (and a fresh one after the citizen says "not fixed"). */
    requiresVisit: { type: Boolean, default: false },
    /** How far from the reported point a visit still counts as on site; unset = VISIT_RADIUS_M. */
    visitRadiusM: { type: Number, min: 10, max: 5000 },
  },
  { timestamps: true },
);

export type CategoryDoc = InferSchemaType<typeof categorySchema>;
export const Category = mongoose.model("Category", categorySchema);

/** A plain, JSON-safe view (conversations store it in their replay log). */
export interface CategoryView {
  key: string;
  title: { fa: string; en: string };
  department: string;
  slaHours: number;
  requiresVisit: boolean;
  visitRadiusM: number | null;
}

type CategoryRow = Pick<CategoryDoc, "key" | "title" | "department" | "slaHours" | "requiresVisit" | "visitRadiusM">;

function view(c: CategoryRow): CategoryView {
  return {
    key: c.key,
    title: { fa: c.title.fa, en: c.title.en },
    department: c.department,
    slaHours: c.slaHours,
    requiresVisit: c.requiresVisit ?? false,
    visitRadiusM: c.visitRadiusM ?? null,
  };
}

export async function listActiveCategories(): Promise<CategoryView[]> {
  const rows = await Category.find({ active: true }).sort({ order: 1, key: 1 }).lean();
  return rows.map(view);
}

/** Every category's title (inactive ones too: reminders and escalations name old cases' categories). */
export async function listCategoryTitles(): Promise<{ key: string; title: { fa: string; en: string } }[]> {
  return Category.find({}, { key: 1, title: 1 }).lean();
}

export async function findCategory(key: string): Promise<CategoryView | null> {
  const c = await Category.findOne({ key }).lean();
  return c ? view(c) : null;
}

/** Inserts the default categories that are missing; never overwrites what an admin edited. */
export async function ensureDefaultCategories(): Promise<number> {
  let inserted = 0;
  for (const c of DEFAULT_CATEGORIES) {
    const res = await Category.updateOne({ key: c.key }, { $setOnInsert: c }, { upsert: true });
    inserted += res.upsertedCount;
  }
  return inserted;
}
