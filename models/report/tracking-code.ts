import { latinDigits } from "../common/digits.ts";
import { BIDI_MARKS, BIDI_SCOPED } from "../common/clean-text.ts";
/**
 * Tracking codes: 7 random digits plus a Verhoeff check digit. Verhoeff catches every single-digit
 * typo and every swap of two adjacent digits, which are the mistakes people make reading a code
 * aloud to the 137 operator or typing it from a screenshot.
 */
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

export const CODE_LENGTH = 8;

function at(table: number[][], i: number, j: number): number {
  return table[i]![j]!;
}

function checksum(digits: string, withCheck: boolean): number {
  let c = 0;
  const rev = [...digits].reverse();
  rev.forEach((ch, i) => {
    c = at(D, c, at(P, (i + (withCheck ? 0 : 1)) % 8, Number(ch)));
  });
  return c;
}

export function checkDigit(payload: string): string {
  return String(INV[checksum(payload, false)]);
}

export function isValidCode(code: string): boolean {
  return new RegExp(`^\\d{${CODE_LENGTH}}$`).test(code) && checksum(code, true) === 0;
}

/** `random` returns [0,1); injected so tests are deterministic. The first digit is never 0 (no lost leading zeros in spreadsheets). */
export function generateCode(random: () => number = Math.random): string {
  let payload = String(1 + Math.floor(random() * 9));
  while (payload.length < CODE_LENGTH - 1) payload += String(Math.floor(random() * 10));
  return payload + checkDigit(payload);
}

/**
 * Invisible marks a code copied out of a message (or typed on a Persian keyboard) may carry:
 * ZWNJ/ZWJ, LRM/RLM and the Arabic letter mark, embeddings and overrides, isolates (Fluent's
 * FSI/PDI), and the byte-order mark.
 */
const INVISIBLE = `\u200c${BIDI_MARKS}${BIDI_SCOPED}\ufeff`;
/** Hyphens and dashes of every kind, the minus sign included (a phone keyboard offers several). */
const DASHES = "\\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d";
// ZWJ outside the class: inside one it reads as joining its neighbours (no-misleading-character-class).
const SEPARATORS = new RegExp(`[\\s_.${DASHES}${INVISIBLE}]|\u200d`, "g");

/**
 * Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII, in any mix (a code typed on a Persian
 * keyboard, copied from a message, or both); spaces, dashes and invisible marks dropped.
 */
export function normalizeCodeInput(input: string): string {
  return latinDigits(input).replace(SEPARATORS, "");
}

export type ParsedCode = { ok: true; code: string } | { ok: false; reason: "empty" | "format" | "checksum" };

export function parseCode(input: string): ParsedCode {
  const code = normalizeCodeInput(input);
  if (code === "") return { ok: false, reason: "empty" };
  if (!new RegExp(`^\\d{${CODE_LENGTH}}$`).test(code)) return { ok: false, reason: "format" };
  if (!isValidCode(code)) return { ok: false, reason: "checksum" };
  return { ok: true, code };
}

/** 1234-5678: two groups of four read back easily over the phone. */
export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
