import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { Category, ensureDefaultCategories } from "../../models/geography/category.ts";
import { Department, Region, ensureDefaultRegions } from "../../models/geography/region.ts";
import { useTestDb } from "../support/test-db.ts";
import { ROOT, runScript, uriFor } from "./run-script.ts";

const { uri, dbName } = useTestDb({ cleanEach: true });
const seed = (args: string[], env: Record<string, string> = {}) =>
  runScript("seed", args, { MONGODB_URI: uriFor(uri, dbName), ...env });
/** The output minus the progress counts (one per write here, as the totals are small). */
const withoutProgress = (run: { code: number | null; output: string }) => ({
  code: run.code,
  output: run.output.replace(/^seed: \d+\/\d+\n/gm, ""),
});

const karaj = JSON.parse(readFileSync(path.join(ROOT, "data-seed/karaj.json"), "utf8")) as {
  departments: unknown[];
  categories: unknown[];
  regions: unknown[];
};
const ALL_UNCHANGED =
  "departments: 0 inserted, 0 updated, 9 unchanged\ncategories: 0 inserted, 0 updated, 9 unchanged\nregions: 0 inserted, 0 updated, 4 unchanged\n";

function tempFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "seed-")), "seed.json");
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

type Row = { key: string } & Record<string, unknown>;
/** What the three seeded collections hold, without ids and timestamps. */
async function snapshot() {
  const strip = { _id: 0, __v: 0, createdAt: 0, updatedAt: 0 };
  return {
    departments: await Department.find({}, strip).sort({ key: 1 }).lean<Row[]>(),
    categories: await Category.find({}, strip).sort({ key: 1 }).lean<Row[]>(),
    regions: await Region.find({}, strip).sort({ key: 1 }).lean<Row[]>(),
  };
}

// Tests change the seeded collections, which clearData keeps: back to the bot's defaults each time.
beforeEach(async () => {
  await Department.deleteMany({});
  await Category.deleteMany({});
  await Region.deleteMany({});
  await ensureDefaultCategories();
  await ensureDefaultRegions();
});

