import { Category } from "../geography/category.ts";
import { Region } from "../geography/region.ts";
import { overdueFilter } from "./sla.ts";
import { Report, type ReportDoc } from "./report.ts";
import { OPEN_STATUSES } from "./report-status.ts";
import { scopeFilter, type StaffMember } from "../people/staff.ts";

/** The fields a case list shows: never the history, photos or outbox of a case. */
const LIST_FIELDS = {
  code: 1,
  categoryKey: 1,
  status: 1,
  regionKey: 1,
  department: 1,
  priority: 1,
  createdAt: 1,
  resolveDueAt: 1,
  firstResponseAt: 1,
  firstResponseDueAt: 1,
  assignee: 1,
} as const;
export type CaseListRow = Pick<ReportDoc, "_id" | keyof typeof LIST_FIELDS>;

export interface CaseListPage {
  rows: CaseListRow[];
  /** Every matching case, shown or not (for "…and N more"). */
  total: number;
}

/** Most urgent first within each half: raised priority, then the longest waiting; code keeps ties stable. */
const URGENCY = { priority: -1, createdAt: 1, code: 1 } as const;

function openInScope(member: StaffMember): Record<string, unknown> {
  const scope = scopeFilter(member);
  return { $and: [{ status: { $in: OPEN_STATUSES } }, ...(scope ? [scope] : [])] };
}

/**
 * Open cases the member answers for (admins: all), overdue ones (a deadline passed) first.
 * Two index-friendly queries instead of an aggregation on a computed "is overdue" field: the
 * overdue part and the rest are each sorted by urgency and concatenated.
 */
export async function listOpenCases(
  member: StaffMember,
  now: Date,
  opts: { overdueOnly?: boolean; limit: number },
): Promise<CaseListPage> {
  const base = openInScope(member);
  // The same "overdue" as the reminders: a missed first response counts too.
  const late$ = overdueFilter(now);
  const overdue = { $and: [base, late$] };
  const [late, lateCount] = await Promise.all([
    Report.find(overdue, LIST_FIELDS).sort(URGENCY).limit(opts.limit).lean<CaseListRow[]>(),
    Report.countDocuments(overdue),
  ]);
  if (opts.overdueOnly) return { rows: late, total: lateCount };
  const onTime = { $and: [base, { $nor: [late$] }] };
  const room = opts.limit - late.length;
  const [rest, restCount] = await Promise.all([
    room > 0 ? Report.find(onTime, LIST_FIELDS).sort(URGENCY).limit(room).lean<CaseListRow[]>() : Promise.resolve([]),
    Report.countDocuments(onTime),
  ]);
  return { rows: [...late, ...rest], total: lateCount + restCount };
}

export interface LocalizedName {
  fa: string;
  en: string;
}

/** Category titles and region names for the keys a list shows, in one query each. */
export async function caseLabels(
  rows: Pick<ReportDoc, "categoryKey" | "regionKey">[],
): Promise<{ categories: Map<string, LocalizedName>; regions: Map<string, LocalizedName> }> {
  const categoryKeys = [...new Set(rows.map((r) => r.categoryKey))];
  const regionKeys = [...new Set(rows.map((r) => r.regionKey ?? "").filter(Boolean))];
  const [categories, regions] = await Promise.all([
    categoryKeys.length
      ? Category.find({ key: { $in: categoryKeys } }, { key: 1, title: 1 }).lean()
      : Promise.resolve([]),
    regionKeys.length ? Region.find({ key: { $in: regionKeys } }, { key: 1, name: 1 }).lean() : Promise.resolve([]),
  ]);
  return {
    categories: new Map(categories.map((c) => [c.key, { fa: c.title.fa, en: c.title.en }])),
    regions: new Map(regions.map((r) => [r.key, { fa: r.name?.fa ?? r.key, en: r.name?.en ?? r.key }])),
  };
}

/** Whole hours from `from` to `to` (0 when `to` is earlier). */
export function hoursBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 3_600_000));
}
