import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { Department, Region } from "../../models/geography/region.ts";
import { RegionRouter } from "../../models/geography/routing.ts";
import { inScope, scopeFilter, type StaffMember } from "../../models/people/staff.ts";

useTestDb();

const FALLBACK = { platform: "telegram" as const, chatId: -100 };
const NW = { lat: 35.85, lon: 50.9 }; // district r1
const SE = { lat: 35.75, lon: 51.1 }; // district r4

describe("routing a report", () => {
  it("region chat first, then the department chat, then STAFF_CHAT_ID; no coordinates → fallback, flagged", async () => {
    await Region.updateOne({ key: "r1" }, { $set: { chat: { platform: "telegram", chatId: -201 } } });
    await Department.updateOne({ key: "water" }, { $set: { chat: { platform: "bale", chatId: -301 } } });
    const router = new RegionRouter(FALLBACK, 0);
    expect(await router.route(NW, "water")).toEqual({
      regionKey: "r1",
      chat: { platform: "telegram", chatId: -201 },
      needsLocationCheck: false,
    });
    expect(await router.route(SE, "water")).toEqual({
      regionKey: "r4",
      chat: { platform: "bale", chatId: -301 },
      needsLocationCheck: false,
    });
    expect(await router.route(SE, "roads")).toEqual({ regionKey: "r4", chat: FALLBACK, needsLocationCheck: false });
    expect(await router.route(null, "water")).toEqual({ regionKey: "", chat: FALLBACK, needsLocationCheck: true });
    // Outside every district polygon.
    expect(await router.route({ lat: 36.5, lon: 50.0 }, "roads")).toEqual({
      regionKey: "",
      chat: FALLBACK,
      needsLocationCheck: true,
    });
    expect(await new RegionRouter(null, 0).route(null, "water")).toEqual({
      regionKey: "",
      chat: { platform: "bale", chatId: -301 },
      needsLocationCheck: true,
    });
  });

  it("caches the polygons until the TTL passes (or invalidate)", async () => {
    let now = 0;
    const router = new RegionRouter(FALLBACK, 60_000, () => now);
    expect((await router.route(NW, "roads")).regionKey).toBe("r1");
    await Region.updateOne({ key: "r1" }, { $set: { active: false } });
    expect((await router.route(NW, "roads")).regionKey).toBe("r1");
    now = 61_000;
    expect((await router.route(NW, "roads")).regionKey).toBe("");
    await Region.updateOne({ key: "r1" }, { $set: { active: true } });
    router.invalidate();
    expect((await router.route(NW, "roads")).regionKey).toBe("r1");
  });
});

describe("staff scope", () => {
  const official: StaffMember = {
    platform: "telegram",
    userId: 1,
    name: "O",
    role: "official",
    regions: ["r1"],
    departments: ["water"],
  };
  it("an official acts on their regions and departments only; an admin on everything", () => {
    expect(inScope(official, { regionKey: "r1", department: "roads" })).toBe(true);
    expect(inScope(official, { regionKey: "r2", department: "water" })).toBe(true);
    expect(inScope(official, { regionKey: "r2", department: "roads" })).toBe(false);
    expect(inScope(official, { regionKey: "", department: "roads" })).toBe(false);
    expect(
      inScope({ ...official, role: "admin", regions: [], departments: [] }, { regionKey: "r9", department: "x" }),
    ).toBe(true);
    expect(scopeFilter(official)).toEqual({
      $or: [{ regionKey: { $in: ["r1"] } }, { department: { $in: ["water"] } }],
    });
    expect(scopeFilter({ ...official, role: "admin" })).toBeNull();
  });
});
