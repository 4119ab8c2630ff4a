/**
 * What a reader sees: the Unicode Bidirectional Algorithm (bidi-js, a full UAX #9 implementation) applied
 * to a right-to-left paragraph, as the Telegram and Bale apps lay out Persian text.
 */
import bidiFactory from "bidi-js";

const bidi = bidiFactory();

const MARKS = /[\u200e\u200f\u061c\u2066-\u2069]/g;

/** Telegram HTML as shown: tags gone, entities decoded (a template's <b> is not text anyone reads). */
export function shownText(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/** Visual order, left to right, line by line, of a right-to-left paragraph; invisible marks dropped. */
export function visual(text: string): string {
  return text
    .split("\n")
    .map((line) => bidi.getReorderedString(line, bidi.getEmbeddingLevels(line, "rtl")).replace(MARKS, ""))
    .join("\n");
}

/**
 * Every left-to-right token a reader may read or type back, as it stands in the logical text: commands with
 * their argument, codes (Latin or Persian digits), phone numbers, coordinates, @usernames, URLs, Latin words (runs joined by single spaces).
 */
export function ltrTokens(text: string): string[] {
  const plain = text.replace(MARKS, "");
  const latin = [...plain.matchAll(/[/@+]?[A-Za-z0-9][\w./:+@-]*(?: [/@+]?[A-Za-z0-9][\w./:+@-]*)*/g)].map((m) =>
    m[0].replace(/[.:]+$/, ""),
  );
  // A code typed in Persian digits ("۱۲۳۴-۵۶۷۸") breaks at its hyphen like a Latin one (rule W4 joins European numbers only).
  const persianCodes = [...plain.matchAll(/[۰-۹]+(?:-[۰-۹]+)+/g)].map((m) => m[0]);
  return [...latin, ...persianCodes];
}

/** Tokens that the right-to-left layout shows in another order than typed (empty when all read as typed). */
export function misreadTokens(text: string): string[] {
  const shown = text.split("\n").map((line) => visual(shownText(line)));
  return text
    .split("\n")
    .flatMap((line, i) => ltrTokens(shownText(line)).filter((tok) => tok.length > 1 && !shown[i]!.includes(tok)));
}
