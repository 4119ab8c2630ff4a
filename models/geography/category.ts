import mongoose, { Schema, type InferSchemaType } from "mongoose";
import { DEFAULT_CATEGORIES } from "./default-categories.ts";

/** Open311's attribute datatypes (GeoReport v2 service definition): what an extra question accepts. */
export const ATTRIBUTE_DATATYPES = [
  "string",
  "number",
  "datetime",
  "text",
  "singlevaluelist",
  "multivaluelist",
] as const;
export type AttributeDatatype = (typeof ATTRIBUTE_DATATYPES)[number];

const bilingual = { fa: { type: String, default: "" }, en: { type: String, default: "" } };

/**
 * An extra question a category asks after the description (e.g. street lighting: the pole number).
 * The chat form and Open311's service definition both come from this, so both channels collect the
 * same answers (stored on the report as `attributes`). Texts are per language, like the title.
 */
const attributeSchema = new Schema(
  {
    /** Open311 `code`; also the form field `attribute[code]`. Latin letters, digits, `_`. */
    code: { type: String, required: true, match: /^[a-z][a-z0-9_]{0,31}$/ },
    datatype: { type: String, enum: ATTRIBUTE_DATATYPES, required: true },
    required: { type: Boolean, default: false },
    order: { type: Number, default: 1 },
    /** The question itself. */
    description: { type: new Schema(bilingual, { _id: false }), required: true },
    /** A hint on the expected format ("the number painted on the pole"). */
    datatypeDescription: { type: new Schema(bilingual, { _id: false }), default: () => ({}) },
    /** For the list datatypes: the allowed answers. */
    values: {
      type: [
        new Schema(
          { key: { type: String, required: true }, name: new Schema(bilingual, { _id: false }) },
          { _id: false },
        ),
      ],
      default: [],
    },
  },
  { _id: false },
);

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
    attributes: { type: [attributeSchema], default: [] },
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
  attributes: CategoryAttribute[];
}

export interface CategoryAttribute {
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  order: number;
  description: { fa: string; en: string };
  datatypeDescription: { fa: string; en: string };
  values: { key: string; name: { fa: string; en: string } }[];
}

type CategoryRow = Pick<
  CategoryDoc,
  "key" | "title" | "department" | "slaHours" | "requiresVisit" | "visitRadiusM" | "attributes"
>;

const texts = (t: { fa?: string | null; en?: string | null } | null | undefined) => ({
  fa: t?.fa ?? "",
  en: t?.en ?? "",
});

function view(c: CategoryRow): CategoryView {
  return {
    key: c.key,
    title: { fa: c.title.fa, en: c.title.en },
    department: c.department,
    slaHours: c.slaHours,
    requiresVisit: c.requiresVisit ?? false,
    visitRadiusM: c.visitRadiusM ?? null,
    attributes: (c.attributes ?? [])
      .map((a) => ({
        code: a.code,
        datatype: a.datatype,
        required: a.required ?? false,
        order: a.order ?? 1,
        description: texts(a.description),
        datatypeDescription: texts(a.datatypeDescription),
        values: (a.values ?? []).map((v) => ({ key: v.key, name: texts(v.name) })),
      }))
      .sort((a, b) => a.order - b.order),
  };
}

/**
 * Categories are a dozen rows an admin changes a few times a year, yet the form, the submit and
 * every card render read them: the bot process keeps them for `ttlMs` (cacheCategories), so a
 * seed or admin change made elsewhere is seen within that time. Off (0) unless turned on: tests
 * and scripts edit categories mid-run and must read them fresh.
 */
let cache: { ttlMs: number; all: CachedCategory[] | null; loadedAt: number } = { ttlMs: 0, all: null, loadedAt: 0 };

interface CachedCategory {
  active: boolean;
  view: CategoryView;
}

/** What the bot process uses (bot/main.ts): an admin's edit shows in the form within half a minute. */
export const CATEGORY_CACHE_TTL_MS = 30_000;

/** Keeps every category for `ttlMs` in this process (0: read them fresh every time). */
export function cacheCategories(ttlMs: number): void {
  cache = { ttlMs, all: null, loadedAt: 0 };
}

/** Every category, active and not, in form order: from the cache while it is fresh. */
async function allCategories(): Promise<CachedCategory[]> {
  const now = Date.now();
  if (cache.all && now - cache.loadedAt < cache.ttlMs) return cache.all;
  const rows = await Category.find({}).sort({ order: 1, key: 1 }).lean();
  const all = rows.map((c) => ({ active: c.active ?? true, view: view(c) }));
  if (cache.ttlMs > 0) cache = { ...cache, all, loadedAt: now };
  return all;
}

export async function listActiveCategories(): Promise<CategoryView[]> {
  if (cache.ttlMs <= 0) return (await Category.find({ active: true }).sort({ order: 1, key: 1 }).lean()).map(view);
  // A copy: a caller may not change what the next reader gets.
  return (await allCategories()).filter((c) => c.active).map((c) => structuredClone(c.view));
}

/** Every category's title (inactive ones too: reminders and escalations name old cases' categories). */
export async function listCategoryTitles(): Promise<{ key: string; title: { fa: string; en: string } }[]> {
  return Category.find({}, { key: 1, title: 1 }).lean();
}

/**
 * What the report form needs of a category (buttons, summary, extra questions): its snapshot is kept
 * in the conversation's replay log for the whole form, so it carries nothing else.
 */
export type FormCategory = Pick<CategoryView, "key" | "title" | "attributes">;

export async function listFormCategories(): Promise<FormCategory[]> {
  return (await listActiveCategories()).map(({ key, title, attributes }) => ({ key, title, attributes }));
}

export async function findCategory(key: string): Promise<CategoryView | null> {
  if (cache.ttlMs <= 0) {
    const c = await Category.findOne({ key }).lean();
    return c ? view(c) : null;
  }
  const c = (await allCategories()).find((x) => x.view.key === key);
  return c ? structuredClone(c.view) : null;
}

/** Inserts the default categories that are missing; never overwrites what an admin edited. */
export async function ensureDefaultCategories(): Promise<number> {
  let inserted = 0;
  for (const c of DEFAULT_CATEGORIES) {
    const res = await Category.updateOne({ key: c.key }, { $setOnInsert: c }, { upsert: true });
    inserted += res.upsertedCount;
  }
  // Seeded in this process: seen at once, not after the cache's time.
  if (inserted > 0) cache = { ...cache, all: null };
  return inserted;
}
