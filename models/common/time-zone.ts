/**
 * Milliseconds the zone's wall clock is ahead of UTC at `at` (DST-aware, from Intl), to the second:
 * the city's local midnight (daily limits, script date ranges) and datetimes written with an offset.
 */
export function zoneOffsetMs(at: Date | number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(at);
  const p = (type: string) => Number(parts.find((x) => x.type === type)?.value ?? 0);
  const wall = Date.UTC(p("year"), p("month") - 1, p("day"), p("hour"), p("minute"), p("second"));
  return wall - Math.floor(new Date(at).getTime() / 1000) * 1000;
}
