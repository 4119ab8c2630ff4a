import type { Config } from "../../core/config.ts";
import { staffFallbackChat } from "../../core/platforms.ts";
import { casesToEscalate, casesToRemind, escalateCase, markReminded } from "../../models/report/sla.ts";
import { dailyDigest, performanceFor, type DigestFigures } from "../../models/report/stats.ts";
import { feedbackToRemind, remindFeedback } from "../../models/report/feedback-reminder.ts";
import { queueJobMessage } from "../../models/infra/job-outbox.ts";
import type { ChatRef } from "../../models/geography/routing.ts";
import type { Platform } from "../../models/common/platform.ts";
import type { OutboxKind } from "../../models/infra/outbox-kinds.ts";
import { tablePayloads } from "../../views/weekly-table/payload.ts";
import { tableParts } from "../../views/weekly-table/send.ts";

/**
 * The cron jobs. Each only reads and writes through models/ and queues outbox rows: the outbox
 * dispatcher sends them, with its retries, rate-limit handling and once-only delivery. All take
 * the clock as `now`, so tests and `npm run job -- <name> --at <date>` can run them at any moment.
 */
export interface JobDeps {
  config: Config;
}

export interface QueuedMessage {
  kind: OutboxKind;
  chat: ChatRef;
  /** How many cases the message is about (0 for a digest or table). */
  cases: number;
}

export interface JobResult {
  queued: QueuedMessage[];
  /** Cases the run changed (reminded, escalated). */
  updated: number;
  /** Why the run did nothing, when it is a setting rather than an empty desk. */
  note?: string;
}

export type Job = (deps: JobDeps, now: Date) => Promise<JobResult>;

const HOUR = 3_600_000;

/** A run's identity: its minute, in UTC so every instance and time zone agrees ("2026-11-27T04:30Z"). */
export function slotKey(at: Date): string {
  return `${at.toISOString().slice(0, 16)}Z`;
}

function managersChat(config: Config): ChatRef | null {
  return config.MANAGERS_CHAT_ID
    ? { platform: config.STAFF_PLATFORM as Platform, chatId: Number(config.MANAGERS_CHAT_ID) }
    : null;
}

const NO_MANAGERS: JobResult = { queued: [], updated: 0, note: "MANAGERS_CHAT_ID is not set" };

interface JobMessage {
  job: JobName;
  kind: OutboxKind;
  chat: ChatRef;
  payload: Record<string, unknown>;
  cases?: number;
  /** Tells two messages of one run to the same chat apart (a chat can be both a staff and the managers' chat). */
  part?: string;
}

/** Queues one job message whose id is fixed by (job, part, slot, chat): re-running a slot queues nothing twice. */
async function queue(result: JobResult, config: Config, now: Date, m: JobMessage): Promise<void> {
  const id = `job:${m.job}:${m.part ?? m.kind}:${slotKey(now)}:${m.chat.platform}:${m.chat.chatId}`;
  if (await queueJobMessage({ id, chat: m.chat, kind: m.kind, locale: config.DEFAULT_LOCALE, payload: m.payload, now }))
    result.queued.push({ kind: m.kind, chat: m.chat, cases: m.cases ?? 0 });
}

/** One grouped reminder per staff chat, listing up to REMINDER_MAX_CASES cases and counting the rest. */
const reminders: Job = async ({ config }, now) => {
  const result: JobResult = { queued: [], updated: 0 };
  for (const { chat, items } of await casesToRemind(now, config.REMIND_EVERY_HOURS, staffFallbackChat(config))) {
    const listed = items.slice(0, config.REMINDER_MAX_CASES).map((c) => ({
      reportId: c.id.toHexString(),
      code: c.code,
      categoryKey: c.categoryKey,
      deadline: c.deadline,
      hours: c.hours,
    }));
    await queue(result, config, now, {
      job: "reminders",
      kind: "staff_reminder",
      chat,
      payload: { cases: listed, more: items.length - listed.length },
      cases: items.length,
    });
    // After queueing: a crash in between re-runs the slot, finds the row queued and only marks.
    result.updated += await markReminded(
      items.map((c) => c.id),
      now,
      config.REMIND_EVERY_HOURS,
    );
  }
  return result;
};

/** Cases overdue by ESCALATE_AFTER_HOURS (again every as many hours) or reminded ESCALATE_AFTER_REMINDERS times go to the managers. */
const escalations: Job = async ({ config }, now) => {
  const chat = managersChat(config);
  if (!chat) return NO_MANAGERS;
  const result: JobResult = { queued: [], updated: 0 };
  for (const c of await casesToEscalate(now, {
    afterHours: config.ESCALATE_AFTER_HOURS,
    afterReminders: config.ESCALATE_AFTER_REMINDERS,
  })) {
    if (!(await escalateCase(c, { chat, locale: config.DEFAULT_LOCALE }, now))) continue;
    result.updated++;
    result.queued.push({ kind: "escalation", chat, cases: 1 });
  }
  return result;
};

