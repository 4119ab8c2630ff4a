import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { runScript, uriFor } from "./run-script.ts";

const { uri, dbName } = useTestDb({ cleanEach: true });
const migrate = (args: string[], env: Record<string, string> = {}) =>
  runScript("migrate", args, { MONGODB_URI: uriFor(uri, dbName), ...env });
const withoutProgress = (run: { code: number | null; output: string }) => ({
  code: run.code,
  output: run.output.replace(/^migrate: \d+\/\d+\n/gm, ""),
});
const db = () => mongoose.connection.db!;
const recorded = async () =>
  await db()
    .collection("migrations")
    .find({}, { projection: { _id: 0, appliedAt: 0 } })
    .sort({ id: 1 })
    .toArray();

/** A folder of migrations; each body is the code of `up(db)`. */
function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "migrations-"));
  for (const [file, body] of Object.entries(files)) {
    const [, num, name] = /^(\d{3})-(.+)\.ts$/.exec(file)!;
    writeFileSync(
      path.join(dir, file),
      `export const id = ${Number(num)};\nexport const name = ${JSON.stringify(name)};\nexport async function up(db) {\n${body}\n}\n`,
    );
  }
  return dir;
}
const insertThing = (n: number) => `await db.collection("things").insertOne({ n: ${n} }); return "thing ${n}";`;

