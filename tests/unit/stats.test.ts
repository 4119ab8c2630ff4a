import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { CHAT_A, CHAT_B, DIGEST_AT, HOUR, WEEK_FROM, WEEK_TO, seedDigestDay, seedWeek } from "../support/seed-reports.ts";
import { dailyDigest, figures, mean, median, percent, performanceFor, type StatsRow } from "../../models/stats.ts";
import { earnedEscalation, overdueBy } from "../../models/sla.ts";

useTestDb({ cleanEach: true });

describe("median, mean, percent", () => {
  it("median of an odd count is the middle value, of an even count the mean of the two middle ones, of none null", () => {
    expect(median([4, 1, 2])).toBe(2);
    expect(median([10, 80])).toBe(45);
    expect(median([3, 1, 4, 1, 5, 9])).toBe(3.5); // 1 1 3 4 5 9 → (3+4)/2
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
  });

  it("mean and percent return null for nothing to average (shown as —, not 0)", () => {
    expect(mean([5, 3, 4, 5])).toBe(4.25);
    expect(mean([])).toBeNull();
    expect(percent(2, 3)).toBeCloseTo(66.667, 3);
    expect(percent(0, 4)).toBe(0);
    expect(percent(0, 0)).toBeNull();
  });
});

describe("figures", () => {
  const range = { from: new Date("2026-01-01T00:00:00Z"), to: new Date("2026-01-08T00:00:00Z") };
  const at = (hours: number) => new Date(range.from.getTime() + hours * HOUR);
  const row = (r: Partial<StatsRow>): StatsRow => ({ regionKey: "r1", department: "roads", status: "new", createdAt: at(0), firstResponseAt: null, resolvedAt: null, resolveDueAt: at(24), rating: null, ...r });

  it("counts the range as [from, to): a case created exactly at `to` is next week's", () => {
    const f = figures([row({ createdAt: range.from }), row({ createdAt: range.to }), row({ createdAt: at(-1) })], range, at(168));
    expect(f.received).toBe(1);
  });

  it("a resolution exactly at the deadline is within SLA; unrated cases do not pull the average down", () => {
    const f = figures(
      [
        row({ status: "resolved", resolvedAt: at(24), resolveDueAt: at(24), rating: 4 }),
        row({ status: "resolved", resolvedAt: at(25), resolveDueAt: at(24), rating: null }),
      ],
      range,
      at(168),
    );
    expect(f).toMatchObject({ resolved: 2, withinSlaPct: 50, avgRating: 4, medianResolveHours: 24.5 });
  });

  it("open overdue means open now with the resolve deadline passed, whenever it was created", () => {
    const f = figures([row({ createdAt: at(-500), resolveDueAt: at(-400), status: "reopened" }), row({ status: "rejected", resolveDueAt: at(1) }), row({ resolveDueAt: at(200) })], range, at(168));
    expect(f.openOverdue).toBe(1);
  });
});

describe("SLA arithmetic", () => {
  const now = new Date("2026-01-02T12:00:00Z");
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);

  it("overdueBy names the missed deadline and whole hours; the resolve deadline wins", () => {
    expect(overdueBy({ firstResponseAt: null, firstResponseDueAt: ago(5.5), resolveDueAt: ago(-2) }, now)).toEqual({ deadline: "first_response", hours: 5 });
    expect(overdueBy({ firstResponseAt: null, firstResponseDueAt: ago(10), resolveDueAt: ago(1) }, now)).toEqual({ deadline: "resolve", hours: 1 });
    expect(overdueBy({ firstResponseAt: ago(20), firstResponseDueAt: ago(10), resolveDueAt: ago(-1) }, now)).toBeNull();
  });

  it("earnedEscalation: a level per ESCALATE_AFTER_HOURS past the deadline or per K reminders, whichever is higher", () => {
    const rules = { afterHours: 24, afterReminders: 3 };
    expect(earnedEscalation({ resolveDueAt: ago(23), reminders: { count: 2, lastAt: null } }, now, rules)).toEqual({ level: 0, reason: "overdue", hoursOverdue: 23 });
    expect(earnedEscalation({ resolveDueAt: ago(24), reminders: { count: 0, lastAt: null } }, now, rules)).toEqual({ level: 1, reason: "overdue", hoursOverdue: 24 });
    expect(earnedEscalation({ resolveDueAt: ago(2), reminders: { count: 3, lastAt: null } }, now, rules)).toEqual({ level: 1, reason: "reminders", hoursOverdue: 2 });
    expect(earnedEscalation({ resolveDueAt: ago(50), reminders: { count: 3, lastAt: null } }, now, rules)).toEqual({ level: 2, reason: "overdue", hoursOverdue: 50 });
    expect(earnedEscalation({ resolveDueAt: ago(-5), reminders: { count: 6, lastAt: null } }, now, rules)).toEqual({ level: 2, reason: "reminders", hoursOverdue: 0 });
  });
});

describe("the weekly performance table on the seeded week (answers worked out in tests/support/seed-reports.ts)", () => {
  it("every cell per region, per department and the totals", async () => {
    await seedWeek();
    const table = await performanceFor({ from: WEEK_FROM, to: WEEK_TO }, WEEK_TO);
    const r1 = { received: 4, resolved: 2, medianFirstResponseHours: 2, medianResolveHours: 45, withinSlaPct: 50, openOverdue: 2, avgRating: 4 };
    const r2 = { received: 3, resolved: 3, medianFirstResponseHours: 1, medianResolveHours: 20, withinSlaPct: 200 / 3, openOverdue: 0, avgRating: 4.5 };
    const none = { received: 1, resolved: 0, medianFirstResponseHours: null, medianResolveHours: null, withinSlaPct: null, openOverdue: 0, avgRating: null };
    expect(table.regions).toEqual([
      { key: "r1", ...r1 },
      { key: "r2", ...r2 },
      { key: "", ...none },
    ]);
    expect(table.departments).toEqual([
      { key: "general", ...none },
      { key: "lighting", ...r2 },
      { key: "roads", ...r1 },
    ]);
    expect(table.total).toEqual({ received: 8, resolved: 5, medianFirstResponseHours: 1.5, medianResolveHours: 20, withinSlaPct: 60, openOverdue: 2, avgRating: 4.25 });
    expect(table.from).toEqual(WEEK_FROM);
    expect(table.to).toEqual(WEEK_TO);
  });
});

describe("daily digest figures", () => {
  it("per chat (card chat first, then the routed chat, then the fallback) and overall", async () => {
    await seedDigestDay();
    const now = DIGEST_AT;
    const FALLBACK = { platform: "telegram" as const, chatId: -1009 };
    const digest = await dailyDigest(now, FALLBACK);
    const byChat = Object.fromEntries(digest.chats.map((c) => [c.chat.chatId, c.figures]));
    expect(byChat).toEqual({
      [CHAT_A.chatId]: { created: 1, resolved: 1, open: 2, overdue: 1 },
      [CHAT_B.chatId]: { created: 1, resolved: 0, open: 1, overdue: 1 },
      [FALLBACK.chatId]: { created: 1, resolved: 0, open: 1, overdue: 0 },
    });
    expect(digest.total).toEqual({ created: 3, resolved: 1, open: 4, overdue: 2 });
  });
});
