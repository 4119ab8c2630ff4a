import type { Types } from "mongoose";
import { Report, type ReportDoc } from "./report.ts";
import { OPEN_STATUSES } from "./report-status.ts";
import { updateCase } from "./report-transition.ts";
import { cardChat } from "./case-actions.ts";
import { DomainError } from "../common/errors.ts";
import type { Locale } from "../common/platform.ts";
import type { ChatRef } from "../geography/routing.ts";

const HOUR = 3_600_000;

/** Fields the SLA jobs read: never the history, photos or outbox of a case. */
const SLA_FIELDS = {
  code: 1,
  categoryKey: 1,
  status: 1,
  priority: 1,
  firstResponseAt: 1,
  firstResponseDueAt: 1,
  resolveDueAt: 1,
  reminders: 1,
  escalationLevel: 1,
  card: 1,
  staffChat: 1,
} as const;
type SlaReport = Pick<ReportDoc, "_id" | keyof typeof SLA_FIELDS>;

/**
 * Open and past a deadline: no first response by its due time, or not resolved by its due time.
 * Each branch of the $or is backed by its own index ({status, firstResponseDueAt}, {status, resolveDueAt}).
 */
export function overdueFilter(now: Date) {
  return {
    $or: [
      { status: { $in: OPEN_STATUSES }, firstResponseAt: null, firstResponseDueAt: { $lte: now } },
      { status: { $in: OPEN_STATUSES }, resolveDueAt: { $lte: now } },
    ],
  };
}

export type Deadline = "first_response" | "resolve";

/** Which deadline a case missed and by how many whole hours (the resolve deadline wins when both are missed). */
export function overdueBy(
  r: Pick<ReportDoc, "firstResponseAt" | "firstResponseDueAt" | "resolveDueAt">,
  now: Date,
): { deadline: Deadline; hours: number } | null {
  if (r.resolveDueAt <= now)
    return { deadline: "resolve", hours: Math.floor((now.getTime() - r.resolveDueAt.getTime()) / HOUR) };
  if (!r.firstResponseAt && r.firstResponseDueAt <= now)
    return { deadline: "first_response", hours: Math.floor((now.getTime() - r.firstResponseDueAt.getTime()) / HOUR) };
  return null;
}

export interface OverdueCase {
  id: Types.ObjectId;
  code: string;
  categoryKey: string;
  priority: number;
  deadline: Deadline;
  hours: number;
}

export interface ChatGroup<T> {
  chat: ChatRef;
  items: T[];
}

