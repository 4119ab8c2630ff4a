/**
 * Jalali (Solar Hijri) → Gregorian for the scripts' date options, by asking ICU's Persian calendar
 * (Intl) and correcting a first guess: no calendar arithmetic of our own to get wrong.
 */

const DAY = 86_400_000;
const PERSIAN = new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", {
  timeZone: "UTC",
  year: "numeric",
  month: "numeric",
  day: "numeric",
});

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

function jalaliOf(utc: number): CalendarDay {
  const parts = PERSIAN.formatToParts(utc);
  const p = (type: string) => Number(parts.find((x) => x.type === type)?.value);
  return { year: p("year"), month: p("month"), day: p("day") };
}

/** Days since a fixed origin, exact within a year; every year counted as 366 days, so a step across a year end is off by at most one. */
const ordinal = (d: CalendarDay) =>
  d.year * 366 + (d.month <= 6 ? (d.month - 1) * 31 : 186 + (d.month - 7) * 30) + d.day;

/** The Gregorian day of a Jalali date; null when that date does not exist (31 Mehr, 30 Esfand of a common year…). */
export function jalaliToGregorian(year: number, month: number, day: number): CalendarDay | null {
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return null;
  const want = { year, month, day };
  let utc = Date.UTC(year + 621, 2, 21) + (ordinal(want) - ordinal({ year, month: 1, day: 1 })) * DAY;
  for (let i = 0; i < 4; i++) {
    const delta = ordinal(want) - ordinal(jalaliOf(utc));
    if (delta === 0) break;
    utc += delta * DAY;
  }
  const got = jalaliOf(utc);
  if (got.year !== year || got.month !== month || got.day !== day) return null;
  const g = new Date(utc);
  return { year: g.getUTCFullYear(), month: g.getUTCMonth() + 1, day: g.getUTCDate() };
}
