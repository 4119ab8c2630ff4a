import type { Locale } from "../models/common/platform.ts";

const persianFormats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per locale, zone and form (they are costly to build): the Persian calendar in both languages. */
function persianCalendar(locale: Locale, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withTime}`;
  let fmt = persianFormats.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale === "fa" ? "fa-IR-u-ca-persian" : "en-US-u-ca-persian", {
      timeZone,
      year: "numeric",
      month: "long",
      day: "numeric",
      ...(withTime ? { hour: "2-digit", minute: "2-digit" } : {}),
    });
    persianFormats.set(key, fmt);
  }
  return fmt;
}

/** Jalali (Persian calendar) date and time in the city's time zone, for both languages. */
export function formatDate(date: Date, locale: Locale, timeZone: string): string {
  return persianCalendar(locale, timeZone, true).format(date);
}

/** A day on the same calendar, without the time: "۳۰ آبان ۱۴۰۵". */
export function formatDay(date: Date, locale: Locale, timeZone: string): string {
  return persianCalendar(locale, timeZone, false).format(date);
}

/** Citizen-written text goes into HTML messages; nothing they type may become markup or a link. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function formatCoordinates(lat: number, lon: number): { lat: string; lon: string } {
  return { lat: lat.toFixed(5), lon: lon.toFixed(5) };
}

/** Telegram counts UTF-16 code units; cut long texts so a message never exceeds the limit. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const LRM = "\u200E";

/**
 * A left-to-right token (tracking code, command, phone, coordinate, @username, URL) inside Persian text.
 * Bidi rule W2 turns digits after an Arabic-script letter into Arabic numbers, and W4 does not join
 * those across a hyphen: without the marks "2058-9305" displays as 9305-2058. LRM on both sides keeps it
 * as typed; input parsing strips the marks again (normalizeCodeInput).
 */
export function ltr(token: string): string {
  return `${LRM}${token}${LRM}`;
}
