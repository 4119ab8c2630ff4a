import type { CategoryAttribute } from "./category.ts";
import type { AttributeAnswer } from "../report/report-submit.ts";
import { cleanUserText } from "../common/clean-text.ts";
import { latinDigits } from "../common/digits.ts";

/** The longest answer one extra question takes (each value of it): a pole number, not an essay. */
export const ATTRIBUTE_MAX_LENGTH = 200;

export type AttributeProblem = "required" | "not_a_number" | "not_a_date" | "not_in_list" | "too_long" | "unknown";
export interface AttributeError {
  code: string;
  problem: AttributeProblem;
}
export type CheckedAnswers = { answers: AttributeAnswer[] } | { errors: AttributeError[] };

const ARABIC_SCRIPT_LETTERS = /[\u0600-\u065F\u066A-\u06EF\u06FA-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;

/**
 * A code typed on a Persian keyboard ("۱۲-۳۴۵", a pole or plate number) is the same code as "12-345",
 * and only Latin digits keep their order in Persian text: such a token is stored with Latin digits.
 * A sentence with Persian words keeps the digits it was written with.
 */
function codeDigits(s: string): string {
  return ARABIC_SCRIPT_LETTERS.test(s) ? s : latinDigits(s);
}

// LRM/RLM/ALM are invisible and Persian keyboards type them; they must not make "12" a non-number.
const MARKS = /[\u200e\u200f\u061c]/g;

/** "12", "۱۲٫۵", "-3" → canonical Latin digits; null = not a number. */
function parseNumber(s: string): string | null {
  const n = latinDigits(s)
    .replace(MARKS, "")
    .replace(/\u066b/g, ".")
    .replace(/\u2212/g, "-")
    .replace(/\s/g, "");
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(n)) return null;
  const v = Number(n);
  return Number.isFinite(v) ? String(v) : null;
}

/** An ISO 8601 date or date-time (Open311's datetime) → its ISO form; null = not a date. */
function parseDate(s: string): string | null {
  const d = latinDigits(s).replace(MARKS, "");
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(d)) return null;
  const t = Date.parse(d.replace(" ", "T"));
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** The raw values given for one question, trimmed and cleaned, empties dropped. */
function rawValues(attr: CategoryAttribute, raw: string | string[] | undefined): string[] {
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  // A multivaluelist comes as "a,b" from a form field as readily as ["a","b"] from a repeated one.
  const split = attr.datatype === "multivaluelist" ? list.flatMap((v) => v.split(/[,،]/)) : list;
  return split
    .map((v) => cleanUserText(v, { singleLine: attr.datatype !== "text" }).trim())
    .filter((v) => v.replace(MARKS, "") !== "");
}

function checkOne(
  attr: CategoryAttribute,
  values: string[],
  maxLength: number,
): { values: string[] } | { problem: AttributeProblem } {
  if (values.some((v) => v.length > maxLength)) return { problem: "too_long" };
  const keys = attr.values.map((v) => v.key);
  switch (attr.datatype) {
    case "string":
    case "text": {
      // Two answers to a one-answer question lose nothing when kept together.
      const joined = values.map(codeDigits).join(", ");
      return joined.length > maxLength ? { problem: "too_long" } : { values: [joined] };
    }
    case "number": {
      const n = values.length === 1 ? parseNumber(values[0]!) : null;
      return n === null ? { problem: "not_a_number" } : { values: [n] };
    }
    case "datetime": {
      const d = values.length === 1 ? parseDate(values[0]!) : null;
      return d === null ? { problem: "not_a_date" } : { values: [d] };
    }
    case "singlevaluelist": {
      const key = latinDigits(values[0]!);
      return values.length === 1 && keys.includes(key) ? { values: [key] } : { problem: "not_in_list" };
    }
    case "multivaluelist": {
      const chosen = new Set(values.map(latinDigits));
      if ([...chosen].some((k) => !keys.includes(k))) return { problem: "not_in_list" };
      // In the list's own order, each once: the same choice is always stored the same way.
      return { values: keys.filter((k) => chosen.has(k)) };
    }
  }
}

/**
 * Checks the answers to a category's extra questions, from the chat form or Open311's
 * `attribute[code]` fields alike. Answers come back in the questions' order; an optional question left
 * empty is left out; a code the category does not ask is an error (a typo must not vanish silently).
 */
export function checkAnswers(
  attrs: CategoryAttribute[],
  raw: Record<string, string | string[]>,
  limits: { maxLength?: number } = {},
): CheckedAnswers {
  const maxLength = limits.maxLength ?? ATTRIBUTE_MAX_LENGTH;
  const ordered = [...attrs].sort((a, b) => a.order - b.order);
  const known = new Set(ordered.map((a) => a.code));
  const errors: AttributeError[] = Object.keys(raw)
    .filter((code) => !known.has(code))
    .map((code) => ({ code, problem: "unknown" as const }));
  const answers: AttributeAnswer[] = [];
  for (const attr of ordered) {
    const values = rawValues(attr, Object.hasOwn(raw, attr.code) ? raw[attr.code] : undefined);
    if (values.length === 0) {
      if (attr.required) errors.push({ code: attr.code, problem: "required" });
      continue;
    }
    const res = checkOne(attr, values, maxLength);
    if ("problem" in res) errors.push({ code: attr.code, problem: res.problem });
    else answers.push({ code: attr.code, values: res.values });
  }
  return errors.length > 0 ? { errors } : { answers };
}

/** One question's answer alone (the chat form asks them one at a time). */
export function checkAnswer(
  attr: CategoryAttribute,
  raw: string | string[],
  limits: { maxLength?: number } = {},
): { answer: AttributeAnswer | null } | { problem: AttributeProblem } {
  const res = checkAnswers([attr], { [attr.code]: raw }, limits);
  if ("errors" in res) return { problem: res.errors[0]!.problem };
  return { answer: res.answers[0] ?? null };
}
