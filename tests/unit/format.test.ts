import { describe, expect, it } from "vitest";
import { escapeHtml, formatDate, truncate } from "../../core/format.ts";
import { distanceMeters, insideBox } from "../../models/geography/geo.ts";
import { negotiateLocale } from "../../core/i18n.ts";

describe("formatting", () => {
  it("shows dates in the Jalali calendar, Tehran time", () => {
    const d = new Date("2026-11-27T19:56:00Z");
    expect(formatDate(d, "fa", "Asia/Tehran")).toBe("۶ آذر ۱۴۰۵ ساعت ۲۳:۲۶");
    expect(formatDate(d, "en", "Asia/Tehran")).toBe("Azar 6, 1405 AP at 11:26 PM");
  });

  it("escapes markup typed by citizens", () => {
    expect(escapeHtml(`<a href="x">hi</a> & <b>`)).toBe("&lt;a href=&quot;x&quot;&gt;hi&lt;/a&gt; &amp; &lt;b&gt;");
  });

  it("truncates with an ellipsis", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 4)).toBe("abc");
  });

  it("measures distance and the service area", () => {
    const a = { lat: 35.8, lon: 51.0 };
    expect(distanceMeters(a, { lat: 35.8004, lon: 51.0 })).toBeCloseTo(44.5, 0);
    expect(insideBox(a, { minLat: 35.72, minLon: 50.8, maxLat: 35.92, maxLon: 51.2 })).toBe(true);
    expect(insideBox({ lat: 35.69, lon: 51.39 }, { minLat: 35.72, minLon: 50.8, maxLat: 35.92, maxLon: 51.2 })).toBe(
      false,
    );
  });

  it("negotiates the locale: choice, then client language, then default", () => {
    expect(negotiateLocale("en", "fa", "fa")).toBe("en");
    expect(negotiateLocale("", "en-US", "fa")).toBe("en");
    expect(negotiateLocale(undefined, "de", "fa")).toBe("fa");
  });
});
