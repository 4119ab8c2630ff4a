import { describe, expect, it } from "vitest";
import { visitReport, type VisitStatsRow } from "../../models/report/visit-stats.ts";

const HOUR = 3_600_000;
const range = { from: new Date("2026-01-01T00:00:00Z"), to: new Date("2026-01-08T00:00:00Z") };
const at = (hours: number) => new Date(range.from.getTime() + hours * HOUR);
const OMID = { platform: "telegram", userId: 11, name: "Omid" };
const REZA = { platform: "telegram", userId: 12, name: "Reza" };
const BALE_OMID = { platform: "bale", userId: 11, name: "Omid (Bale)" };

type Visit = VisitStatsRow["visits"][number];
const visit = (hours: number, by: Visit["by"], onSite = true): Visit => ({ at: at(hours), by, onSite });
/** firstVisitAt is what recordVisit writes: the earliest visit's time. */
const row = (regionKey: string, createdHours: number, visits: Visit[]): VisitStatsRow => ({
  regionKey,
  createdAt: at(createdHours),
  firstVisitAt: visits.length ? new Date(Math.min(...visits.map((v) => v.at.getTime()))) : null,
  visits,
});

describe("visitReport", () => {
  /**
   *   case  region  filed   visits (h, who, on site?)              first visit in range → hours
   *   A     r1      h0      h10 Omid ✓                              h10 Omid → 10
   *   B     r1      h5      h20 Omid ✗, h40 Reza ✓                  h20 Omid → 15
   *   C     r1      h-100   h-50 Reza ✓, h60 Omid ✓                 first visit before the range → none
   *   D     r2      h10     h30 Reza ✗                              h30 Reza → 20
   *   E     r2      h-200   h100 Omid ✓                             h100 Omid → 300
   *   F     —       h150    h160 Omid on Bale ✓                     h160 Bale Omid → 10
   *   G     r2      h0      h-1 Reza ✓, h168 Reza ✓ (= to)         nothing in range
   *
   *   r1: visits A1 B2 C1 = 4, on site 3 → 75 %; firsts 10, 15 → 12.5
   *   r2: visits D1 E1 = 2, on site 1 → 50 %; firsts 20, 300 → 160 (G has nothing in range: no row of its own, r2 unchanged)
   *   no region: 1 visit, 100 %; first 10
   *   total: 7 visits, 5 on site → 71.43 %; firsts 10 10 15 20 300 → 15
   *   Omid (telegram): A, B✗, C, E = 4 visits, 3 on site → 75 %; first on A10 B15 E300 → 15
   *   Reza: B✓, D✗ = 2, 50 %; first on D → 20 (C's first visit was his, but before the range)
   *   Omid on Bale is another account: 1 visit, 100 %, first on F → 10
   */
  const rows = [
    row("r1", 0, [visit(10, OMID)]),
    row("r1", 5, [visit(20, OMID, false), visit(40, REZA)]),
    row("r1", -100, [visit(-50, REZA), visit(60, OMID)]),
    row("r2", 10, [visit(30, REZA, false)]),
    row("r2", -200, [visit(100, OMID)]),
    row("", 150, [visit(160, BALE_OMID)]),
    row("r2", 0, [visit(-1, REZA), visit(168, REZA)]),
  ];

  it("per region (no region last), per official (most visits first) and in total", () => {
    const report = visitReport(rows, range);
    expect(report.regions).toEqual([
      { key: "r1", name: "", visits: 4, onSitePct: 75, medianFirstVisitHours: 12.5 },
      { key: "r2", name: "", visits: 2, onSitePct: 50, medianFirstVisitHours: 160 },
      { key: "", name: "", visits: 1, onSitePct: 100, medianFirstVisitHours: 10 },
    ]);
    expect(report.officials).toEqual([
      { key: "telegram:11", name: "Omid", visits: 4, onSitePct: 75, medianFirstVisitHours: 15 },
      { key: "telegram:12", name: "Reza", visits: 2, onSitePct: 50, medianFirstVisitHours: 20 },
      { key: "bale:11", name: "Omid (Bale)", visits: 1, onSitePct: 100, medianFirstVisitHours: 10 },
    ]);
    expect(report.total.visits).toBe(7);
    expect(report.total.onSitePct).toBeCloseTo(500 / 7, 6);
    expect(report.total.medianFirstVisitHours).toBe(15);
    expect([report.from, report.to]).toEqual([range.from, range.to]);
  });

  it("an official's name is the one on their newest visit in the range", () => {
    const renamed = visitReport(
      [row("r1", 0, [visit(50, { ...OMID, name: "Omid Rezaei" })]), row("r1", 0, [visit(10, OMID)])],
      range,
    );
    expect(renamed.officials.map((o) => o.name)).toEqual(["Omid Rezaei"]);
  });

  it("a first visit made off site still starts the clock; firstVisitAt decides when, the earliest visit who", () => {
    const r = { ...row("r1", 0, [visit(30, REZA), visit(8, OMID, false)]) };
    const report = visitReport([r], range);
    expect(report.total).toEqual({ visits: 2, onSitePct: 50, medianFirstVisitHours: 8 });
    expect(report.officials.map((o) => [o.name, o.medianFirstVisitHours])).toEqual([
      ["Omid", 8],
      ["Reza", null],
    ]);
  });

  it("nothing in the range: no rows, zero visits, empty share and median (shown as —)", () => {
    const report = visitReport([row("r1", -100, [visit(-5, OMID)])], range);
    expect(report).toMatchObject({
      regions: [],
      officials: [],
      total: { visits: 0, onSitePct: null, medianFirstVisitHours: null },
    });
    expect(visitReport([], range).total).toEqual({ visits: 0, onSitePct: null, medianFirstVisitHours: null });
  });
});
