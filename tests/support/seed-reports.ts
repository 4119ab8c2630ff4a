import { Report, type ReportDoc } from "../../models/report/report.ts";
import type { ReportStatus } from "../../models/report/report-status.ts";
import type { ChatRef } from "../../models/geography/routing.ts";

export const HOUR = 3_600_000;

export interface SeedReport {
  createdAt: Date;
  status?: ReportStatus;
  categoryKey?: string;
  department?: string;
  regionKey?: string;
  /** The chat the case was routed to. */
  staffChat?: ChatRef | null;
  /** The chat its card lives in now (wins over staffChat). */
  card?: ChatRef | null;
  /** Default: createdAt + 3 h. */
  firstResponseDueAt?: Date;
  /** Default: createdAt + 12 h. */
  resolveDueAt?: Date;
  firstResponseAt?: Date | null;
  resolvedAt?: Date | null;
  rating?: number | null;
  feedback?: { askedAt?: Date | null; answeredAt?: Date | null; remindedAt?: Date | null; fixed?: boolean | null };
  reminders?: { count: number; lastAt: Date | null };
  escalationLevel?: number;
  priority?: number;
  citizen?: { userId: number; locale?: "fa" | "en" };
}

let seq = 0;

/** A report written straight to the collection with exactly the times a test needs (no outbox rows). */
export async function seedReport(s: SeedReport): Promise<ReportDoc> {
  seq++;
  const userId = s.citizen?.userId ?? 7000 + seq;
  const created = await Report.create({
    code: String(20000000 + seq),
    submissionKey: `seed-${seq}`,
    platform: "telegram",
    citizen: { userId, chatId: userId, name: "Sara", locale: s.citizen?.locale ?? "fa" },
    categoryKey: s.categoryKey ?? "water",
    department: s.department ?? "water",
    description: "لوله آب جلوی مدرسه شکسته است",
    hasCoordinates: false,
    address: "خیابان آزادی",
    status: s.status ?? "new",
    history: [
      { at: s.createdAt, by: { kind: "citizen", platform: "telegram", id: userId, name: "Sara" }, from: "", to: "new" },
    ],
    regionKey: s.regionKey ?? "",
    staffChat: s.staffChat ?? { platform: "", chatId: 0 },
    card: s.card ? { ...s.card, messageId: 500 + seq } : {},
    firstResponseDueAt: s.firstResponseDueAt ?? new Date(s.createdAt.getTime() + 3 * HOUR),
    resolveDueAt: s.resolveDueAt ?? new Date(s.createdAt.getTime() + 12 * HOUR),
    firstResponseAt: s.firstResponseAt ?? null,
    resolvedAt: s.resolvedAt ?? null,
    feedback: {
      askedAt: null,
      answeredAt: null,
      remindedAt: null,
      fixed: null,
      ...s.feedback,
      rating: s.rating ?? null,
    },
    reminders: s.reminders ?? { count: 0, lastAt: null },
    escalationLevel: s.escalationLevel ?? 0,
    priority: s.priority ?? 0,
    createdAt: s.createdAt,
    updatedAt: s.createdAt,
  });
  return created.toObject() as ReportDoc;
}

/**
 * The weekly data set with known answers. The week is [FROM, TO) with TO = Saturday 2026-11-28
 * 09:00 Tehran; `h(n)` is FROM + n hours. Region r1 = department roads, r2 = lighting, one
 * report without a region (department general).
 *
 *        created  1st resp   resolved   resolve due  status       rating
 *   A r1  h0      h2 (2)     h10 (10)   h72 (in)     resolved     5
 *   B r1  h1      h5 (4)     h81 (80)   h73 (late)   resolved     3
 *   C r1  h2      h3 (1)     —          h74          in_progress  —    open, overdue at TO (h168)
 *   D r1  h3      —          —          h75          new          —    open, overdue
 *   E r2  h-48    h-47       h4 (52)    h0 (late)    resolved     —    received before the week
 *   F r2  h10     h11 (1)    h20 (10)   h58 (in)     resolved     4
 *   G r2  h20     h23 (3)    h40 (20)   h68 (in)     resolved     5
 *   H r2  h150    h151 (1)   —          h198         assigned     —    open, not yet due
 *   J —   h30     —          —          h102         rejected     —    closed
 *   K r1  h-300   h-299      h-200      h-228        resolved     1    outside the week entirely
 *
 * Expected:
 *   r1: received 4 (A B C D); resolved 2 (A B); median 1st response of A2 B4 C1 → 1 2 4 → 2 (odd);
 *       median resolve of A10 B80 → (10+80)/2 = 45 (even); within SLA 1 of 2 = 50 %;
 *       open overdue 2 (C D); rating (5+3)/2 = 4.
 *   r2: received 3 (F G H); resolved 3 (E F G); median 1st response F1 G3 H1 → 1 1 3 → 1;
 *       median resolve E52 F10 G20 → 10 20 52 → 20; within SLA 2 of 3 = 66.67 %; overdue 0;
 *       rating (4+5)/2 = 4.5 (E unrated).
 *   no region: received 1; resolved 0; medians, SLA % and rating empty; overdue 0.
 *   total: received 8; resolved 5; median 1st response A2 B4 C1 F1 G3 H1 → 1 1 1 2 3 4 → (1+2)/2 = 1.5;
 *       median resolve A10 B80 E52 F10 G20 → 10 10 20 52 80 → 20; within SLA 3 of 5 = 60 %;
 *       overdue 2; rating (5+3+4+5)/4 = 4.25.
 *   Departments: general = the no-region row, lighting = r2, roads = r1.
 */
