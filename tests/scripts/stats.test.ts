import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { seedWeek, WEEK_FROM, WEEK_TO } from "../support/seed-reports.ts";
import { runScript, uriFor } from "./run-script.ts";
import type { PerformanceTable } from "../../models/report/stats.ts";

const { uri, dbName } = useTestDb({ cleanEach: true });

const stats = (args: string[], env: Record<string, string> = {}) =>
  runScript("stats", args, { MONGODB_URI: uriFor(uri, dbName), TZ_NAME: "Asia/Tehran", DEFAULT_LOCALE: "fa", ...env });
const WEEK = ["--from", WEEK_FROM.toISOString(), "--to", WEEK_TO.toISOString()];

/** The figures of the seeded week (see the comment on seedWeek); no field visits in it: 0 visited, 0 % of the resolved. */
const CSV = [
  "section,key,received,resolved,median_first_response_hours,median_resolve_hours,within_sla_pct,open_overdue,avg_rating,visited,resolved_with_onsite_visit_pct,supporters",
  "region,r1,4,2,2,45,50,2,4,0,0,0",
  "region,r2,3,3,1,20,66.67,0,4.5,0,0,0",
  "region,,1,0,,,,0,,0,,0",
  "department,general,1,0,,,,0,,0,,0",
  "department,lighting,3,3,1,20,66.67,0,4.5,0,0,0",
  "department,roads,4,2,2,45,50,2,4,0,0,0",
  "total,,8,5,1.5,20,60,2,4.25,0,0,0",
];

/** A number line of the monospace table: every cell right-aligned in 7 columns. */
const cells = (...values: string[]) => values.map((v) => v.padStart(7)).join("");

