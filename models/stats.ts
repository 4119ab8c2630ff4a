import { Report, type ReportDoc } from "./report.ts";
import { OPEN_STATUSES, isOpen, type ReportStatus } from "./report-status.ts";
import { groupByChat, overdueBy } from "./sla.ts";
import type { ChatRef } from "./routing.ts";

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
}

export function figures(rows: StatsRow[], range: Range, now: Date): Figures {
  const received = rows.filter((r) => inRange(r.createdAt, range));
  const resolved = rows.filter((r) => inRange(r.resolvedAt, range));
  const firstResponses = received.flatMap((r) => (r.firstResponseAt ? [hoursBetween(r.createdAt, r.firstResponseAt)] : []));
  const ratings = resolved.flatMap((r) => (r.rating ? [r.rating] : []));
  return {
    received: received.length,
    resolved: resolved.length,
    medianFirstResponseHours: median(firstResponses),
    medianResolveHours: median(resolved.map((r) => hoursBetween(r.createdAt, r.resolvedAt!))),
    withinSlaPct: percent(resolved.filter((r) => r.resolvedAt! <= r.resolveDueAt).length, resolved.length),
    openOverdue: rows.filter((r) => isOpen(r.status as ReportStatus) && r.resolveDueAt <= now).length,
    avgRating: mean(ratings),
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
  return [...groups.entries()].sort(([a], [b]) => (a === "" ? 1 : b === "" ? -1 : a.localeCompare(b))).map(([key, group]) => ({ key, ...figures(group, range, now) }));
}

/** Rows per region and per department (only those with something to show), and the totals. */
export function performanceTable(rows: StatsRow[], range: Range, now: Date): PerformanceTable {
  return { from: range.from, to: range.to, regions: groupBy(rows, (r) => r.regionKey, range, now), departments: groupBy(rows, (r) => r.department, range, now), total: figures(rows, range, now) };
}

/** Every report that counts in some cell: received or resolved in the range, or open past its deadline now (each branch index-backed). */
export async function loadStatsRows(range: Range, now: Date): Promise<StatsRow[]> {
  const docs = await Report.find(
    {
      $or: [
        { createdAt: { $gte: range.from, $lt: range.to } },
        { resolvedAt: { $gte: range.from, $lt: range.to } },
        { status: { $in: OPEN_STATUSES }, resolveDueAt: { $lte: now } },
      ],
    },
    { regionKey: 1, department: 1, status: 1, createdAt: 1, firstResponseAt: 1, resolvedAt: 1, resolveDueAt: 1, "feedback.rating": 1 },
  ).lean<Pick<ReportDoc, "regionKey" | "department" | "status" | "createdAt" | "firstResponseAt" | "resolvedAt" | "resolveDueAt" | "feedback">[]>();
  return docs.map((d) => ({
    regionKey: d.regionKey,
    department: d.department,
    status: d.status,
    createdAt: d.createdAt,
    firstResponseAt: d.firstResponseAt ?? null,
    resolvedAt: d.resolvedAt ?? null,
    resolveDueAt: d.resolveDueAt,
    rating: d.feedback?.rating ?? null,
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
}

type DigestDoc = Pick<ReportDoc, "_id" | "status" | "createdAt" | "resolvedAt" | "firstResponseAt" | "firstResponseDueAt" | "resolveDueAt" | "card" | "staffChat">;

export function digestFigures(rows: DigestDoc[], since: Date, now: Date): DigestFigures {
  const day = { from: since, to: now };
  const open = rows.filter((r) => isOpen(r.status as ReportStatus));
  return {
    created: rows.filter((r) => inRange(r.createdAt, day)).length,
    resolved: rows.filter((r) => inRange(r.resolvedAt, day)).length,
    open: open.length,
    overdue: open.filter((r) => overdueBy(r, now) !== null).length,
  };
}

export interface ChatDigest {
  chat: ChatRef;
  figures: DigestFigures;
}

/** The last 24 hours per staff chat (the chat holding each case card; unrouted cases count for `fallback`) and overall. */
export async function dailyDigest(now: Date, fallback: ChatRef | null): Promise<{ chats: ChatDigest[]; total: DigestFigures }> {
  const since = new Date(now.getTime() - 24 * HOUR);
  const rows = await Report.find(
    { $or: [{ createdAt: { $gte: since, $lt: now } }, { resolvedAt: { $gte: since, $lt: now } }, { status: { $in: OPEN_STATUSES } }] },
    { status: 1, createdAt: 1, resolvedAt: 1, firstResponseAt: 1, firstResponseDueAt: 1, resolveDueAt: 1, card: 1, staffChat: 1 },
  ).lean<DigestDoc[]>();
  const chats = groupByChat(rows, fallback)
    .map((g) => ({ chat: g.chat, figures: digestFigures(g.items, since, now) }))
    .filter((c) => Object.values(c.figures).some((n) => n > 0));
  return { chats, total: digestFigures(rows, since, now) };
}
