import path from "node:path";
import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";
import type { Locale } from "../models/common/platform.ts";
import { ltr } from "./format.ts";

export const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "locales");

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

export function createI18n(defaultLocale: Locale): I18n {
  const i18n = new I18n({
    defaultLocale,
    // No FSI/PDI around every placeable: translator() marks only the left-to-right tokens, with LRM.
    fluentBundleOptions: { useIsolating: false },
  });
  i18n.loadLocalesDirSync(LOCALES_DIR);
  return i18n;
}

/**
 * Variables that always hold a left-to-right token: wrapped with ltr() in Persian text, so a code, phone
 * or coordinate reads as typed (English paragraphs are left-to-right already). Never a selector variable.
 * A literal glued to one in a template ("/status { $code }", "@{ $bot }") gets `{ -lrm }` before it.
 */
const LTR_VARS = new Set([
  "code",
  "input",
  "phone",
  "lat",
  "lon",
  "bot",
  "id",
  "chat",
  "error",
  "command",
  "url",
  "username",
]);

function markTokens(vars: Record<string, string | number> | undefined): Record<string, string | number> | undefined {
  if (!vars) return vars;
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(vars))
    out[name] = typeof value === "string" && value !== "" && LTR_VARS.has(name) ? ltr(value) : value;
  return out;
}

export function translator(i18n: I18n, locale: Locale): Translate {
  return (key, vars) => i18n.t(locale, key, locale === "fa" ? markTokens(vars) : vars);
}

/** A chosen locale wins; otherwise the client language if we speak it; otherwise the default. */
export function negotiateLocale(
  chosen: string | undefined,
  languageCode: string | undefined,
  fallback: Locale,
): Locale {
  if (chosen === "fa" || chosen === "en") return chosen;
  const lang = (languageCode ?? "").toLowerCase().split("-")[0];
  if (lang === "fa" || lang === "en") return lang;
  return fallback;
}
