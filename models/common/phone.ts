import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { latinDigits } from "./digits.ts";

/**
 * One phone number in one form (E.164, "+989121234567"), whoever typed it: Telegram sends its
 * contacts with or without "+", call centres type "0912…", Persian keyboards type Persian digits.
 * Digits without "+" are read as a national number of `country` first, then as international
 * (Telegram's "447911123456"). Null: not a valid number (the full metadata checks the ranges).
 */
export function toE164(raw: string, country: CountryCode = "IR"): string | null {
  if (typeof raw !== "string" || raw.length > 40) return null;
  const text = latinDigits(raw)
    .replace(/[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g, "")
    .trim();
  if (!/^\+?[\d\s().-]{3,}$/.test(text)) return null;
  const digits = text.replace(/[^\d+]/g, "");
  const candidates = digits.startsWith("+")
    ? [digits]
    : digits.startsWith("00")
      ? [`+${digits.slice(2)}`]
      : [digits, `+${digits}`];
  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, country);
    if (parsed?.isValid()) return parsed.number;
  }
  return null;
}
