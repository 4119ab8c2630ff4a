import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import {
  CHAT_A,
  CHAT_B,
  DIGEST_AT,
  HOUR,
  WEEK_FROM,
  WEEK_TO,
  h,
  seedDigestDay,
  seedWeek,
} from "../support/seed-reports.ts";
import {
  dailyDigest,
  figures,
  mean,
  median,
  percent,
  performanceFor,
  unvisitedCases,
  type StatsRow,
} from "../../models/report/stats.ts";
import { Report, type ReportDoc } from "../../models/report/report.ts";
import { earnedEscalation, overdueBy } from "../../models/report/sla.ts";

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
  const row = (r: Partial<StatsRow>): StatsRow => ({
    regionKey: "r1",
    department: "roads",
    status: "new",
    createdAt: at(0),
    firstResponseAt: null,
    resolvedAt: null,
    resolveDueAt: at(24),
    rating: null,
    visits: [],
    supporters: 0,
    ...r,
  });

  it("counts the range as [from, to): a case created exactly at `to` is next week's", () => {
    const f = figures(
      [row({ createdAt: range.from }), row({ createdAt: range.to }), row({ createdAt: at(-1) })],
      range,
      at(168),
    );
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
    const f = figures(
      [
        row({ createdAt: at(-500), resolveDueAt: at(-400), status: "reopened" }),
        row({ status: "rejected", resolveDueAt: at(1) }),
        row({ resolveDueAt: at(200) }),
      ],
      range,
      at(168),
    );
    expect(f.openOverdue).toBe(1);
  });

  it("visited counts cases with a visit in the range (on site or not, once however many); other cases' visits outside it do not count", () => {
    const f = figures(
      [
        row({
          visits: [
            { at: at(5), onSite: true },
            { at: at(6), onSite: true },
          ],
        }), // twice in range: one case
        row({ createdAt: at(-200), visits: [{ at: at(100), onSite: false }] }), // filed long before, visited off site in range
        row({
          visits: [
            { at: at(-1), onSite: true },
            { at: range.to, onSite: true },
          ],
        }), // just before and exactly at `to`: not in range
        row({}),
      ],
      range,
      at(168),
    );
    expect(f.visited).toBe(2);
  });

  it("supporters: summed over the cases received in the range, whatever their status", () => {
    const f = figures(
      [
        row({ supporters: 2 }),
        row({ status: "resolved", resolvedAt: at(30), supporters: 1 }),
        row({ createdAt: at(-24), supporters: 5 }), // received before the range: not counted
      ],
      range,
      at(168),
    );
    expect(f.received).toBe(2);
    expect(f.supporters).toBe(3);
  });

  it("% resolved with an on-site visit: of the cases resolved in the range, those with an on-site visit at or before resolvedAt", () => {
    const resolved = (visits: StatsRow["visits"], resolvedAt = at(50)) =>
      row({ status: "resolved", resolvedAt, visits });
    const f = figures(
      [
        resolved([{ at: at(50), onSite: true }]), // at the moment of resolution: counts
        resolved([{ at: at(-30), onSite: true }]), // before the range: still counts (the proof is older than the week)
        resolved([{ at: at(10), onSite: false }]), // off site only
        resolved([{ at: at(51), onSite: true }]), // after resolvedAt
        resolved([]), // never visited
        resolved([{ at: at(-10), onSite: true }], at(-5)), // resolved before the range: not in the denominator
        row({ visits: [{ at: at(10), onSite: true }] }), // open: not in the denominator
      ],
      range,
      at(168),
    );
    expect(f.resolved).toBe(5);
    expect(f.resolvedWithVisitPct).toBe(40); // 2 of 5
    expect(f.visited).toBe(4); // visits at h50, h10, h51 and the open case's h10
  });

  it("nothing resolved: the on-site share is empty (—), not 0 %", () => {
    expect(figures([row({ visits: [{ at: at(1), onSite: true }] })], range, at(168))).toMatchObject({
      resolved: 0,
      resolvedWithVisitPct: null,
      supporters: 0,
      visited: 1,
    });
  });
});

describe("SLA arithmetic", () => {
  const now = new Date("2026-01-02T12:00:00Z");
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);

  it("overdueBy names the missed deadline and whole hours; the resolve deadline wins", () => {
    expect(overdueBy({ firstResponseAt: null, firstResponseDueAt: ago(5.5), resolveDueAt: ago(-2) }, now)).toEqual({
      deadline: "first_response",
      hours: 5,
    });
    expect(overdueBy({ firstResponseAt: null, firstResponseDueAt: ago(10), resolveDueAt: ago(1) }, now)).toEqual({
      deadline: "resolve",
      hours: 1,
    });
    expect(overdueBy({ firstResponseAt: ago(20), firstResponseDueAt: ago(10), resolveDueAt: ago(-1) }, now)).toBeNull();
  });

  it("earnedEscalation: a level per ESCALATE_AFTER_HOURS past the deadline or per K reminders, whichever is higher", () => {
    const rules = { afterHours: 24, afterReminders: 3 };
    expect(earnedEscalation({ resolveDueAt: ago(23), reminders: { count: 2, lastAt: null } }, now, rules)).toEqual({
      level: 0,
      reason: "overdue",
      hoursOverdue: 23,
    });
    expect(earnedEscalation({ resolveDueAt: ago(24), reminders: { count: 0, lastAt: null } }, now, rules)).toEqual({
      level: 1,
      reason: "overdue",
      hoursOverdue: 24,
    });
    expect(earnedEscalation({ resolveDueAt: ago(2), reminders: { count: 3, lastAt: null } }, now, rules)).toEqual({
      level: 1,
      reason: "reminders",
      hoursOverdue: 2,
    });
    expect(earnedEscalation({ resolveDueAt: ago(50), reminders: { count: 3, lastAt: null } }, now, rules)).toEqual({
      level: 2,
      reason: "overdue",
      hoursOverdue: 50,
    });
    expect(earnedEscalation({ resolveDueAt: ago(-5), reminders: { count: 6, lastAt: null } }, now, rules)).toEqual({
      level: 2,
      reason: "reminders",
      hoursOverdue: 0,
    });
  });
});