/** Codes of never-visited old cases a digest lists; the rest are counted ("…and N more"). */
export const DIGEST_UNVISITED_LISTED = 10;

/**
 * New, resolved, open and overdue, and the open cases nobody has visited in DIGEST_UNVISITED_DAYS
 * days: to each staff chat with anything to report, and the totals to the managers.
 */
const digest: Job = async ({ config }, now) => {
  const result: JobResult = { queued: [], updated: 0 };
  const { chats, total, totalUnvisitedCodes } = await dailyDigest(
    now,
    staffFallbackChat(config),
    config.DIGEST_UNVISITED_DAYS,
  );
  const payload = (scope: "chat" | "all", figures: DigestFigures, codes: string[]) => ({
    scope,
    at: now.toISOString(),
    ...figures,
    unvisitedDays: config.DIGEST_UNVISITED_DAYS,
    unvisitedCodes: codes.slice(0, DIGEST_UNVISITED_LISTED),
  });
  for (const c of chats)
    await queue(result, config, now, {
      job: "daily-digest",
      kind: "daily_digest",
      part: "chat",
      chat: c.chat,
      payload: payload("chat", c.figures, c.unvisitedCodes),
    });
  const managers = managersChat(config);
  if (managers)
    await queue(result, config, now, {
      job: "daily-digest",
      kind: "daily_digest",
      part: "all",
      chat: managers,
      payload: payload("all", total, totalUnvisitedCodes),
    });
  return result;
};

/**
 * The performance table of the last 7 days to the managers, per regions and departments: the
 * picture and the phone text (bot/outbox/renderers/weekly-table-send.ts), a row for each part, the
 * figures frozen now. A part with nothing to add when it is sent (the text went as the caption) is
 * settled as "failed" with that reason, not sent.
 */
const weeklyTable: Job = async ({ config }, now) => {
  const chat = managersChat(config);
  if (!chat) return NO_MANAGERS;
  const result: JobResult = { queued: [], updated: 0 };
  const table = await performanceFor({ from: new Date(now.getTime() - 7 * 24 * HOUR), to: now }, now);
  // The numbers in the part keep sections and parts in order: rows queued together are sent in id order.
  for (const [i, payload] of tablePayloads(table).entries()) {
    for (const [j, part] of tableParts(chat.platform).entries()) {
      await queue(result, config, now, {
        job: "weekly-table",
        kind: "weekly_table",
        part: `${i + 1}-${payload.section}-${j + 1}-${part}`,
        chat,
        payload: { ...payload, part },
      });
    }
  }
  return result;
};

/** One "was it fixed?" reminder to reporters who have not answered after FEEDBACK_REMINDER_AFTER_HOURS; never a second. */
const feedbackReminders: Job = async ({ config }, now) => {
  const result: JobResult = { queued: [], updated: 0 };
  for (const r of await feedbackToRemind(now, config.FEEDBACK_REMINDER_AFTER_HOURS)) {
    if (!(await remindFeedback(r._id, now, config.FEEDBACK_REMINDER_AFTER_HOURS))) continue;
    result.updated++;
    result.queued.push({
      kind: "feedback_reminder",
      chat: { platform: r.platform as Platform, chatId: r.citizen.chatId },
      cases: 1,
    });
  }
  return result;
};

/** Citizens hear about feedback in the daytime only: hourly at :30, 10:00–20:30 city time. */
const FEEDBACK_CRON = "30 10-20 * * *";

/** Reminders and escalations run every REMINDER_INTERVAL_MINUTES. */
const slaCron = (config: Config) =>
  config.REMINDER_INTERVAL_MINUTES === 60 ? "0 * * * *" : `*/${config.REMINDER_INTERVAL_MINUTES} * * * *`;

/** A cron job: what it does, when it runs (a cron expression in TZ_NAME), and its line in `npm run job -- --help`. */
export interface JobSpec {
  run: Job;
  schedule: (config: Config) => string;
  about: string;
}

/**
 * Every cron job, in one table: the scheduler, `npm run job` and its help read it, so a new job is one entry
 * here (plus the renderer of any new message kind it queues, and its locale texts).
 */
export const JOBS = {
  reminders: { run: reminders, schedule: slaCron, about: "one grouped reminder per staff chat for overdue cases" },
  escalations: { run: escalations, schedule: slaCron, about: "overdue / often-reminded cases to MANAGERS_CHAT_ID" },
  "daily-digest": {
    run: digest,
    schedule: (c) => c.DIGEST_CRON,
    about: "new, resolved, open, overdue to each staff chat and the managers",
  },
  "weekly-table": {
    run: weeklyTable,
    schedule: (c) => c.WEEKLY_CRON,
    about: "last 7 days per region and per department, to the managers",
  },
  "feedback-reminders": {
    run: feedbackReminders,
    schedule: () => FEEDBACK_CRON,
    about: 'the one "was it fixed?" reminder to citizens',
  },
} as const satisfies Record<string, JobSpec>;

export type JobName = keyof typeof JOBS;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}
