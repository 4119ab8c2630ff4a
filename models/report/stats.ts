import { Report, type ReportDoc } from "./report.ts";
import { OPEN_STATUSES, isOpen, type ReportStatus } from "./report-status.ts";
import { groupByChat, overdueBy } from "./sla.ts";
import type { ChatRef } from "../geography/routing.ts";

const HOUR = 3_600_000;

// --- pure helpers (unit-tested) ---

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Percentage, or null when there is nothing to divide (shown as "—", not as 0 %). */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : (100 * part) / whole;
}

export interface Range {
  from: Date;
  to: Date;
}

const inRange = (d: Date | null | undefined, r: Range): d is Date => !!d && d >= r.from && d < r.to;
const hoursBetween = (a: Date, b: Date) => (b.getTime() - a.getTime()) / HOUR;

/** What the visit columns need of a visit. */
export interface StatsVisit {
  at: Date;
  onSite: boolean;
}

/** What the performance table needs of a report. */
export interface StatsRow {
  regionKey: string;
  department: string;
  status: string;
  createdAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  resolveDueAt: Date;
  rating: number | null;
  visits: StatsVisit[];
  /** Citizens following the case ("👍 Me too", the duplicate hint): `followers.length`. */
  supporters: number;
}

export interface Figures {
  /** Created in the range. */
  received: number;
  /** Resolved in the range (whenever created). */
  resolved: number;
  /** Hours from filing to the first staff action, cases received in the range that have one. */
  medianFirstResponseHours: number | null;
  /** Hours from filing to resolution, cases resolved in the range. */
  medianResolveHours: number | null;
  /** Resolved by the resolve deadline, among the cases resolved in the range. */
  withinSlaPct: number | null;
  /** Open now and past the resolve deadline. */
  openOverdue: number;
  /** Citizens' 1–5 stars on the cases resolved in the range. */
  avgRating: number | null;
  /** Cases with at least one field visit (on site or not) in the range, whenever filed. */
  visited: number;
  /** Of the cases resolved in the range, those with an on-site visit at or before their resolution. */
  resolvedWithVisitPct: number | null;
  /** Citizens supporting the cases received in the range (their followers, counted now). */
  supporters: number;
}

/** An on-site visit recorded by the time the case was resolved: the proof that someone went there. */
const resolvedOnSite = (r: StatsRow) => r.visits.some((v) => v.onSite && v.at <= r.resolvedAt!);

export function figures(rows: StatsRow[], range: Range, now: Date): Figures {
  const received = rows.filter((r) => inRange(r.createdAt, range));
  const resolved = rows.filter((r) => inRange(r.resolvedAt, range));
  const firstResponses = received.flatMap((r) =>
    r.firstResponseAt ? [hoursBetween(r.createdAt, r.firstResponseAt)] : [],
  );
  const ratings = resolved.flatMap((r) => (r.rating ? [r.rating] : []));
  return {
    received: received.length,
    resolved: resolved.length,
    medianFirstResponseHours: median(firstResponses),
    medianResolveHours: median(resolved.map((r) => hoursBetween(r.createdAt, r.resolvedAt!))),
    withinSlaPct: percent(resolved.filter((r) => r.resolvedAt! <= r.resolveDueAt).length, resolved.length),
    openOverdue: rows.filter((r) => isOpen(r.status as ReportStatus) && r.resolveDueAt <= now).length,
    avgRating: mean(ratings),
    visited: rows.filter((r) => r.visits.some((v) => inRange(v.at, range))).length,
    resolvedWithVisitPct: percent(resolved.filter(resolvedOnSite).length, resolved.length),
    supporters: received.reduce((sum, r) => sum + r.supporters, 0),
  };
}

export interface TableRow extends Figures {
  /** Region or department key; "" = reports outside every region. */
  key: string;
}

export interface PerformanceTable {
  from: Date;
  to: Date;
  regions: TableRow[];
  departments: TableRow[];
  total: Figures;
}

function groupBy(rows: StatsRow[], keyOf: (r: StatsRow) => string, range: Range, now: Date): TableRow[] {
  const groups = new Map<string, StatsRow[]>();
  for (const r of rows) {
    const group = groups.get(keyOf(r)) ?? [];
    group.push(r);
    groups.set(keyOf(r), group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === "" ? 1 : b === "" ? -1 : a.localeCompare(b)))
    .map(([key, group]) => ({ key, ...figures(group, range, now) }));
}

/** Rows per region and per department (only those with something to show), and the totals. */
export function performanceTable(rows: StatsRow[], range: Range, now: Date): PerformanceTable {
  return {
    from: range.from,
    to: range.to,
    regions: groupBy(rows, (r) => r.regionKey, range, now),
    departments: groupBy(rows, (r) => r.department, range, now),
    total: figures(rows, range, now),
  };
}

/**
 * Every report that counts in some cell: received, resolved or visited in the range, or open past
 * its deadline now (each branch index-backed; $elemMatch so one visit must fall in the range).
 */
