import { describe, expect, it } from "vitest";
import type { Message } from "grammy/types";
import { checkSite, distanceMeters, outsideWindow, visitRequirementMet } from "../../models/report/visit.ts";
import type { ReportDoc } from "../../models/report/report.ts";
import { isForwarded, sharedLocation, sitePhoto } from "../../scenes/staff/visit/proof.ts";

const KARAJ = { lat: 35.8327, lon: 50.9915 };
const at = (iso: string) => new Date(iso);

describe("distance and site check", () => {
  it("measures great-circle metres: 0.0002° of latitude ≈ 22 m, 0.009° ≈ 1 km, Karaj–Tehran ≈ 39 km", () => {
    expect(distanceMeters(KARAJ, KARAJ)).toBe(0);
    expect(Math.round(distanceMeters(KARAJ, { lat: KARAJ.lat + 0.0002, lon: KARAJ.lon }))).toBe(22);
    expect(Math.round(distanceMeters(KARAJ, { lat: KARAJ.lat + 0.009, lon: KARAJ.lon }))).toBe(1001);
    expect(Math.round(distanceMeters(KARAJ, { lat: 35.6892, lon: 51.389 }) / 1000)).toBe(39);
  });

  it("is on site within the category's radius, else the default; a report without a point cannot be checked", () => {
    const point = [KARAJ.lon, KARAJ.lat]; // GeoJSON order, as reports store it
    const far = { lat: KARAJ.lat + 0.0018, lon: KARAJ.lon }; // ≈ 200 m
    expect(checkSite(point, far, null, 150)).toEqual({ distanceM: 200, radiusM: 150, onSite: false });
    expect(checkSite(point, far, { visitRadiusM: 250 }, 150)).toEqual({ distanceM: 200, radiusM: 250, onSite: true });
    expect(checkSite(point, far, { visitRadiusM: null }, 200)).toEqual({ distanceM: 200, radiusM: 200, onSite: true });
    expect(checkSite(null, far, null, 150)).toEqual({ distanceM: null, radiusM: 150, onSite: true });
  });

  it("the time window counts both ways and only beyond the limit", () => {
    expect(outsideWindow(at("2026-11-27T10:00:00Z"), at("2026-11-27T10:15:00Z"), 15)).toBeNull();
    expect(outsideWindow(at("2026-11-27T10:00:00Z"), at("2026-11-27T10:15:30Z"), 15)).toBe(16);
    expect(outsideWindow(at("2026-11-27T10:00:00Z"), at("2026-11-27T09:40:00Z"), 15)).toBe(20);
  });
});

describe("visit policy", () => {
  type Visit = ReportDoc["visits"][number];
  const visit = (iso: string, onSite: boolean) => ({ at: at(iso), onSite }) as Visit;
  // Plain arrays stand in for mongoose's DocumentArray: the policy only reads them.
  const report = (visits: Visit[], reopenedAt: Date | null = null) =>
    ({ visits, reopenedAt }) as unknown as Pick<ReportDoc, "visits" | "reopenedAt">;

  it("categories without the policy never need a visit", () => {
    expect(visitRequirementMet(report([]), { requiresVisit: false })).toBe(true);
    expect(visitRequirementMet(report([]), null)).toBe(true);
  });

  it("needs an on-site visit; an off-site one does not count", () => {
    expect(visitRequirementMet(report([]), { requiresVisit: true })).toBe(false);
    expect(visitRequirementMet(report([visit("2026-11-27T10:00:00Z", false)]), { requiresVisit: true })).toBe(false);
    expect(visitRequirementMet(report([visit("2026-11-27T10:00:00Z", true)]), { requiresVisit: true })).toBe(true);
  });

  it("a visit saved after the reopening whose location was shared before it is not a new visit", () => {
    const reopened = at("2026-11-28T09:00:00Z");
    const v = { ...visit("2026-11-28T09:30:00Z", true), locationAt: at("2026-11-28T08:50:00Z") } as Visit;
    expect(visitRequirementMet(report([v], reopened), { requiresVisit: true })).toBe(false);
  });

  it("after 'not fixed' only a visit since the reopening counts", () => {
    const reopened = at("2026-11-28T09:00:00Z");
    expect(visitRequirementMet(report([visit("2026-11-27T10:00:00Z", true)], reopened), { requiresVisit: true })).toBe(
      false,
    );
    expect(
      visitRequirementMet(
        report([visit("2026-11-27T10:00:00Z", true), visit("2026-11-28T11:00:00Z", true)], reopened),
        { requiresVisit: true },
      ),
    ).toBe(true);
  });
});

describe("what counts as proof in a message", () => {
  const base = { message_id: 1, date: 1_790_000_000, chat: { id: 1, type: "private", first_name: "O" } } as const;
  const msg = (extra: Partial<Message>) => ({ ...base, ...extra }) as Message;

  it("a forward by any of its markers is not proof", () => {
    expect(isForwarded(msg({ text: "x" }))).toBe(false);
    expect(isForwarded(msg({ forward_origin: { type: "hidden_user", date: 1, sender_user_name: "X" } }))).toBe(true);
    // Older Bot API versions (and Bale) still send the legacy fields.
    expect(isForwarded({ ...msg({}), forward_date: 5 } as Message)).toBe(true);
    expect(isForwarded(msg({ is_automatic_forward: true }))).toBe(true);
  });

  it("a location is live only with live_period where the platform has live locations; a venue is refused", () => {
    const loc = msg({ location: { latitude: 1, longitude: 2, live_period: 900 } });
    expect(sharedLocation(loc, true)).toEqual({ lat: 1, lon: 2, live: true, at: base.date * 1000 });
    expect(sharedLocation(loc, false)).toEqual({ lat: 1, lon: 2, live: false, at: base.date * 1000 });
    expect(
      sharedLocation(
        msg({
          location: { latitude: 1, longitude: 2 },
          venue: { location: { latitude: 1, longitude: 2 }, title: "t", address: "a" },
        }),
        true,
      ),
    ).toBe("venue");
    expect(sharedLocation(msg({ text: "here" }), true)).toBeNull();
  });

  it("a photo's largest size, or an image file; other files are not photos", () => {
    const photo = msg({
      photo: [
        { file_id: "s", file_unique_id: "su", width: 90, height: 90 },
        { file_id: "l", file_unique_id: "lu", width: 1280, height: 960 },
      ],
    });
    expect(sitePhoto(photo)).toEqual({ fileId: "l", fileUniqueId: "lu", at: base.date * 1000 });
    expect(sitePhoto(msg({ document: { file_id: "d", file_unique_id: "du", mime_type: "image/jpeg" } }))).toEqual({
      fileId: "d",
      fileUniqueId: "du",
      at: base.date * 1000,
    });
    expect(
      sitePhoto(msg({ document: { file_id: "d", file_unique_id: "du", mime_type: "application/pdf" } })),
    ).toBeNull();
  });
});
