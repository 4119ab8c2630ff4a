/**
 * The two locales stay in step with each other and with the code: the same messages and terms in fa and
 * en, every key the code asks for present in both (template-literal keys too), and no dead text.
 * A key missing from one locale would reach a reader as the bare key name (grammY i18n falls back to it).
 */
import fs from "node:fs";
import path from "node:path";
import { FluentResource } from "@fluent/bundle";
import { describe, expect, it } from "vitest";
import { LOCALES_DIR } from "../../core/i18n.ts";
import { STATUSES } from "../../models/report/report-status.ts";
import { HISTORY_KINDS } from "../../models/report/report.ts";
import { ROLES } from "../../models/people/staff.ts";

const ROOT = path.resolve(LOCALES_DIR, "..");
/** Where translated text is asked for. sandbox/web has its own UI strings (ui-text.js), not Fluent keys. */
const CODE_DIRS = ["bot", "handlers", "scenes", "models", "scripts", "views"];
const LOCALES = ["fa", "en"] as const;

interface Locale {
  /** Message and term ids (terms keep their leading "-"). */
  ids: Set<string>;
  /** Messages other messages place with `{ other-message }`: used from the locale itself. */
  referenced: Set<string>;
  /** Entries a line scan sees but the parser dropped (FluentResource skips what it cannot parse). */
  unparsed: string[];
}

/** Every `{ message }` reference anywhere in a parsed pattern, select variants included. */
function collectReferences(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) for (const n of node) collectReferences(n, out);
  else if (node && typeof node === "object") {
    const rec = node as Record<string, unknown>;
    if (rec.type === "mesg" && typeof rec.name === "string") out.add(rec.name);
    for (const value of Object.values(rec)) collectReferences(value, out);
  }
}

function readLocale(locale: string): Locale {
  const dir = path.join(LOCALES_DIR, locale);
  const ids = new Set<string>();
  const referenced = new Set<string>();
  const unparsed: string[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ftl"))
    .sort()) {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    const parsed = new Set<string>();
    for (const entry of new FluentResource(text).body) {
      parsed.add(entry.id);
      collectReferences(entry, referenced);
    }
    for (const m of text.matchAll(/^(-?[a-zA-Z][\w-]*)\s*=/gm))
      if (!parsed.has(m[1]!)) unparsed.push(`${locale}/${file}: ${m[1]!}`);
    for (const id of parsed) {
      if (ids.has(id)) unparsed.push(`${locale}/${file}: ${id} defined twice`);
      ids.add(id);
    }
  }
  return { ids, referenced, unparsed };
}

function codeFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : codeFiles(full);
    return /\.(ts|js|mjs)$/.test(e.name) && !/\.d\.ts$/.test(e.name) ? [full] : [];
  });
}

/** What the code asks for, found by reading it. */
interface Usage {
  /** Keys at call sites: t("key"), ctx.t("key"), i18n.t(locale, "key"), hintKey: "key", key: "key"… */
  called: Map<string, string>;
  /** Template-literal keys: the static prefix of t(`prefix-${expr}`) → where. */
  dynamic: Map<string, string>;
  /** Every kebab-case string literal in the code (a key handed around before it reaches t()). */
  literals: Set<string>;
  /** Variants built from a key in a variable: `${key}-follower` → "-follower". */
  suffixes: Set<string>;
}

