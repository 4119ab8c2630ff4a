import { Report, type ReportDoc } from "./report.ts";
import { median, percent, type Range } from "./stats.ts";

const HOUR = 3_600_000;

// --- pure functions (unit-tested) ---

export interface VisitBy {
  platform: string;
  userId: number;
  name: string;
}

/** What the /visits report needs of a case: its region, when it was filed and its visits. */
export interface VisitStatsRow {
  regionKey: string;
  createdAt: Date;
  firstVisitAt: Date | null;
  visits: { at: Date; onSite: boolean; by: VisitBy }[];
}

export interface VisitFigures {
  /** Visits made in the range (a case visited twice counts twice). */
  visits: number;
  /** Share of those visits made on site (within the category's radius). */
  onSitePct: number | null;
  /** Hours from filing to the first visit, over the cases first visited in the range. */
  medianFirstVisitHours: number | null;
}

export interface VisitGroup extends VisitFigures {
  /** Region key ("" = outside every region), or "platform:userId" of an official. */
  key: string;
  /** The official's name as on their latest visit in the range; "" for regions. */
  name: string;
}

export interface VisitReport {
  from: Date;
  to: Date;
  regions: VisitGroup[];
  officials: VisitGroup[];
  total: VisitFigures;
}

const inRange = (d: Date, r: Range) => d >= r.from && d < r.to;
const officialKey = (by: VisitBy) => `${by.platform}:${by.userId}`;

/** The earliest visit of a case; firstVisitAt says when, this says who. */
function firstVisit(row: VisitStatsRow): VisitStatsRow["visits"][number] | null {
  return row.visits.reduce<VisitStatsRow["visits"][number] | null>(
    (first, v) => (!first || v.at < first.at ? v : first),
    null,
  );
}

/** Hours to the first visit when it fell in the range, else null. */
function hoursToFirstVisit(row: VisitStatsRow, range: Range): number | null {
  const at = row.firstVisitAt ?? firstVisit(row)?.at ?? null;
  return at && inRange(at, range) ? (at.getTime() - row.createdAt.getTime()) / HOUR : null;
}

interface Tally {
  visits: number;
  onSite: number;
  firstVisitHours: number[];
  name: string;
  /** When `name` was recorded: the newest visit's name wins (a renamed official shows the new name). */
  nameAt: number;
}

const emptyTally = (): Tally => ({ visits: 0, onSite: 0, firstVisitHours: [], name: "", nameAt: -Infinity });
const toFigures = (t: Tally): VisitFigures => ({
  visits: t.visits,
  onSitePct: percent(t.onSite, t.visits),
  medianFirstVisitHours: median(t.firstVisitHours),
});

function tallyOf(map: Map<string, Tally>, key: string): Tally {
  const tally = map.get(key) ?? emptyTally();
  map.set(key, tally);
  return tally;
}

/**
 * Visits per region (of the case) and per official (who made the visit), and in total. An
 * official's median counts the cases where theirs was the first visit.
 */
export function visitReport(rows: VisitStatsRow[], range: Range): VisitReport {
  const regions = new Map<string, Tally>();
  const officials = new Map<string, Tally>();
  const total = emptyTally();
  for (const row of rows) {
    const region = tallyOf(regions, row.regionKey);
    for (const v of row.visits.filter((x) => inRange(x.at, range))) {
      const official = tallyOf(officials, officialKey(v.by));
      if (v.at.getTime() >= official.nameAt) Object.assign(official, { name: v.by.name, nameAt: v.at.getTime() });
      for (const t of [region, official, total]) {
        t.visits++;
        if (v.onSite) t.onSite++;
      }
    }
    const hours = hoursToFirstVisit(row, range);
    const first = firstVisit(row);
    if (hours === null || !first) continue;
    for (const t of [region, tallyOf(officials, officialKey(first.by)), total]) t.firstVisitHours.push(hours);
  }
  // A region only loaded (or visited outside the range) has nothing to show.
  const groups = (map: Map<string, Tally>) =>
    [...map.entries()].filter(([, t]) => t.visits > 0).map(([key, t]) => ({ key, name: t.name, ...toFigures(t) }));
  return {
    from: range.from,
    to: range.to,
    regions: groups(regions).sort((a, b) => (a.key === "" ? 1 : b.key === "" ? -1 : a.key.localeCompare(b.key))),
    officials: groups(officials).sort(
      (a, b) => b.visits - a.visits || a.name.localeCompare(b.name) || a.key.localeCompare(b.key),
    ),
    total: toFigures(total),
  };
}

// --- loading ---

/** Cases with a visit in the range ($elemMatch: one visit must fall in it; backed by the visits.at index). */
export async function loadVisitRows(range: Range): Promise<VisitStatsRow[]> {
  const docs = await Report.find(
    { visits: { $elemMatch: { at: { $gte: range.from, $lt: range.to } } } },
    { regionKey: 1, createdAt: 1, firstVisitAt: 1, "visits.at": 1, "visits.onSite": 1, "visits.by": 1 },
  ).lean<Pick<ReportDoc, "regionKey" | "createdAt" | "firstVisitAt" | "visits">[]>();
  return docs.map((d) => ({
    regionKey: d.regionKey ?? "",
    createdAt: d.createdAt,
    firstVisitAt: d.firstVisitAt ?? null,
    visits: (d.visits ?? []).map((v) => ({
      at: v.at,
      onSite: v.onSite,
      by: { platform: v.by.platform, userId: v.by.userId, name: v.by.name ?? "" },
    })),
  }));
}

export async function visitReportFor(range: Range): Promise<VisitReport> {
  return visitReport(await loadVisitRows(range), range);
}
