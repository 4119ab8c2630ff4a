import type { mongo } from "mongoose";
import { DEFAULT_CATEGORIES } from "../../geography/default-categories.ts";

/**
 * Categories' extra questions (issue 16): seeding never overwrites a stored category, so databases
 * seeded before them lack street lighting's pole number. A seeded category gets its default questions
 * only where it has none, so questions an admin set are kept and a second run changes nothing.
 */
export const id = 5;
export const name = "category-attributes";

export async function up(db: mongo.Db): Promise<string> {
  const categories = db.collection("categories");
  const given: string[] = [];
  for (const c of DEFAULT_CATEGORIES) {
    const attributes = "attributes" in c ? c.attributes : [];
    if (attributes.length === 0) continue;
    // "attributes.0" missing: no field, null, or an empty list.
    const res = await categories.updateOne(
      { key: c.key, "attributes.0": { $exists: false } },
      { $set: { attributes } },
    );
    if (res.modifiedCount > 0) given.push(c.key);
  }
  return `categories given their extra questions: ${given.length}${given.length ? ` (${given.join(", ")})` : ""}`;
}