/** A message id: kebab-case words ("welcome", "hint-photos", "status-in_progress"). */
const KEY = "[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*";
const CALL_SITE = new RegExp(`\\bt\\(\\s*(?:[\\w.]+\\s*,\\s*)?(["'\`])(${KEY})\\1`, "g");
/** t(cond ? "key-a" : "key-b"): both branches. */
const TERNARY_CALL = new RegExp(
  `\\bt\\((?:[^;()"'\`]|"[^"]*"|'[^']*')*\\?\\s*(["'])(${KEY})\\1\\s*:\\s*(["'])(${KEY})\\3`,
  "g",
);
/** Keys handed to a helper that translates them later (`hintKey: "hint-photos"`, `{ key: "staff-out-of-scope" }`). */
const KEY_PROPERTY = new RegExp(`\\b(?:hintKey|key)\\s*[:=]\\s*(["'\`])(${KEY}-[a-z0-9_]+)\\1`, "g");
const TEMPLATE_CALL = /\bt\(\s*(?:[\w.]+\s*,\s*)?`([a-z][a-z0-9_-]*-)\$\{/g;
const TEMPLATE_SUFFIX = /`\$\{\s*\w+\s*\}(-[a-z0-9_-]+)`/g;
const LITERAL = new RegExp(`(["'\`])(${KEY})\\1`, "g");

function scanCode(): Usage {
  const usage: Usage = { called: new Map(), dynamic: new Map(), literals: new Set(), suffixes: new Set() };
  for (const file of CODE_DIRS.flatMap((d) => codeFiles(path.join(ROOT, d)))) {
    const text = fs.readFileSync(file, "utf8");
    const where = path.relative(ROOT, file);
    for (const re of [CALL_SITE, KEY_PROPERTY]) for (const m of text.matchAll(re)) usage.called.set(m[2]!, where);
    for (const m of text.matchAll(TERNARY_CALL)) for (const key of [m[2]!, m[4]!]) usage.called.set(key, where);
    for (const m of text.matchAll(TEMPLATE_CALL)) usage.dynamic.set(m[1]!, where);
    for (const m of text.matchAll(LITERAL)) usage.literals.add(m[2]!);
    for (const m of text.matchAll(TEMPLATE_SUFFIX)) usage.suffixes.add(m[1]!);
  }
  return usage;
}

/** Template-literal prefixes whose values the models enumerate: every value must have its text. */
const KNOWN_VALUES: Record<string, readonly string[]> = {
  "status-": STATUSES,
  "history-": HISTORY_KINDS,
  "staff-role-": ROLES,
};

/**
 * Keys the code builds at run time, so no literal names them: a key with one of these prefixes is not
 * dead text. Each prefix must still be built somewhere in the code (checked below), so the list cannot
 * keep a dead family alive after its code is gone.
 */
const DYNAMIC_PREFIXES = [
  "status-",
  "history-",
  "actor-",
  "staff-role-",
  "card-btn-",
  "staff-done-",
  "staff-prompt-",
  "staff-admin-",
  "escalation-reason-",
  "dead-alert-to-",
  "weekly-title-",
  "weekly-col-",
  "stats-title-",
  "visits-col-",
  "edit-",
  "cmd-",
];

const locales = Object.fromEntries(LOCALES.map((l) => [l, readLocale(l)])) as Record<(typeof LOCALES)[number], Locale>;
const usage = scanCode();
const inBoth = (id: string) => LOCALES.every((l) => locales[l].ids.has(id));
const missingFrom = (id: string) => LOCALES.filter((l) => !locales[l].ids.has(id));

describe("locale keys: fa and en in step, and with the code", () => {
  it("every entry of every .ftl file parses (nothing silently dropped)", () => {
    expect([...locales.fa.unparsed, ...locales.en.unparsed]).toEqual([]);
  });

  it("fa and en define the same messages and terms", () => {
    const onlyFa = [...locales.fa.ids].filter((id) => !locales.en.ids.has(id)).sort();
    const onlyEn = [...locales.en.ids].filter((id) => !locales.fa.ids.has(id)).sort();
    expect({ onlyFa, onlyEn }).toEqual({ onlyFa: [], onlyEn: [] });
  });

  it("finds the code's keys by scanning it (the scan itself works)", () => {
    expect([...usage.called.keys()]).toEqual(
      expect.arrayContaining(["welcome", "submitted", "hint-photos", "feedback-already", "reminder-late-first"]),
    );
    expect([...usage.dynamic.keys()]).toEqual(expect.arrayContaining(["status-", "history-", "cmd-"]));
  });

  it("every key called in the code exists in both locales", () => {
    const missing = [...usage.called]
      .filter(([key]) => !inBoth(key))
      .map(([key, where]) => `${key} (${where}): missing in ${missingFrom(key).join(", ")}`);
    expect(missing).toEqual([]);
  });

  it("every template-literal key exists in both locales: all values where the models list them, else at least one", () => {
    const problems: string[] = [];
    for (const [prefix, where] of usage.dynamic) {
      const values = KNOWN_VALUES[prefix];
      if (values) {
        for (const v of values)
          if (!inBoth(`${prefix}${v}`))
            problems.push(`${prefix}${v} (${where}): missing in ${missingFrom(`${prefix}${v}`).join(", ")}`);
      } else if (![...locales.fa.ids].some((id) => id.startsWith(prefix) && inBoth(id))) {
        problems.push(`${prefix}… (${where}): no key with this prefix in both locales`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("every dynamic prefix listed here is still built by the code", () => {
    expect(DYNAMIC_PREFIXES.filter((p) => !usage.dynamic.has(p))).toEqual([]);
  });

  it("no dead text: every message is named in the code, placed by another message, or built from a listed prefix", () => {
    const dead = [...locales.fa.ids, ...locales.en.ids]
      .filter((id, i, all) => all.indexOf(id) === i && !id.startsWith("-"))
      .filter((id) => !usage.literals.has(id) && !usage.called.has(id))
      // A variant of a key the code names, built as `${key}-suffix`.
      .filter(
        (id) => ![...usage.suffixes].some((sfx) => id.endsWith(sfx) && usage.literals.has(id.slice(0, -sfx.length))),
      )
      .filter((id) => !LOCALES.some((l) => locales[l].referenced.has(id)))
      .filter((id) => !DYNAMIC_PREFIXES.some((p) => id.startsWith(p)))
      .sort();
    expect(dead).toEqual([]);
  });

  it("every term is used by some message", () => {
    const terms = new Set<string>();
    for (const l of LOCALES)
      for (const file of fs.readdirSync(path.join(LOCALES_DIR, l))) {
        for (const m of fs.readFileSync(path.join(LOCALES_DIR, l, file), "utf8").matchAll(/\{\s*(-[a-z][\w-]*)/g))
          terms.add(m[1]!);
      }
    expect([...locales.fa.ids, ...locales.en.ids].filter((id) => id.startsWith("-") && !terms.has(id))).toEqual([]);
  });
});