describe("npm run migrate (scripts/migrate.ts as a child process)", { timeout: 120_000 }, () => {
  it("--help; bad arguments are one line and exit 1", async () => {
    const help = await migrate(["--help"]);
    expect(help.code).toBe(0);
    expect(help.output.split("\n")[0]).toBe("Usage: npm run migrate -- [--to N] [--dry-run]");
    expect(await migrate(["--to", "two"])).toEqual({
      code: 1,
      output: '--to "two" is not a migration number (e.g. --to 3)\n',
    });
    const bad = await migrate(["--force"]);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/^Unknown option '--force'[^\n]*\(see --help\)\n$/);
  });

  it("001-report-defaults backfills old reports where missing, keeps set values, is recorded and never runs twice", async () => {
    const reports = db().collection("reports");
    // Documents as older code wrote them: none of the staff-workflow fields, or some of them.
    await reports.insertMany([
      { code: "1000001", submissionKey: "k1", status: "new" },
      {
        code: "1000002",
        submissionKey: "k2",
        status: "assigned",
        priority: 2,
        regionKey: "r1",
        reminders: { count: 3, lastAt: new Date("2026-01-01T00:00:00Z") },
      },
      {
        code: "1000003",
        submissionKey: "k3",
        status: "new",
        priority: 0,
        escalationLevel: 1,
        reminders: null,
        regionKey: "",
      },
    ]);
    const dry = await migrate(["--dry-run"]);
    expect(dry).toEqual({
      code: 0,
      output:
        "pending 001-report-defaults\npending 002-visit-policy\npending 003-drop-processed-updates\npending 004-history-facts\npending 005-category-attributes\ndry run: nothing applied\n",
    });
    expect(await reports.findOne({ code: "1000001" }, { projection: { _id: 0 } })).toEqual({
      code: "1000001",
      submissionKey: "k1",
      status: "new",
    });
    expect(await recorded()).toEqual([]);

    const run = await migrate([]);
    expect(withoutProgress(run)).toEqual({
      code: 0,
      output:
        "applied 001-report-defaults: reports backfilled: priority 1, escalationLevel 2, reminders 2, regionKey 1\napplied 002-visit-policy: categories: 0 given a visit policy; reports backfilled: 3\napplied 003-drop-processed-updates: processed_updates: not present\napplied 004-history-facts: history entries given facts: 0 in 0 report(s)\napplied 005-category-attributes: categories given their extra questions: 0\n",
    });
    const after = await reports
      .find({}, { projection: { _id: 0, code: 1, priority: 1, escalationLevel: 1, reminders: 1, regionKey: 1 } })
      .sort({ code: 1 })
      .toArray();
    expect(after).toEqual([
      { code: "1000001", priority: 0, escalationLevel: 0, reminders: { count: 0, lastAt: null }, regionKey: "" },
      {
        code: "1000002",
        priority: 2,
        escalationLevel: 0,
        reminders: { count: 3, lastAt: new Date("2026-01-01T00:00:00Z") },
        regionKey: "r1",
      },
      { code: "1000003", priority: 0, escalationLevel: 1, reminders: { count: 0, lastAt: null }, regionKey: "" },
    ]);
    expect(await recorded()).toEqual([
      { id: 1, name: "report-defaults" },
      { id: 2, name: "visit-policy" },
      { id: 3, name: "drop-processed-updates" },
      { id: 4, name: "history-facts" },
      { id: 5, name: "category-attributes" },
    ]);
    expect((await db().collection("migrations").findOne({ id: 1 }))?.appliedAt).toBeInstanceOf(Date);

    // A report written without the fields after the migration ran: an applied migration stays applied.
    await reports.insertOne({ code: "1000004", submissionKey: "k4", status: "new" });
    expect(await migrate([])).toEqual({ code: 0, output: "nothing to apply (5 migration(s) known)\n" });
    expect(await reports.findOne({ code: "1000004" }, { projection: { _id: 0 } })).toEqual({
      code: "1000004",
      submissionKey: "k4",
      status: "new",
    });
  });

  it("003-drop-processed-updates drops the old duplicate-update guard's collection (the inbox replaces it); a second run finds nothing", async () => {
    await db()
      .collection("processed_updates")
      .insertMany([
        { _id: "telegram:1" as never, at: new Date() },
        { _id: "telegram:2" as never, at: new Date() },
      ]);
    const run = await migrate([]);
    expect(withoutProgress(run).output.split("\n")[2]).toBe(
      "applied 003-drop-processed-updates: processed_updates: dropped (2 update ids; the inbox recognises redeliveries now)",
    );
    expect(await db().listCollections({ name: "processed_updates" }).toArray()).toEqual([]);
  });

  it("002-visit-policy gives stored categories the seeded visit policy where missing, keeps an admin's choice, and backfills reports", async () => {
    const categories = db().collection("categories");
    // As stored before visits existed (the test database starts with today's defaults).
    await categories.deleteMany({});
    await categories.insertMany([
      { key: "road", department: "roads" },
      { key: "water", department: "water", requiresVisit: false }, // an admin turned it off
      { key: "garbage", department: "cleaning" },
      { key: "potholes-2", department: "roads" }, // an admin's own category
    ]);
    await db()
      .collection("reports")
      .insertMany([
        { code: "1000001", submissionKey: "k1", status: "new" },
        {
          code: "1000002",
          submissionKey: "k2",
          status: "new",
          visits: [{ onSite: true }],
          firstVisitAt: new Date("2026-01-01T00:00:00Z"),
        },
      ]);
    const run = await migrate([]);
    expect(withoutProgress(run).output.split("\n")[1]).toBe(
      "applied 002-visit-policy: categories: 3 given a visit policy; reports backfilled: 1",
    );
    const policy = await categories
      .find({}, { projection: { _id: 0, key: 1, requiresVisit: 1 } })
      .sort({ key: 1 })
      .toArray();
    expect(policy).toEqual([
      { key: "garbage", requiresVisit: false },
      { key: "potholes-2", requiresVisit: false },
      { key: "road", requiresVisit: true },
      { key: "water", requiresVisit: false },
    ]);
    const reports = await db()
      .collection("reports")
      .find({}, { projection: { _id: 0, code: 1, visits: 1, firstVisitAt: 1 } })
      .sort({ code: 1 })
      .toArray();
    expect(reports).toEqual([
      { code: "1000001", visits: [], firstVisitAt: null },
      { code: "1000002", visits: [{ onSite: true }], firstVisitAt: new Date("2026-01-01T00:00:00Z") },
    ]);
  });

  it("004-history-facts turns the English words old code stored as history notes into facts, keeps what people typed, and a second run finds nothing", async () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const entry = (kind: string, to: string, note: string, extra: Record<string, unknown> = {}) => ({
      at,
      kind,
      by: { kind: "citizen", platform: "telegram", id: 1, name: "Sara" },
      from: "resolved",
      to,
      note,
      public: true,
      eventKey: "",
      ...extra,
    });
    const reports = db().collection("reports");
    await reports.insertMany([
      {
        code: "1000001",
        submissionKey: "k1",
        status: "resolved",
        duplicateOf: "",
        history: [
          entry("status", "new", ""),
          entry("visit", "in_progress", "33 m"),
          entry("status", "resolved", "Pipe replaced: 33 m of it"), // typed by an official: kept
          entry("status", "reopened", "not fixed"),
          entry("escalation", "reopened", "not_fixed"),
          entry("escalation", "reopened", "overdue"),
          entry("reminder", "resolved", "feedback"),
          entry("feedback", "resolved", "fixed"),
          entry("feedback", "resolved", "rating 5", { public: false }),
          entry("note", "resolved", "fixed"), // a public note that happens to say "fixed": a person wrote it
        ],
      },
      {
        code: "1000002",
        submissionKey: "k2",
        status: "duplicate",
        duplicateOf: "20589305",
        history: [entry("status", "duplicate", "20589305"), entry("status", "rejected", "12345678")],
      },
      { code: "1000003", submissionKey: "k3", status: "new", history: [entry("status", "new", "")] },
    ]);
    const run = await migrate([]);
    expect(withoutProgress(run).output.split("\n")[3]).toBe(
      "applied 004-history-facts: history entries given facts: 8 in 2 report(s)",
    );
    const none = { fixed: null, rating: null, distanceM: null, reason: "", duplicateOf: "" };
    const first = (await reports.findOne({ code: "1000001" }))!.history as {
      kind: string;
      note: string;
      facts?: unknown;
      public: boolean;
    }[];
    expect(first.map((h) => [h.kind, h.note, h.facts ?? null])).toEqual([
      ["status", "", null],
      ["visit", "", { ...none, distanceM: 33 }],
      ["status", "Pipe replaced: 33 m of it", null],
      ["status", "", { ...none, fixed: false }],
      ["escalation", "", { ...none, reason: "not_fixed" }],
      ["escalation", "", { ...none, reason: "overdue" }],
      ["reminder", "", { ...none, reason: "feedback" }],
      ["feedback", "", { ...none, fixed: true }],
      ["feedback", "", { ...none, rating: 5 }],
      ["note", "fixed", null],
    ]);
    // Everything else about an entry stays as it was.
    expect(first[8]).toMatchObject({ public: false, by: { name: "Sara" }, at });
    const second = (await reports.findOne({ code: "1000002" }))!.history as { note: string; facts?: unknown }[];
    expect(second.map((h) => [h.note, h.facts ?? null])).toEqual([
      ["", { ...none, duplicateOf: "20589305" }],
      ["12345678", null], // a rejection reason, not a duplicate's original
    ]);
    expect(await reports.findOne({ code: "1000003" }, { projection: { _id: 0, history: 1 } })).toEqual({
      history: [entry("status", "new", "")],
    });

    // The migration run again (as a failed later one would make it): nothing left to convert.
    await db().collection("migrations").deleteOne({ id: 4 });
    expect(withoutProgress(await migrate([])).output).toBe(
      "applied 004-history-facts: history entries given facts: 0 in 0 report(s)\n",
    );
  });

  it("applies in order up to --to; a failing migration stops the run, is not recorded, exit 1 naming it", async () => {
    const dir = migrationsDir({
      "001-first.ts": insertThing(1),
      "002-second.ts": insertThing(2),
      "003-boom.ts": `throw new Error("boom");`,
      "004-after.ts": insertThing(4),
    });
    const upTo2 = await migrate(["--dir", dir, "--to", "2"]);
    expect(withoutProgress(upTo2)).toEqual({
      code: 0,
      output: "applied 001-first: thing 1\napplied 002-second: thing 2\n",
    });
    expect(await recorded()).toEqual([
      { id: 1, name: "first" },
      { id: 2, name: "second" },
    ]);
    expect(await migrate(["--dir", dir, "--to", "2"])).toEqual({
      code: 0,
      output: "nothing to apply (4 migration(s) known, up to 2)\n",
    });
    expect(await migrate(["--dir", dir, "--dry-run"])).toEqual({
      code: 0,
      output: "pending 003-boom\npending 004-after\ndry run: nothing applied\n",
    });

    for (let attempt = 0; attempt < 2; attempt++) {
      const failed = await migrate(["--dir", dir]);
      expect(withoutProgress(failed)).toEqual({
        code: 1,
        output: "migration 003-boom failed: boom (not recorded; later migrations not run)\n",
      });
      expect(await recorded()).toEqual([
        { id: 1, name: "first" },
        { id: 2, name: "second" },
      ]);
      expect(
        await db()
          .collection("things")
          .find({}, { projection: { _id: 0 } })
          .sort({ n: 1 })
          .toArray(),
      ).toEqual([{ n: 1 }, { n: 2 }]);
    }
  });

  it("a migration file whose exports do not match its name: one line, exit 1, nothing applied", async () => {
    const dir = migrationsDir({ "001-first.ts": insertThing(1) });
    writeFileSync(
      path.join(dir, "002-second.ts"),
      `export const id = 3;\nexport const name = "second";\nexport async function up() {}\n`,
    );
    const run = await migrate(["--dir", dir]);
    expect(run).toEqual({
      code: 1,
      output: `cannot load migrations from ${dir}: 002-second.ts exports id 3 and name "second"; expected 2 and "second"\n`,
    });
    expect(await recorded()).toEqual([]);
  });
});