/** Groups cases by the chat that holds their card (else the chat they were routed to, else `fallback`); cases with no chat at all are left out. */
export function groupByChat<T extends Pick<ReportDoc, "card" | "staffChat">>(
  rows: T[],
  fallback: ChatRef | null,
): ChatGroup<T>[] {
  const groups = new Map<string, ChatGroup<T>>();
  for (const r of rows) {
    const chat = cardChat(r as unknown as ReportDoc) ?? fallback;
    if (!chat) continue;
    const key = `${chat.platform}:${chat.chatId}`;
    const group = groups.get(key) ?? { chat, items: [] };
    group.items.push(r);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * Overdue cases due for a reminder (never reminded, or last reminded `everyHours` ago or more),
 * grouped by staff chat; in each group highest priority first, then the longest overdue.
 */
export async function casesToRemind(
  now: Date,
  everyHours: number,
  fallback: ChatRef | null,
): Promise<ChatGroup<OverdueCase>[]> {
  const cutoff = new Date(now.getTime() - everyHours * HOUR);
  // $not/$gt also matches a null or missing lastAt: "never reminded".
  const rows = await Report.find(
    { ...overdueFilter(now), "reminders.lastAt": { $not: { $gt: cutoff } } },
    SLA_FIELDS,
  ).lean<SlaReport[]>();
  return groupByChat(rows, fallback).map(({ chat, items }) => ({
    chat,
    items: items
      .flatMap((r) => {
        const late = overdueBy(r, now);
        return late ? [{ id: r._id, code: r.code, categoryKey: r.categoryKey, priority: r.priority, ...late }] : [];
      })
      .sort((a, b) => b.priority - a.priority || b.hours - a.hours || a.code.localeCompare(b.code)),
  }));
}

/**
 * Counts a reminder on these cases. Housekeeping, not a change of the case: one conditional
 * write without a history entry and without touching `updatedAt`. The condition repeats the
 * interval, so a concurrent or repeated run cannot count the same reminder twice.
 */
export async function markReminded(ids: Types.ObjectId[], now: Date, everyHours: number): Promise<number> {
  if (ids.length === 0) return 0;
  const cutoff = new Date(now.getTime() - everyHours * HOUR);
  const res = await Report.updateMany(
    { _id: { $in: ids }, "reminders.lastAt": { $not: { $gt: cutoff } } },
    { $inc: { "reminders.count": 1 }, $set: { "reminders.lastAt": now } },
    { timestamps: false },
  );
  return res.modifiedCount;
}

export interface EscalationRules {
  /** Every this many hours past the resolve deadline raises the level by one. */
  afterHours: number;
  /** Every this many reminders raises the level by one. */
  afterReminders: number;
}

export type EscalationReason = "overdue" | "reminders";

/** The level a case has earned by now (0 = none), and which rule earned it. */
export function earnedEscalation(
  r: Pick<ReportDoc, "resolveDueAt" | "reminders">,
  now: Date,
  rules: EscalationRules,
): { level: number; reason: EscalationReason; hoursOverdue: number } {
  const hoursOverdue = Math.max(0, Math.floor((now.getTime() - r.resolveDueAt.getTime()) / HOUR));
  const byHours = Math.floor(hoursOverdue / rules.afterHours);
  const byReminders = Math.floor((r.reminders?.count ?? 0) / rules.afterReminders);
  return {
    level: Math.max(byHours, byReminders),
    reason: byHours >= byReminders ? "overdue" : "reminders",
    hoursOverdue,
  };
}

export interface EscalationCandidate {
  id: Types.ObjectId;
  code: string;
  level: number;
  reason: EscalationReason;
  hoursOverdue: number;
  reminders: number;
}

/** Open cases whose earned level is above the level they were escalated to (index-backed $or). */
export async function casesToEscalate(now: Date, rules: EscalationRules): Promise<EscalationCandidate[]> {
  const rows = await Report.find(
    {
      $or: [
        { status: { $in: OPEN_STATUSES }, resolveDueAt: { $lte: new Date(now.getTime() - rules.afterHours * HOUR) } },
        { status: { $in: OPEN_STATUSES }, "reminders.count": { $gte: rules.afterReminders } },
      ],
    },
    SLA_FIELDS,
  ).lean<SlaReport[]>();
  return rows
    .map((r) => ({ r, earned: earnedEscalation(r, now, rules) }))
    .filter(({ r, earned }) => earned.level > r.escalationLevel)
    .map(({ r, earned }) => ({ id: r._id, code: r.code, ...earned, reminders: r.reminders?.count ?? 0 }));
}

/**
 * Records the escalation on the case (level, time, history entry) and queues the managers'
 * message in the same write. Conditional on the level, so a level is escalated once; a case that
 * changed meanwhile (closed, escalated) is skipped and reported as not escalated.
 */
export async function escalateCase(
  c: EscalationCandidate,
  managers: { chat: ChatRef; locale: Locale },
  now: Date,
): Promise<boolean> {
  try {
    await updateCase(c.id, {
      kind: "escalation",
      actor: { kind: "system" },
      facts: { reason: c.reason },
      public: false,
      // Inside $and: updateCase's own `status` condition (the status it read) must stay as well.
      where: { escalationLevel: { $lt: c.level }, $and: [{ status: { $in: OPEN_STATUSES } }] },
      set: { escalationLevel: c.level, escalatedAt: now },
      notices: [
        {
          to: managers,
          kind: "escalation",
          payload: { reason: c.reason, level: c.level, hoursOverdue: c.hoursOverdue, reminders: c.reminders },
        },
      ],
      now,
    });
    return true;
  } catch (err) {
    if (err instanceof DomainError && (err.reason === "conflict" || err.reason === "not_found")) return false;
    throw err;
  }
}