export const WEEK_TO = new Date("2026-11-28T05:30:00Z");
export const WEEK_FROM = new Date(WEEK_TO.getTime() - 168 * HOUR);
export const h = (n: number) => new Date(WEEK_FROM.getTime() + n * HOUR);

export async function seedWeek(): Promise<void> {
  const r1 = { regionKey: "r1", department: "roads", categoryKey: "road" };
  const r2 = { regionKey: "r2", department: "lighting", categoryKey: "lighting" };
  const none = { regionKey: "", department: "general", categoryKey: "other" };
  await seedReport({
    ...r1,
    createdAt: h(0),
    firstResponseAt: h(2),
    resolvedAt: h(10),
    resolveDueAt: h(72),
    status: "resolved",
    rating: 5,
  });
  await seedReport({
    ...r1,
    createdAt: h(1),
    firstResponseAt: h(5),
    resolvedAt: h(81),
    resolveDueAt: h(73),
    status: "resolved",
    rating: 3,
  });
  await seedReport({ ...r1, createdAt: h(2), firstResponseAt: h(3), resolveDueAt: h(74), status: "in_progress" });
  await seedReport({ ...r1, createdAt: h(3), resolveDueAt: h(75), status: "new" });
  await seedReport({
    ...r2,
    createdAt: h(-48),
    firstResponseAt: h(-47),
    resolvedAt: h(4),
    resolveDueAt: h(0),
    status: "resolved",
  });
  await seedReport({
    ...r2,
    createdAt: h(10),
    firstResponseAt: h(11),
    resolvedAt: h(20),
    resolveDueAt: h(58),
    status: "resolved",
    rating: 4,
  });
  await seedReport({
    ...r2,
    createdAt: h(20),
    firstResponseAt: h(23),
    resolvedAt: h(40),
    resolveDueAt: h(68),
    status: "resolved",
    rating: 5,
  });
  await seedReport({ ...r2, createdAt: h(150), firstResponseAt: h(151), resolveDueAt: h(198), status: "assigned" });
  await seedReport({ ...none, createdAt: h(30), resolveDueAt: h(102), status: "rejected" });
  await seedReport({
    ...r1,
    createdAt: h(-300),
    firstResponseAt: h(-299),
    resolvedAt: h(-200),
    resolveDueAt: h(-228),
    status: "resolved",
    rating: 1,
  });
}

export const CHAT_A = { platform: "telegram" as const, chatId: -1004000000001 };
export const CHAT_B = { platform: "telegram" as const, chatId: -1004000000002 };
export const DIGEST_AT = h(100);

/**
 * A day for the daily digest at DIGEST_AT (h100); "today" = the 24 h before it. Reports routed
 * nowhere count for the fallback chat. Expected:
 *   chat A: created 1 (h90), resolved 1 (h80), open 2 (h90 not yet due; the h10 case whose card
 *           moved here from chat B, overdue since h40), overdue 1
 *   chat B: created 1 (h95, first response late since h98), resolved 0, open 1, overdue 1
 *           (its h10 case resolved at h20 counts nowhere)
 *   fallback: created 1 (h99, not yet due), open 1
 *   total: created 3, resolved 1, open 4, overdue 2
 */
export async function seedDigestDay(): Promise<void> {
  await seedReport({ staffChat: CHAT_A, createdAt: h(90), firstResponseDueAt: h(110), resolveDueAt: h(120) });
  await seedReport({
    staffChat: CHAT_A,
    createdAt: h(50),
    firstResponseAt: h(51),
    resolvedAt: h(80),
    status: "resolved",
  });
  await seedReport({
    staffChat: CHAT_B,
    card: CHAT_A,
    createdAt: h(10),
    firstResponseAt: h(11),
    resolveDueAt: h(40),
    status: "in_progress",
  });
  await seedReport({ staffChat: CHAT_B, createdAt: h(95), firstResponseDueAt: h(98), resolveDueAt: h(130) });
  await seedReport({ staffChat: CHAT_B, createdAt: h(10), resolvedAt: h(20), status: "resolved" });
  await seedReport({ createdAt: h(99), firstResponseDueAt: h(150), resolveDueAt: h(200) });
}
