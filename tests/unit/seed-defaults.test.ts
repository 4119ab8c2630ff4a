import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_CATEGORIES } from "../../models/geography/default-categories.ts";
import { DEFAULT_DEPARTMENTS, DEFAULT_REGIONS } from "../../models/geography/default-regions.ts";
import { validateSeedFile } from "../../models/ops/seed-data.ts";

// The bot seeds a fresh database from the TypeScript defaults; admins edit the JSON copy. They must not drift.
const karaj: unknown = JSON.parse(readFileSync(new URL("../../data-seed/karaj.json", import.meta.url), "utf8"));

describe("data-seed/karaj.json", () => {
  it("equals the bot's built-in defaults", () => {
    expect(karaj).toEqual({
      departments: DEFAULT_DEPARTMENTS,
      categories: DEFAULT_CATEGORIES,
      regions: DEFAULT_REGIONS,
    });
  });

  it("passes the seed validation", () => {
    expect(validateSeedFile(karaj)).toMatchObject({ ok: true });
  });
});

describe("validateSeedFile", () => {
  it("reports every problem with its path", () => {
    const open = [
      [51, 35.8],
      [51.1, 35.8],
      [51.1, 35.9],
      [51, 35.9],
    ];
    const res = validateSeedFile({
      departments: [
        { key: "roads", name: { fa: "راه", en: "Roads" } },
        { key: "roads", name: { fa: "راه", en: "Roads" } },
      ],
      categories: [{ key: "road", title: { fa: "چاله", en: "Pothole" }, department: "nope", slaHours: 0 }],
      regions: [
        { key: "a", name: { fa: "الف", en: "A" }, boundary: { type: "Polygon", coordinates: [open] } },
        {
          key: "b",
          name: { fa: "ب", en: "B" },
          boundary: {
            type: "MultiPolygon",
            coordinates: [
              [
                [
                  [200, 35],
                  [51, 95],
                  [200, 35],
                ],
              ],
            ],
          },
        },
      ],
    });
    expect(res.ok).toBe(false);
    expect(res.ok ? [] : res.problems).toEqual([
      "categories[0].slaHours: Too small: expected number to be >=1",
      "regions[0].boundary.coordinates[0]: ring must be closed (last position = first)",
      "regions[1].boundary.coordinates[0][0][0][0]: longitude must be between -180 and 180",
      "regions[1].boundary.coordinates[0][0][1][1]: latitude must be between -90 and 90",
      "regions[1].boundary.coordinates[0][0][2][0]: longitude must be between -180 and 180",
      "regions[1].boundary.coordinates[0][0]: ring needs at least 4 positions (has 3)",
      'departments[1].key: duplicate key "roads" (also departments[0])',
      'categories[0].department: unknown department "nope" (not in the file\'s departments nor the database)',
    ]);
  });

  it("accepts a category whose department only the database knows", () => {
    const res = validateSeedFile(
      { categories: [{ key: "x", title: { fa: "x", en: "x" }, department: "water", slaHours: 5 }] },
      ["water"],
    );
    expect(res).toEqual({
      ok: true,
      data: {
        departments: [],
        regions: [],
        categories: [
          { key: "x", title: { fa: "x", en: "x" }, department: "water", slaHours: 5, order: 100, active: true },
        ],
      },
    });
  });
});