export async function loadStatsRows(range: Range, now: Date): Promise<StatsRow[]> {
  const docs = await Report.find(
    {
      $or: [
        { createdAt: { $gte: range.from, $lt: range.to } },
        { resolvedAt: { $gte: range.from, $lt: range.to } },
        { status: { $in: OPEN_STATUSES }, resolveDueAt: { $lte: now } },
        { visits: { $elemMatch: { at: { $gte: range.from, $lt: range.to } } } },
      ],
    },
    {
      regionKey: 1,
      department: 1,
      status: 1,
      createdAt: 1,
      firstResponseAt: 1,
      resolvedAt: 1,
      resolveDueAt: 1,
      "feedback.rating": 1,
      "visits.at": 1,
      "visits.onSite": 1,
      // One small field per follower, to count them: no chat ids or names read.
      "followers.userId": 1,
    },
  ).lean<
    Pick<
      ReportDoc,
      | "regionKey"
      | "department"
      | "status"
      | "createdAt"
      | "firstResponseAt"
      | "resolvedAt"
      | "resolveDueAt"
      | "feedback"
      | "visits"
      | "followers"
    >[]
  >();
  return docs.map((d) => ({
    regionKey: d.regionKey,
    department: d.department,
    status: d.status,
    createdAt: d.createdAt,
    firstResponseAt: d.firstResponseAt ?? null,
    resolvedAt: d.resolvedAt ?? null,
    resolveDueAt: d.resolveDueAt,
    rating: d.feedback?.rating ?? null,
    visits: (d.visits ?? []).map((v) => ({ at: v.at, onSite: v.onSite })),
    supporters: d.followers?.length ?? 0,
  }));
}

export async function performanceFor(range: Range, now: Date): Promise<PerformanceTable> {
  return performanceTable(await loadStatsRows(range, now), range, now);
}

// --- daily digest ---

export interface DigestFigures {
  /** Filed in the last 24 hours. */
  created: number;
  /** Resolved in the last 24 hours. */
  resolved: number;
  open: number;
  /** Open and past a deadline (first response or resolution), as the reminders count it. */
  overdue: number;
  /** Open, filed at least the digest's "unvisited days" ago, and never visited. */
  unvisited: number;
}

type DigestDoc = Pick<
  ReportDoc,
  | "_id"
  | "code"
  | "status"
  | "createdAt"
  | "resolvedAt"
  | "firstResponseAt"
  | "firstResponseDueAt"
  | "resolveDueAt"
  | "firstVisitAt"
  | "card"
  | "staffChat"
>;

/** Open cases filed at or before `cutoff` that nobody has visited: the ones waiting longest first. */
export function unvisitedCases<T extends { code: string; status: string; createdAt: Date; firstVisitAt?: Date | null }>(
  rows: T[],
  cutoff: Date,
): T[] {
  return rows
    .filter((r) => isOpen(r.status as ReportStatus) && !r.firstVisitAt && r.createdAt <= cutoff)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.code.localeCompare(b.code));
}

export function digestFigures(rows: DigestDoc[], since: Date, now: Date, unvisitedCutoff: Date): DigestFigures {
  const day = { from: since, to: now };
  const open = rows.filter((r) => isOpen(r.status as ReportStatus));
  return {
    created: rows.filter((r) => inRange(r.createdAt, day)).length,
    resolved: rows.filter((r) => inRange(r.resolvedAt, day)).length,
    open: open.length,
    overdue: open.filter((r) => overdueBy(r, now) !== null).length,
    unvisited: unvisitedCases(open, unvisitedCutoff).length,
  };
}

export interface ChatDigest {
  chat: ChatRef;
  figures: DigestFigures;
  /** Codes of the unvisited cases, longest waiting first (all of them; the job caps the list). */
  unvisitedCodes: string[];
}

export interface DailyDigest {
  chats: ChatDigest[];
  total: DigestFigures;
  totalUnvisitedCodes: string[];
}

/**
 * The last 24 hours per staff chat (the chat holding each case card; unrouted cases count for
 * `fallback`) and overall, with the open cases nobody has visited in `unvisitedDays` days.
 */
export async function dailyDigest(now: Date, fallback: ChatRef | null, unvisitedDays: number): Promise<DailyDigest> {
  const since = new Date(now.getTime() - 24 * HOUR);
  const cutoff = new Date(now.getTime() - unvisitedDays * 24 * HOUR);
  // Every open case is read anyway (open, overdue), so the unvisited ones need no query of their own.
  const rows = await Report.find(
    {
      $or: [
        { createdAt: { $gte: since, $lt: now } },
        { resolvedAt: { $gte: since, $lt: now } },
        { status: { $in: OPEN_STATUSES } },
      ],
    },
    {
      code: 1,
      status: 1,
      createdAt: 1,
      resolvedAt: 1,
      firstResponseAt: 1,
      firstResponseDueAt: 1,
      resolveDueAt: 1,
      firstVisitAt: 1,
      card: 1,
      staffChat: 1,
    },
  ).lean<DigestDoc[]>();
  const codes = (items: DigestDoc[]) => unvisitedCases(items, cutoff).map((r) => r.code);
  const chats = groupByChat(rows, fallback)
    .map((g) => ({ chat: g.chat, figures: digestFigures(g.items, since, now, cutoff), unvisitedCodes: codes(g.items) }))
    .filter((c) => Object.values(c.figures).some((n) => n > 0));
  return { chats, total: digestFigures(rows, since, now, cutoff), totalUnvisitedCodes: codes(rows) };
}
