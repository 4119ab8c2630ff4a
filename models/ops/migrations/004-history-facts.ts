import type { mongo } from "mongoose";

/**
 * History entries used to store machine-made values as English words in `note` ("fixed",
 * "not fixed", "rating 5", "33 m", an escalation's "overdue", a reminder's "feedback", a
 * duplicate's original code), which Persian readers then saw. They become `facts` (values that
 * views/history.ts renders in the reader's language) and the note is cleared. A note only counts
 * as machine-made in the exact shape the old code wrote for that kind of entry, so words a person
 * typed are never touched; a second run finds nothing left to convert.
 */
export const id = 4;
export const name = "history-facts";

interface Facts {
  fixed: boolean | null;
  rating: number | null;
  distanceM: number | null;
  reason: string;
  duplicateOf: string;
}

interface Entry {
  kind?: string;
  to?: string;
  note?: string;
  facts?: Partial<Facts> | null;
  [field: string]: unknown;
}

interface ReportRow {
  _id: unknown;
  history?: Entry[];
  duplicateOf?: string;
}

const NO_FACTS: Facts = { fixed: null, rating: null, distanceM: null, reason: "", duplicateOf: "" };
const ESCALATION_REASONS = new Set(["overdue", "reminders", "not_fixed"]);

/** The facts an old entry's note stood for, or null when the note is not one the old code wrote. */
export function factsOfOldNote(h: Entry, report: Pick<ReportRow, "duplicateOf">): Partial<Facts> | null {
  const note = h.note ?? "";
  const kind = h.kind ?? "status";
  if (note === "" || (h.facts !== null && h.facts !== undefined)) return null;
  if (kind === "feedback" && note === "fixed") return { fixed: true };
  if (kind === "feedback" && note === "not fixed") return { fixed: false };
  if (kind === "status" && h.to === "reopened" && note === "not fixed") return { fixed: false };
  const rating = kind === "feedback" ? /^rating ([1-5])$/.exec(note) : null;
  if (rating) return { rating: Number(rating[1]) };
  const distance = kind === "visit" ? /^(\d+) m$/.exec(note) : null;
  if (distance) return { distanceM: Number(distance[1]) };
  if (kind === "escalation" && ESCALATION_REASONS.has(note)) return { reason: note };
  if (kind === "reminder" && note === "feedback") return { reason: "feedback" };
  if (kind === "status" && h.to === "duplicate" && /^\d{8}$/.test(note) && note === report.duplicateOf)
    return { duplicateOf: note };
  return null;
}

/** Candidates only: the exact checks are made per entry above. */
const CANDIDATES = {
  $or: [
    { "history.note": { $in: ["fixed", "not fixed", "not_fixed", "overdue", "reminders", "feedback"] } },
    { "history.note": { $regex: "^(rating [1-5]|\\d+ m|\\d{8})$" } },
  ],
};

export async function up(db: mongo.Db): Promise<string> {
  const reports = db.collection<ReportRow>("reports");
  let entries = 0;
  let changed = 0;
  // Read each report and write its whole history back: the in-memory MongoDB-wire server used in
  // tests and the sandbox does not support arrayFilters or positional `$` updates, and a history
  // is small. The write is conditional on the history's length, so an entry appended meanwhile by
  // the running bot is never lost (the report is read again instead).
  for (const r of await reports.find(CANDIDATES, { projection: { history: 1, duplicateOf: 1 } }).toArray()) {
    let done = false;
    for (let attempt = 0; attempt < 5 && !done; attempt++) {
      const current =
        attempt === 0
          ? r
          : await reports.findOne({ _id: r._id } as mongo.Filter<ReportRow>, {
              projection: { history: 1, duplicateOf: 1 },
            });
      const history = current?.history ?? [];
      let converted = 0;
      const next = history.map((h) => {
        const facts = factsOfOldNote(h, current ?? {});
        if (!facts) return h;
        converted++;
        return { ...h, note: "", facts: { ...NO_FACTS, ...facts } };
      });
      if (converted === 0) {
        done = true;
        continue;
      }
      const res = await reports.updateOne(
        { _id: r._id, history: { $size: history.length } } as mongo.Filter<ReportRow>,
        { $set: { history: next } },
      );
      if (res.modifiedCount === 1) {
        entries += converted;
        changed++;
        done = true;
      }
    }
    // Not recorded as applied, so the next run tries again.
    if (!done) throw new Error(`report ${String(r._id)} kept changing; run the migration again`);
  }
  return `history entries given facts: ${entries} in ${changed} report(s)`;
}
