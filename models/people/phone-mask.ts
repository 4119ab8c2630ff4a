import { latinDigits } from "../common/digits.ts";
/**
 * Citizens' phone numbers as staff chats may see them. A staff group has many members, so the card
 * shows `+98 912 *** 5001` (enough to tell two reporters apart or recognise a caller); the whole
 * number goes only to an official of the case, in private, and that is recorded (case-actions.ts).
 */

/**
 * E.164 calling codes of one and two digits; every other code has three. The codes are
 * prefix-free, so the first digits of an international number name its country code alone.
 */
const ONE_DIGIT = new Set(["1", "7"]);
const TWO_DIGITS = new Set([
  "20",
  "27",
  "30",
  "31",
  "32",
  "33",
  "34",
  "36",
  "39",
  "40",
  "41",
  "43",
  "44",
  "45",
  "46",
  "47",
  "48",
  "49",
  "51",
  "52",
  "53",
  "54",
  "55",
  "56",
  "57",
  "58",
  "60",
  "61",
  "62",
  "63",
  "64",
  "65",
  "66",
  "81",
  "82",
  "84",
  "86",
  "90",
  "91",
  "92",
  "93",
  "94",
  "95",
  "98",
]);

/** Iran: the desk's own country, for numbers written the national way (0912…, 912…). */
const HOME = "98";

/** Shorter national numbers are not real phone numbers; masking them would show nearly all of it. */
const MIN_NATIONAL = 5;

interface Phone {
  country: string;
  national: string;
}

/**
 * Country code and national number of a stored phone: Telegram and Bale send contacts as digits
 * with or without "+", and people type the national form (0912…). null = not a number we read.
 */
function parsePhone(raw: string): Phone | null {
  const s = latinDigits(raw).replace(/[\s\-().\u200e\u200f\u2066-\u2069]/g, "");
  if (!/^\+?\d+$/.test(s)) return null;
  let digits: string;
  if (s.startsWith("+")) digits = s.slice(1);
  else if (s.startsWith("00")) digits = s.slice(2);
  else if (s.startsWith("0")) digits = HOME + s.slice(1);
  // An Iranian mobile without its leading 0 (912…): ten digits starting with 9.
  else if (/^9\d{9}$/.test(s)) digits = HOME + s;
  else digits = s;
  const cc = ONE_DIGIT.has(digits.slice(0, 1)) ? 1 : TWO_DIGITS.has(digits.slice(0, 2)) ? 2 : 3;
  const national = digits.slice(cc);
  if (national.length < MIN_NATIONAL) return null;
  return { country: digits.slice(0, cc), national };
}

/**
 * `+98 912 *** 5001`: country code, first 3 digits, ***, last 4 (10+ digit national numbers, at least
 * 3 hidden). Shorter ones would be nearly whole that way: 8–9 digits show 2 + 2, fewer the last 2.
 * "" stays "" (no phone); anything unreadable becomes "***", never the raw text.
 */
export function maskPhone(raw: string): string {
  if (raw.trim() === "") return "";
  const p = parsePhone(raw);
  if (!p) return "***";
  const n = p.national;
  const [head, tail] = n.length >= 10 ? [3, 4] : n.length >= 8 ? [2, 2] : [0, 2];
  return [`+${p.country}`, head ? n.slice(0, head) : "", "***", n.slice(-tail)].filter(Boolean).join(" ");
}

/** The whole number for the official's private message, international so a tap dials it; unreadable = as stored. */
export function dialablePhone(raw: string): string {
  const p = parsePhone(raw);
  return p ? `+${p.country}${p.national}` : raw.trim();
}
