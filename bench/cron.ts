import { performance } from "node:perf_hooks";
import { Types } from "mongoose";
import { loadConfig } from "../core/config.ts";
import { runJob, type RunOutcome } from "../bot/cron/run-job.ts";
import { Report } from "../models/report/report.ts";
import { Region } from "../models/geography/region.ts";
import { overdueFilter } from "../models/report/sla.ts";
import { round } from "./stats.ts";

const HOUR = 3_600_000;
const BATCH = 5_000;
const STAFF_CHATS = 20;

export interface ExplainSummary {
  supported: boolean;
  nReturned: number | null;
  totalDocsExamined: number | null;
  totalKeysExamined: number | null;
  executionTimeMillis: number | null;
  indexBacked: boolean | null;
  stages: string[];
  raw?: unknown;
}

export interface JobTiming {
  wallMs: number;
  queued: number;
  updated: number;
}

export interface CronResult {
  reports: number;
  open: number;
  overdue: number;
  seedMs: number;
  reminders: JobTiming;
  weeklyTable: JobTiming;
  explain: ExplainSummary;
  note: string;
}

/** Every stage name in an explain plan tree (winningPlan / queryPlan / inputStage(s)). */
function stagesOf(plan: unknown, out: string[] = []): string[] {
  if (!plan || typeof plan !== "object") return out;
  const p = plan as Record<string, unknown>;
  if (typeof p.stage === "string") out.push(p.indexName ? `${p.stage}(${String(p.indexName)})` : p.stage);
  for (const k of ["queryPlan", "inputStage", "winningPlan"]) stagesOf(p[k], out);
  if (Array.isArray(p.inputStages)) for (const s of p.inputStages) stagesOf(s, out);
  return out;
}

/** A server that gives no execution statistics (or refused explain): what it said, kept raw. */
function noStats(stages: string[], raw: unknown): ExplainSummary {
  const none = { nReturned: null, totalDocsExamined: null, totalKeysExamined: null, executionTimeMillis: null };
  return { supported: false, ...none, indexBacked: null, stages, raw };
}

function summarizeExplain(raw: unknown): ExplainSummary {
  const e = (raw ?? {}) as Record<string, unknown>;
  const stats = e.executionStats as Record<string, unknown> | undefined;
  const planner = e.queryPlanner as Record<string, unknown> | undefined;
  const num = (v: unknown) => (typeof v === "number" ? v : null);
  if (!stats) return noStats(stagesOf(planner?.winningPlan), JSON.parse(JSON.stringify(raw ?? null)) as unknown);
  const nReturned = num(stats.nReturned);
  const docs = num(stats.totalDocsExamined);
  return {
    supported: true,
    nReturned,
    totalDocsExamined: docs,
    totalKeysExamined: num(stats.totalKeysExamined),
    executionTimeMillis: num(stats.executionTimeMillis),
    indexBacked: nReturned !== null && docs !== null ? docs <= nReturned : null,
    stages: stagesOf(planner?.winningPlan),
  };
}

/** `reports` reports over the last 30 days, 20 % open (half of those past a deadline), written in batches. */
async function seed(reports: number, now: Date): Promise<{ open: number; overdue: number }> {
  const regions = (await Region.find({}, { key: 1 }).lean()).map((r) => String(r.key));
  let open = 0;
  let overdue = 0;
  for (let start = 0; start < reports; start += BATCH) {
    const docs = [];
    for (let i = start; i < Math.min(reports, start + BATCH); i++) {
      const createdAt = new Date(now.getTime() - ((i * 7919) % (30 * 24)) * HOUR - (i % 60) * 60_000);
      const isOpen = i % 5 === 0;
      const late = isOpen && i % 10 === 0;
      const status = isOpen
        ? (["new", "assigned", "in_progress"] as const)[i % 3]!
        : i % 7 === 0
          ? "rejected"
          : "resolved";
      const firstResponseAt = status === "new" ? null : new Date(createdAt.getTime() + 2 * HOUR);
      const resolvedAt = status === "resolved" ? new Date(createdAt.getTime() + 10 * HOUR) : null;
      const due = late
        ? new Date(now.getTime() - HOUR)
        : isOpen
          ? new Date(now.getTime() + 48 * HOUR)
          : new Date(createdAt.getTime() + 12 * HOUR);
      // Open cases are every fifth report: spread them over the staff chats.
      const chatId = -1008000000000 - (Math.floor(i / 5) % STAFF_CHATS);
      if (isOpen) open++;
      if (late) overdue++;
      docs.push({
        _id: new Types.ObjectId(),
        code: String(40_000_000 + i),
        submissionKey: `bench-${i}`,
        platform: "telegram",
        citizen: { userId: 6_000_000 + i, chatId: 6_000_000 + i, name: "Sara", locale: "fa" },
        categoryKey: "water",
        department: "water",
        description: "لوله آب جلوی مدرسه شکسته است",
        hasCoordinates: false,
        address: "خیابان آزادی",
        photos: [],
        status,
        history: [
          {
            at: createdAt,
            by: { kind: "citizen", platform: "telegram", id: 6_000_000 + i, name: "Sara" },
            from: "",
            to: "new",
            note: "",
            public: true,
          },
        ],
        regionKey: regions.length ? regions[i % regions.length] : "",
        staffChat: { platform: "telegram", chatId },
        card: { platform: "telegram", chatId, messageId: 1000 + i },
        firstResponseDueAt:
          late && status === "new"
            ? due
            : isOpen
              ? new Date(now.getTime() + 24 * HOUR)
              : new Date(createdAt.getTime() + 3 * HOUR),
        resolveDueAt: due,
        firstResponseAt,
        resolvedAt,
        feedback: {
          askedAt: null,
          answeredAt: null,
          remindedAt: null,
          fixed: null,
          rating: status === "resolved" ? 1 + (i % 5) : null,
        },
        reminders: { count: 0, lastAt: null },
        escalationLevel: 0,
        priority: 0,
        createdAt,
        updatedAt: resolvedAt ?? createdAt,
      });
    }
    await Report.collection.insertMany(docs, { ordered: false });
  }
  return { open, overdue };
}

function timing(o: RunOutcome, wallMs: number): JobTiming {
  return { wallMs: round(wallMs), queued: o.ran ? o.result.queued.length : 0, updated: o.ran ? o.result.updated : 0 };
}

export async function benchCron(reports: number): Promise<CronResult> {
  const now = new Date();
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: "700001:BENCH-cron",
    STAFF_CHAT_ID: "-1001370000001",
    MANAGERS_CHAT_ID: "-1001370000002",
    LOG_LEVEL: "silent",
  });
  const s0 = performance.now();
  const { open, overdue } = await seed(reports, now);
  const seedMs = performance.now() - s0;

  let explain: ExplainSummary;
  try {
    explain = summarizeExplain(await Report.find(overdueFilter(now)).explain("executionStats"));
  } catch (err) {
    explain = noStats([], String(err));
  }

  const r0 = performance.now();
  const rem = await runJob("reminders", { config }, { at: now, holder: "bench" });
  const reminders = timing(rem, performance.now() - r0);
  const w0 = performance.now();
  const week = await runJob("weekly-table", { config }, { at: now, holder: "bench" });
  const weeklyTable = timing(week, performance.now() - w0);
  return {
    reports,
    open,
    overdue,
    seedMs: round(seedMs),
    reminders,
    weeklyTable,
    explain,
    note:
      `reports written with insertMany in batches of ${BATCH} over the last 30 days; ${STAFF_CHATS} staff chats; ` +
      "explain is of Report.find(overdueFilter(now)).",
  };
}
