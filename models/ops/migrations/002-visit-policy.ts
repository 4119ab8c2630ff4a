import type { mongo } from "mongoose";
import { DEFAULT_CATEGORIES } from "../../geography/default-categories.ts";

/**
 * Field visits (issue 7): categories stored before them get the seeded policy (road, water and
 * building need an on-site visit before Resolve), and reports get an empty visit list. Only
 * fields that are missing are set, so an admin's later choice is never overwritten and a second
 * run changes nothing.
 */
export const id = 2;
export const name = "visit-policy";

export async function up(db: mongo.Db): Promise<string> {
  const categories = db.collection("categories");
  let policies = 0;
  for (const c of DEFAULT_CATEGORIES) {
    const res = await categories.updateOne(
      { key: c.key, requiresVisit: { $exists: false } },
      { $set: { requiresVisit: c.requiresVisit } },
    );
    policies += res.modifiedCount;
  }
  // Categories an admin added: no policy unless they choose one.
  const others = await categories.updateMany({ requiresVisit: { $exists: false } }, { $set: { requiresVisit: false } });
  const reports = await db
    .collection("reports")
    .updateMany({ visits: { $exists: false } }, { $set: { visits: [], firstVisitAt: null, reopenedAt: null } });
  return `categories: ${policies + others.modifiedCount} given a visit policy; reports backfilled: ${reports.modifiedCount}`;
}