describe("npm run seed (scripts/seed.ts as a child process)", { timeout: 90_000 }, () => {
  it("--help prints the usage; bad arguments and unreadable files are one line and exit 1", async () => {
    const help = await seed(["--help"]);
    expect(help.code).toBe(0);
    expect(help.output.split("\n")[0]).toBe("Usage: npm run seed -- [--file data-seed/karaj.json] [--dry-run] [--yes]");

    const bad = await seed(["--bogus"]);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/^Unknown option '--bogus'[^\n]*\(see --help\)\n$/);

    const missing = await seed(["--file", "/nonexistent/seed.json"]);
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/^cannot read \/nonexistent\/seed\.json: ENOENT[^\n]*\n$/);

    const notJson = await seed(["--file", tempFile("{ nope")]);
    expect(notJson.code).toBe(1);
    expect(notJson.output).toMatch(/^\S+seed\.json is not valid JSON: [^\n]+\n$/);

    const noDb = await seed([], { MONGODB_URI: "" });
    expect(noDb).toEqual({
      code: 1,
      output:
        "MONGODB_URI is not set: point it at the bot's MongoDB (in .env or the environment; the sandbox prints its URI)\n",
    });
  });

  it("inserts what is missing, updates what differs (--yes), and a second run changes nothing", async () => {
    await Category.deleteMany({ key: { $in: ["road", "water"] } });
    await Region.deleteOne({ key: "r4" });
    await Department.updateOne({ key: "roads" }, { $set: { "name.en": "Old name" } });
    await Category.updateOne({ key: "garbage" }, { $set: { slaHours: 1, active: false } });

    const first = await seed(["--yes"]);
    expect(first.output).toContain("seed: 5/5\n");
    expect(withoutProgress(first)).toEqual({
      code: 0,
      output: [
        "update departments/roads: name",
        "insert categories/road",
        "insert categories/water",
        "update categories/garbage: slaHours, active",
        "insert regions/r4",
        "departments: 0 inserted, 1 updated, 8 unchanged",
        "categories: 2 inserted, 1 updated, 6 unchanged",
        "regions: 1 inserted, 0 updated, 3 unchanged",
        "",
      ].join("\n"),
    });
    const db = await snapshot();
    // The file's categories as stored: a category that asks no extra question holds the schema's empty list.
    expect(db.categories).toEqual(
      [...karaj.categories]
        .map((c) => ({ attributes: [], ...(c as { key: string }) }))
        .sort((a, b) => (a.key < b.key ? -1 : 1)),
    );
    expect(db.departments.find((d) => d.key === "roads")?.name).toEqual({
      fa: "معاونت عمرانی (راه و آسفالت)",
      en: "Roads",
    });
    expect(db.regions.map((r) => r.key)).toEqual(["r1", "r2", "r3", "r4"]);
    expect(db.regions[3]).toMatchObject({
      boundary: (karaj.regions[3] as { boundary: unknown }).boundary,
      chat: { platform: "", chatId: 0 },
      active: true,
    });

    const second = await seed([]);
    expect(second).toEqual({ code: 0, output: ALL_UNCHANGED });
    expect(await snapshot()).toEqual(db);
  });

  it("--dry-run lists the changes and writes nothing", async () => {
    await Category.deleteOne({ key: "road" });
    await Category.updateOne({ key: "garbage" }, { $set: { slaHours: 1 } });
    const before = await snapshot();
    const dry = await seed(["--dry-run", "--file", "data-seed/karaj.json"]);
    expect(dry).toEqual({
      code: 0,
      output: [
        "insert categories/road",
        "update categories/garbage: slaHours",
        "departments: 0 to insert, 0 to update, 9 unchanged",
        "categories: 1 to insert, 1 to update, 7 unchanged",
        "regions: 0 to insert, 0 to update, 4 unchanged",
        "dry run: nothing written",
        "",
      ].join("\n"),
    });
    expect(await snapshot()).toEqual(before);
  });

  it("updating existing documents without --yes and without a terminal refuses and writes nothing (not even the inserts)", async () => {
    await Category.deleteOne({ key: "road" });
    await Category.updateOne({ key: "garbage" }, { $set: { slaHours: 1 } });
    const before = await snapshot();
    const refused = await seed([]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(
      "overwrite 1 existing document(s) with the file's values? — refusing without a terminal; pass --yes to confirm\nnothing written\n",
    );
    expect(await snapshot()).toEqual(before);
  });

  it("inserting only needs no confirmation; a chat and a MultiPolygon are stored", async () => {
    const square = [
      [51, 35.8],
      [51.1, 35.8],
      [51.1, 35.9],
      [51, 35.9],
      [51, 35.8],
    ];
    const file = tempFile({
      departments: [{ key: "fire", name: { fa: "آتش‌نشانی", en: "Fire" }, chat: { platform: "bale", chatId: -1001 } }],
      categories: [{ key: "smoke", title: { fa: "دود", en: "Smoke" }, department: "fire", slaHours: 2, order: 5 }],
      regions: [
        {
          key: "r9",
          name: { fa: "۹", en: "Nine" },
          boundary: { type: "MultiPolygon", coordinates: [[square]] },
          chat: { platform: "telegram", chatId: -42 },
        },
      ],
    });
    const run = await seed(["--file", file]);
    expect(withoutProgress(run)).toEqual({
      code: 0,
      output:
        "insert departments/fire\ninsert categories/smoke\ninsert regions/r9\ndepartments: 1 inserted, 0 updated, 0 unchanged\ncategories: 1 inserted, 0 updated, 0 unchanged\nregions: 1 inserted, 0 updated, 0 unchanged\n",
    });
    expect(
      await Category.findOne(
        { key: "smoke" },
        { _id: 0, key: 1, department: 1, slaHours: 1, order: 1, active: 1 },
      ).lean(),
    ).toEqual({ key: "smoke", department: "fire", slaHours: 2, order: 5, active: true });
    expect(await Region.findOne({ key: "r9" }, { _id: 0, boundary: 1, chat: 1 }).lean()).toEqual({
      boundary: { type: "MultiPolygon", coordinates: [[square]] },
      chat: { platform: "telegram", chatId: -42 },
    });
    expect(await Department.findOne({ key: "fire" }, { _id: 0, chat: 1 }).lean()).toEqual({
      chat: { platform: "bale", chatId: -1001 },
    });
    expect((await seed(["--file", file])).output).toBe(
      "departments: 0 inserted, 0 updated, 1 unchanged\ncategories: 0 inserted, 0 updated, 1 unchanged\nregions: 0 inserted, 0 updated, 1 unchanged\n",
    );
  });

  it("an invalid file: every problem with its path, exit 1, nothing written", async () => {
    const before = await snapshot();
    const file = tempFile({
      ...karaj,
      categories: [
        ...karaj.categories,
        { key: "road", title: { fa: "x", en: "x" }, department: "ghosts", slaHours: "soon" },
      ],
      regions: [
        ...karaj.regions.slice(0, 2),
        {
          key: "r5",
          name: { fa: "x", en: "x" },
          boundary: {
            type: "Polygon",
            coordinates: [
              [
                [51, 35.8],
                [51.1, 35.8],
                [51.1, 35.9],
                [51, 35.9],
              ],
              [
                [51, 35],
                [181, 35],
                [51, 35],
              ],
            ],
          },
        },
      ],
    });
    const bad = await seed(["--file", file, "--yes"]);
    expect(bad.code).toBe(1);
    expect(bad.output).toBe(
      [
        `${file}: 6 problem(s); nothing written`,
        "  categories[9].slaHours: Invalid input: expected number, received string",
        "  regions[2].boundary.coordinates[0]: ring must be closed (last position = first)",
        "  regions[2].boundary.coordinates[1][1][0]: longitude must be between -180 and 180",
        "  regions[2].boundary.coordinates[1]: ring needs at least 4 positions (has 3)",
        '  categories[9].key: duplicate key "road" (also categories[0])',
        `  categories[9].department: unknown department "ghosts" (not in the file's departments nor the database)`,
        "",
      ].join("\n"),
    );
    expect(await snapshot()).toEqual(before);
  });
});
