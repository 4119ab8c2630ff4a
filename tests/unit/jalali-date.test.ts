import { describe, expect, it } from "vitest";
import { jalaliToGregorian } from "../../scripts/lib/jalali-date.ts";
import { latinDigits } from "../../models/common/digits.ts";
import { dateOption } from "../../scripts/lib/cli.ts";

const DAY = 86_400_000;
const PERSIAN = new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", {
  timeZone: "UTC",
  year: "numeric",
  month: "numeric",
  day: "numeric",
});

/** What Intl (ICU's Persian calendar) says the Jalali date of a Gregorian UTC day is. */
function intlJalali(utc: number): [number, number, number] {
  const parts = PERSIAN.formatToParts(utc);
  const p = (type: string) => Number(parts.find((x) => x.type === type)!.value);
  return [p("year"), p("month"), p("day")];
}

describe("jalaliToGregorian", () => {
  // 1403 is a leap year (30 Esfand), 1404 and 1405 are not: every day of each agrees with Intl.
  for (const year of [1403, 1404, 1405]) {
    it(`agrees with Intl's Persian calendar on every day of ${year}, and round-trips`, () => {
      let utc = Date.UTC(year + 620, 11, 1); // a few months before Farvardin 1
      let days = 0;
      for (;;) {
        const [jy, jm, jd] = intlJalali(utc);
        if (jy > year) break;
        if (jy === year) {
          const g = new Date(utc);
          expect([jy, jm, jd, jalaliToGregorian(jy, jm, jd)]).toEqual([
            jy,
            jm,
            jd,
            { year: g.getUTCFullYear(), month: g.getUTCMonth() + 1, day: g.getUTCDate() },
          ]);
          days++;
        }
        utc += DAY;
      }
      expect(days).toBe(year === 1403 ? 366 : 365);
    });
  }

  it("agrees with Intl on every day from 1 Farvardin 1350 to the end of 1450 (no mismatch over a century)", () => {
    const mismatches: string[] = [];
    for (let utc = Date.UTC(1971, 2, 21); utc < Date.UTC(2072, 2, 21); utc += DAY) {
      const [jy, jm, jd] = intlJalali(utc);
      const g = new Date(utc);
      const got = jalaliToGregorian(jy, jm, jd);
      if (got?.year !== g.getUTCFullYear() || got.month !== g.getUTCMonth() + 1 || got.day !== g.getUTCDate())
        mismatches.push(`${jy}-${jm}-${jd}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("known anchors: 1 Farvardin 1405 = 21 March 2026, 30 Esfand 1403 = 20 March 2025, 10 Esfand 1404 = 1 March 2026", () => {
    expect(jalaliToGregorian(1405, 1, 1)).toEqual({ year: 2026, month: 3, day: 21 });
    expect(jalaliToGregorian(1403, 12, 30)).toEqual({ year: 2025, month: 3, day: 20 });
    expect(jalaliToGregorian(1404, 12, 10)).toEqual({ year: 2026, month: 3, day: 1 });
  });

  it("refuses days that do not exist: 30 Esfand of a common year, 31 Mehr, month 13, day 0", () => {
    expect(jalaliToGregorian(1404, 12, 30)).toBeNull();
    expect(jalaliToGregorian(1405, 7, 31)).toBeNull();
    expect(jalaliToGregorian(1405, 13, 1)).toBeNull();
    expect(jalaliToGregorian(1405, 1, 0)).toBeNull();
    expect(jalaliToGregorian(1405, 0, 10)).toBeNull();
  });
});

describe("latinDigits", () => {
  it("turns Persian and Arabic-Indic digits into 0-9 and leaves the rest alone", () => {
    expect(latinDigits("۱۴۰۵-۰۹-۰۱")).toBe("1405-09-01");
    expect(latinDigits("١٤٠٥-٠٩-٠١")).toBe("1405-09-01");
    expect(latinDigits("2026-11-28T05:30:00Z")).toBe("2026-11-28T05:30:00Z");
  });
});

describe("dateOption (the scripts' --from/--to/--at parser)", () => {
  const TZ = "Asia/Tehran";
  it("a year below 1700 is a Jalali day in TZ_NAME: 1405-09-01 = 22 Nov 2026 00:00 Tehran; --to includes the whole day", () => {
    expect(dateOption("from", "1405-09-01", TZ).toISOString()).toBe("2026-11-21T20:30:00.000Z");
    expect(dateOption("to", "1405-09-01", TZ, true).toISOString()).toBe("2026-11-22T20:30:00.000Z");
    // The same day written the Gregorian way gives the same moment.
    expect(dateOption("from", "2026-11-22", TZ).toISOString()).toBe("2026-11-21T20:30:00.000Z");
  });

  it("Persian and Arabic-Indic digits and / separators are accepted, Jalali or Gregorian", () => {
    expect(dateOption("from", "۱۴۰۵-۰۹-۰۱", TZ).toISOString()).toBe("2026-11-21T20:30:00.000Z");
    expect(dateOption("from", "١٤٠٥/٠٩/٠١", TZ).toISOString()).toBe("2026-11-21T20:30:00.000Z");
    expect(dateOption("from", "1405/9/1", TZ).toISOString()).toBe("2026-11-21T20:30:00.000Z");
    expect(dateOption("from", "۲۰۲۶-۱۱-۲۲", TZ).toISOString()).toBe("2026-11-21T20:30:00.000Z");
  });

  it("the last day of a Jalali leap year ends where Farvardin 1 begins", () => {
    expect(dateOption("to", "1403-12-30", TZ, true).toISOString()).toBe(
      dateOption("from", "1404-01-01", TZ).toISOString(),
    );
  });
});
