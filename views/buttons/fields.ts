/**
 * The pieces button data is made of, as regular-expression sources (no anchors, no groups), so that
 * the families in families.ts are written from them and never from a hand-made regex. All of them
 * are ASCII: a value's length in characters is its length in bytes (Telegram counts bytes).
 */

/** A MongoDB ObjectId in hex: a report's id, a kept message's id. */
export const OBJECT_ID = "[0-9a-f]{24}";
/** A Telegram/Bale user id: digits without a leading zero; `userIdOf` keeps it a safe integer. */
export const USER_ID = "[1-9][0-9]{0,15}";
/** A report form's key (scenes/report/form-key.ts): 10 base-36 characters. */
export const FORM_KEY = "[0-9a-z]{10}";
/** A form button's argument (a category key, a step's name). */
export const FORM_ARG = "[\\w-]{1,32}";
/** A field visit's nonce (scenes/staff/visit/field-visit.ts): a few base-36 characters. */
export const VISIT_NONCE = "[0-9a-z]{1,8}";
/** Any action word, known to this release or not (see `owner` in families.ts). */
export const ANY_WORD = "[a-z]+";

/** `a|b|c`: one of a list of words (lower-case letters only, nothing to escape). */
export function oneOf(words: readonly string[]): string {
  return words.join("|");
}

/** The list's member spelled `raw`, typed; undefined when it is none of them. */
export function memberOf<T extends string>(list: readonly T[], raw: string | undefined): T | undefined {
  return list.find((word) => word === raw);
}

/** A user id the pattern admitted, as a number; undefined past 2^53, where digits stop being exact. */
export function userIdOf(raw: string | undefined): number | undefined {
  const n = Number(raw);
  return raw !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
