import type { mongo } from "mongoose";

/**
 * Reports stored before the staff workflow lack its fields; mongoose fills defaults on read but
 * queries ($lt on priority, "reminders.count" in the escalation index…) see them missing.
 * Sets each one only where it is missing, so running it again changes nothing.
 */
export const id = 1;
export const name = "report-defaults";

const DEFAULTS: Record<string, unknown> = {
  priority: 0,
  escalationLevel: 0,
  reminders: { count: 0, lastAt: null },
  regionKey: "",
};

export async function up(db: mongo.Db): Promise<string> {
  const reports = db.collection("reports");
  const counts: string[] = [];
  for (const [field, value] of Object.entries(DEFAULTS)) {
    const res = await reports.updateMany(
      { $or: [{ [field]: { $exists: false } }, { [field]: null }] },
      { $set: { [field]: value } },
    );
    counts.push(`${field} ${res.modifiedCount}`);
  }
  return `reports backfilled: ${counts.join(", ")}`;
}
