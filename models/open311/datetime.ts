import { zoneOffsetMs } from "../common/time-zone.ts";

const pad = (n: number) => String(n).padStart(2, "0");

/** ISO 8601 in the city's time, with its offset ("2026-05-01T10:30:00+03:30"), as GeoReport v2 writes datetimes. */
export function isoWithOffset(at: Date, timeZone: string): string {
  const offset = zoneOffsetMs(at, timeZone);
  const wall = new Date(Math.floor(at.getTime() / 1000) * 1000 + offset).toISOString().slice(0, 19);
  const minutes = Math.round(Math.abs(offset) / 60_000);
  return `${wall}${offset < 0 ? "-" : "+"}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** The last midnight in the city's time zone: "today" for a daily limit. */
export function localMidnight(now: Date, timeZone: string): Date {
  const offset = zoneOffsetMs(now, timeZone);
  const wallMidnight = Math.floor((now.getTime() + offset) / 86_400_000) * 86_400_000;
  // The offset at midnight itself (a DST change during the day moves it).
  return new Date(wallMidnight - zoneOffsetMs(new Date(wallMidnight - offset), timeZone));
}