// Each case spawns a tsx child (a second or two apiece): a wider budget than the default.
describe("npm run stats (scripts/stats.ts as a child process)", { timeout: 180_000 }, () => {
  it("--help: usage, exit 0", async () => {
    const help = await stats(["--help"]);
    expect(help.code).toBe(0);
    expect(help.output.split("\n")[0]).toBe(
      "Usage: npm run stats -- [--from <date>] [--to <date>] [--format text|csv|json] [--lang fa|en]",
    );
  });

  it("--format csv: the week's known figures per region, per department and in total", async () => {
    await seedWeek();
    const r = await stats([...WEEK, "--format", "csv"]);
    expect(r).toEqual({ code: 0, output: `${CSV.join("\n")}\n` });
  });

  it("--format json: the performance table", async () => {
    await seedWeek();
    const r = await stats([...WEEK, "--format", "json"]);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.output) as PerformanceTable;
    expect(t.from).toBe(WEEK_FROM.toISOString());
    expect(t.to).toBe(WEEK_TO.toISOString());
    expect(t.regions.map((x) => x.key)).toEqual(["r1", "r2", ""]);
    expect(t.regions[0]).toEqual({
      key: "r1",
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
    });
    expect(t.regions[1]).toMatchObject({
      key: "r2",
      received: 3,
      resolved: 3,
      medianFirstResponseHours: 1,
      medianResolveHours: 20,
      openOverdue: 0,
      avgRating: 4.5,
      visited: 0,
      resolvedWithVisitPct: 0,
      supporters: 0,
    });
    expect(t.regions[1]!.withinSlaPct).toBeCloseTo(66.667, 2);
    expect(t.total).toEqual({
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
    expect(t.departments.map((x) => [x.key, x.received])).toEqual([
      ["general", 1],
      ["lighting", 3],
      ["roads", 4],
    ]);
  });

  it("text (default) in English: the monospace table as plain text, titled with the range's dates, with the right rows", async () => {
    await seedWeek();
    const r = await stats([...WEEK, "--lang", "en"]);
    expect(r.code).toBe(0);
    const lines = r.output.split("\n");
    expect(r.output).not.toMatch(/<\/?(b|pre)>/);
    // Titled with the range's dates (the week's last day is the one before the exclusive --to), never "weekly".
    expect(lines).toContain("📊 Performance by region, Aban 30, 1405 AP to Azar 7, 1405 AP");
    expect(lines).toContain("📊 Performance by department, Aban 30, 1405 AP to Azar 7, 1405 AP");
    expect(r.output).not.toMatch(/weekly/i);
    const after = (name: string, from = 0) => lines[lines.indexOf(name, from) + 1];
    expect(after("District 1 (north-west)")).toBe(cells("4", "2", "2", "45", "50%", "2", "4.0", "0", "0%", "0"));
    expect(after("District 2 (north-east)")).toBe(cells("3", "3", "1", "20", "67%", "0", "4.5", "0", "0%", "0"));
    expect(after("No region")).toBe(cells("1", "0", "—", "—", "—", "0", "—", "0", "—", "0"));
    expect(after("Roads")).toBe(cells("4", "2", "2", "45", "50%", "2", "4.0", "0", "0%", "0"));
    expect(after("Total")).toBe(cells("8", "5", "1.5", "20", "60%", "2", "4.3", "0", "0%", "0"));
  });

  it("text in Persian (the default language): Persian names and digits", async () => {
    await seedWeek();
    const r = await stats(WEEK);
    expect(r.code).toBe(0);
    const lines = r.output.split("\n");
    expect(lines[0]).toBe("📊 کارنامه مناطق، ۳۰ آبان ۱۴۰۵ تا ۷ آذر ۱۴۰۵");
    const i = lines.indexOf("\u200fمنطقه ۱ (شمال غرب)");
    expect(i).toBeGreaterThan(-1);
    expect(lines[i + 1]).toBe(`\u200f${cells("۴", "۲", "۲", "۴۵", "۵۰٪", "۲", "۴٫۰", "۰", "۰٪", "۰")}`);
  });

  it("default range (the last 7 days) runs; YYYY-MM-DD dates are accepted", async () => {
    const r = await stats(["--format", "csv"]);
    expect(r).toEqual({ code: 0, output: `${CSV[0]}\ntotal,,0,0,,,,0,,0,,0\n` });
    const days = await stats(["--from", "2026-11-21", "--to", "2026-11-27", "--format", "csv"]);
    expect(days.code).toBe(0);
  });

  it("Jalali --from/--to (30 Aban – 6 Azar 1405, Persian digits too) give exactly the table of the same Tehran days written in Gregorian", async () => {
    await seedWeek();
    const [gregorian, jalali, persianDigits] = await Promise.all([
      stats(["--from", "2026-11-21", "--to", "2026-11-27", "--format", "csv"]),
      stats(["--from", "1405-08-30", "--to", "1405-09-06", "--format", "csv"]),
      stats(["--from", "۱۴۰۵-۰۸-۳۰", "--to", "۱۴۰۵-۰۹-۰۶", "--format", "csv"]),
    ]);
    expect(gregorian.code).toBe(0);
    expect(gregorian.output).not.toContain("total,,0,0,");
    expect(jalali).toEqual(gregorian);
    expect(persianDigits).toEqual(gregorian);
    // "--to 1405-09-06" takes in that whole day: the title ends on it.
    const text = await stats(["--from", "1405-08-30", "--to", "1405-09-06"]);
    expect(text.output.split("\n")[0]).toBe("📊 کارنامه مناطق، ۳۰ آبان ۱۴۰۵ تا ۶ آذر ۱۴۰۵");
  });

  it("--help says the dates may be Jalali", async () => {
    const help = await stats(["--help"]);
    expect(help.output).toMatch(/--from <date> .*Jalali \(e\.g\. 1405-09-01: a year below 1700\)/);
  });

  it("bad arguments: exit 1 with one line", async () => {
    const bad = await Promise.all([
      stats(["--format", "xml"]),
      stats(["--lang", "de"]),
      stats(["--from", "last week"]),
      stats(["--from", "2026-11-28", "--to", "2026-11-01"]),
      stats(["--days", "7"]),
    ]);
    expect(bad.map((r) => r.code)).toEqual([1, 1, 1, 1, 1]);
    expect(bad.slice(0, 4).map((r) => r.output)).toEqual([
      `--format "xml" is not one of text, csv, json\n`,
      `--lang "de" is not one of fa, en\n`,
      `--from "last week" is not a date (YYYY-MM-DD Jalali or Gregorian, e.g. 1405-09-01 or 2026-11-22, or ISO, e.g. 2026-11-28T05:30:00Z)\n`,
      "--from must be before --to\n",
    ]);
    expect(bad[4]!.output).toMatch(/^[^\n]*--days[^\n]*\(see --help\)\n$/);
  });

  it("an unreachable MongoDB: exit 1 with one line", async () => {
    const down = await stats(["--format", "csv"], { MONGODB_URI: "mongodb://127.0.0.1:1/c137" });
    expect(down.code).toBe(1);
    expect(down.output).toMatch(/^cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:1\/c137: .+\n$/);
  });
});
