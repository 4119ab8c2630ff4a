/**
 * Text people type (a report's description, an address, a name, an answer to staff) before it is
 * stored or shown to anyone else.
 *
 * Removed: the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), with which
 * "\u202Enimda" displays as "admin" or a phone number reads backwards, and the C0/C1 control
 * characters, which messengers render as boxes or not at all (a tab becomes a space, CR LF one
 * newline). Kept on purpose: newlines; ZWNJ/ZWJ (U+200C/U+200D: Persian words and emoji need them);
 * LRM/RLM (U+200E/U+200F) and ALM (U+061C), which have no scope, so they cannot reverse or hide
 * anything, and which Persian keyboards type.
 */
/** LRM, RLM and the Arabic letter mark (for RegExp character classes): marks without scope. */
export const BIDI_MARKS = "\u200e\u200f\u061c";
/** Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), as character-class ranges. */
export const BIDI_SCOPED = "\u202a-\u202e\u2066-\u2069";
const CONTROLS = new RegExp(`[\u0000-\u0009\u000B-\u001F\u007F-\u009F${BIDI_SCOPED}]`, "g");
const LINE_BREAKS = /[\n\u2028\u2029]/g;

export interface CleanOptions {
  /** Names, usernames, phone numbers: line breaks become spaces, so the field stays one line. */
  singleLine?: boolean;
}

export function cleanUserText(text: string, opts: CleanOptions = {}): string {
  const out = text.replace(/\r\n?/g, "\n").replace(/\t/g, " ").replace(CONTROLS, "");
  return opts.singleLine ? out.replace(LINE_BREAKS, " ") : out;
}
