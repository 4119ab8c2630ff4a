import mongoose from "mongoose";
import { afterEach, describe, expect, it } from "vitest";
import { Citizen } from "../../models/people/citizen.ts";
import { MODELS } from "../../models/infra/db.ts";
import { Report } from "../../models/report/report.ts";
import { Category } from "../../models/geography/category.ts";
import { useTestDb } from "../support/test-db.ts";
import { runScript, uriFor } from "./run-script.ts";

const { uri, dbName } = useTestDb({ cleanEach: true });
const indexes = (args: string[], env: Record<string, string> = {}) =>
  runScript("indexes", args, { MONGODB_URI: uriFor(uri, dbName), ...env });
/** The output minus progress counts ("creating: 1/2"). */
const withoutProgress = (run: { code: number | null; output: string }) => ({
  code: run.code,
  output: run.output.replace(/^(creating|dropping): \d+\/\d+\n/gm, ""),
});
const names = async (model: { listIndexes(): Promise<{ name: string }[]> }) =>
  (await model.listIndexes()).map((i) => i.name).sort();

const IN_SYNC = MODELS.map((m) => `${m.collection.collectionName}: in sync\n`).join("");
const inSyncBut = (lines: Record<string, string[]>) =>
  MODELS.map(
    (m) =>
      lines[m.collection.collectionName]?.map((l) => `${m.collection.collectionName}: ${l}\n`).join("") ??
      `${m.collection.collectionName}: in sync\n`,
  ).join("");

/** Drift: a declared index gone (a unique one too), one nobody declares added. */
async function drift(): Promise<void> {
  await Report.collection.dropIndex("status_1_resolveDueAt_1");
  await Category.collection.dropIndex("key_1");
  await Citizen.collection.createIndex({ foo: 1 });
}

const DRIFT_LINES = {
  categories: ['missing key_1 {"key":1} {"unique":true}'],
  citizens: ['unexpected foo_1 {"foo":1}'],
  reports: ['missing status_1_resolveDueAt_1 {"status":1,"resolveDueAt":1}'],
};

// Index changes outlive clearData: every test ends with the declared indexes and nothing else.
afterEach(async () => {
  if ((await names(Citizen)).includes("foo_1")) await Citizen.collection.dropIndex("foo_1");
  for (const m of MODELS) await m.createIndexes();
});

describe("npm run indexes (scripts/indexes.ts as a child process)", { timeout: 120_000 }, () => {
  it("--help; bad arguments are one line and exit 1; an unreachable database is one line", async () => {
    const help = await indexes(["-h"]);
    expect(help.code).toBe(0);
    expect(help.output.split("\n")[0]).toBe(
      "Usage: npm run indexes -- [--apply] [--drop-unexpected] [--dry-run] [--yes]",
    );
    const bad = await indexes(["--aply"]);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/^Unknown option '--aply'[^\n]*\(see --help\)\n$/);
    const down = await indexes([], { MONGODB_URI: "mongodb://127.0.0.1:1/c137" });
    expect(down.code).toBe(1);
    expect(down.output).toMatch(/^cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:1\/c137: [^\n]+\n$/);
  });

  it("in sync: every collection says so, exit 0", async () => {
    expect(await indexes([])).toEqual({ code: 0, output: `${IN_SYNC}indexes in sync\n` });
  });

  it("lists missing and unexpected indexes, exit 1, changes nothing; --dry-run says what it would do", async () => {
    await drift();
    const before = { reports: await names(Report), categories: await names(Category), citizens: await names(Citizen) };
    expect(await indexes([])).toEqual({
      code: 1,
      output: `${inSyncBut(DRIFT_LINES)}not in sync: 2 missing, 1 unexpected\n`,
    });
    const dry = await indexes(["--apply", "--drop-unexpected", "--dry-run"]);
    expect(dry).toEqual({
      code: 1,
      output: `${inSyncBut(DRIFT_LINES)}citizens: would drop foo_1\ncategories: would create key_1\nreports: would create status_1_resolveDueAt_1\nnot in sync: 2 missing, 1 unexpected (dry run: nothing changed)\n`,
    });
    expect({ reports: await names(Report), categories: await names(Category), citizens: await names(Citizen) }).toEqual(
      before,
    );
  });

  it("--apply creates the missing ones (exit 1 while an unexpected one stays); --drop-unexpected asks, then --yes drops", async () => {
    await drift();
    const applied = await indexes(["--apply"]);
    expect(withoutProgress(applied)).toEqual({
      code: 1,
      output: `${inSyncBut(DRIFT_LINES)}categories: created key_1\nreports: created status_1_resolveDueAt_1\nnot in sync: 0 missing, 1 unexpected\n`,
    });
    expect(await names(Report)).toContain("status_1_resolveDueAt_1");
    expect((await Category.listIndexes()).find((i) => i.name === "key_1")).toMatchObject({
      key: { key: 1 },
      unique: true,
    });

    const refused = await indexes(["--drop-unexpected"]);
    expect(refused.code).toBe(1);
    // stderr (the refusal) and stdout (the summary) are separate pipes: their order in the output varies.
    expect(refused.output).toContain(
      "drop 1 unexpected index(es)? — refusing without a terminal; pass --yes to confirm\n",
    );
    expect(refused.output).toContain("not in sync: 0 missing, 1 unexpected\n");
    expect(await names(Citizen)).toContain("foo_1");

    const dropped = await indexes(["--drop-unexpected", "--yes"]);
    expect(withoutProgress(dropped)).toEqual({
      code: 0,
      output: `${inSyncBut({ citizens: DRIFT_LINES.citizens })}citizens: dropped foo_1\nindexes in sync\n`,
    });
    expect(await names(Citizen)).not.toContain("foo_1");
    expect(await indexes([])).toEqual({ code: 0, output: `${IN_SYNC}indexes in sync\n` });
  });

  it("a collection that does not exist yet: all its indexes are missing, --apply creates it with them", async () => {
    await mongoose.connection.db!.dropCollection("citizens");
    const run = await indexes(["--apply"]);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/^citizens: missing /m);
    expect(run.output).toMatch(/^citizens: created /m);
    expect(withoutProgress(run).output.endsWith("indexes in sync\n")).toBe(true);
    expect(await indexes([])).toEqual({ code: 0, output: `${IN_SYNC}indexes in sync\n` });
  });
});