describe("the weekly performance table on the seeded week (answers worked out in tests/support/seed-reports.ts)", () => {
  it("every cell per region, per department and the totals", async () => {
    await seedWeek();
    const table = await performanceFor({ from: WEEK_FROM, to: WEEK_TO }, WEEK_TO);
    // The seeded week has no field visits: nothing visited, and none of the resolved cases (r1 2, r2 3) had an on-site visit.
    const r1 = {
      received: 4,
      resolved: 2,
      medianFirstResponseHours: 2,
      medianResolveHours: 45,
      withinSlaPct: 50,
      openOverdue: 2,
      avgRating: 4,
      visited: 0,
      resolvedWithVisitPct: 0,
      supporters: 0,
    };
    const r2 = {
      received: 3,
      resolved: 3,
      medianFirstResponseHours: 1,
      medianResolveHours: 20,
      withinSlaPct: 200 / 3,
      openOverdue: 0,
      avgRating: 4.5,
      visited: 0,
      resolvedWithVisitPct: 0,
      supporters: 0,
    };
    const none = {
      received: 1,
      resolved: 0,
      medianFirstResponseHours: null,
      medianResolveHours: null,
      withinSlaPct: null,
      openOverdue: 0,
      avgRating: null,
      visited: 0,
      resolvedWithVisitPct: null,
      supporters: 0,
    };
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
    expect(table.total).toEqual({
      received: 8,
      resolved: 5,
      medianFirstResponseHours: 1.5,
      medianResolveHours: 20,
      withinSlaPct: 60,
      openOverdue: 2,
      avgRating: 4.25,
      visited: 0,
      resolvedWithVisitPct: 0,
      supporters: 0,
    });
    expect(table.from).toEqual(WEEK_FROM);
    expect(table.to).toEqual(WEEK_TO);
  });
});

describe("daily digest figures", () => {
  const FALLBACK = { platform: "telegram" as const, chatId: -1009 };

  it("per chat (card chat first, then the routed chat, then the fallback) and overall", async () => {
    await seedDigestDay();
    const digest = await dailyDigest(DIGEST_AT, FALLBACK, 3);
    const byChat = Object.fromEntries(digest.chats.map((c) => [c.chat.chatId, c.figures]));
    // Unvisited after 3 days (filed at or before h28, open, never visited): only chat A's h10 case.
    expect(byChat).toEqual({
      [CHAT_A.chatId]: { created: 1, resolved: 1, open: 2, overdue: 1, unvisited: 1 },
      [CHAT_B.chatId]: { created: 1, resolved: 0, open: 1, overdue: 1, unvisited: 0 },
      [FALLBACK.chatId]: { created: 1, resolved: 0, open: 1, overdue: 0, unvisited: 0 },
    });
    expect(digest.total).toEqual({ created: 3, resolved: 1, open: 4, overdue: 2, unvisited: 1 });
    const old = (await Report.findOne({ createdAt: h(10), status: "in_progress" }).lean<ReportDoc>())!;
    expect(digest.chats.find((c) => c.chat.chatId === CHAT_A.chatId)!.unvisitedCodes).toEqual([old.code]);
    expect(digest.totalUnvisitedCodes).toEqual([old.code]);
  });

  it("unvisited: a case filed exactly N days ago counts, a younger one does not, a visited one never", async () => {
    await seedDigestDay();
    // 90 hours before DIGEST_AT: old enough for 3 days (72 h) and for 90/24 days exactly, too young for 4 days.
    expect((await dailyDigest(DIGEST_AT, FALLBACK, 4)).total.unvisited).toBe(0);
    await Report.updateOne({ createdAt: h(10), status: "in_progress" }, { $set: { firstVisitAt: h(60) } });
    const visited = await dailyDigest(DIGEST_AT, FALLBACK, 3);
    expect(visited.total.unvisited).toBe(0);
    expect(visited.totalUnvisitedCodes).toEqual([]);
  });

  it("unvisitedCases: open, filed at or before the cutoff, never visited; longest waiting first", () => {
    const cutoff = h(28);
    const c = (code: string, createdAt: Date, status = "new", firstVisitAt: Date | null = null) => ({
      code,
      createdAt,
      status,
      firstVisitAt,
    });
    const rows = [
      c("3", h(20)),
      c("1", h(0)),
      c("2", cutoff, "reopened"),
      c("4", h(29)),
      c("5", h(0), "resolved"),
      c("6", h(0), "assigned", h(5)),
      c("0", h(20), "in_progress"),
    ];
    expect(unvisitedCases(rows, cutoff).map((r) => r.code)).toEqual(["1", "0", "3", "2"]);
  });
});
