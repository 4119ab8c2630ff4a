import path from "node:path";
import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";
import type { Locale } from "../models/platform.ts";

export const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "locales");

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

export function createI18n(defaultLocale: Locale): I18n {
  const i18n = new I18n({
    defaultLocale,
    // Bidi isolation marks would end up inside tracking codes people copy; Telegram lays out RTL itself.
    fluentBundleOptions: { useIsolating: false },
  });
  i18n.loadLocalesDirSync(LOCALES_DIR);
  return i18n;
}

export function translator(i18n: I18n, locale: Locale): Translate {
  return (key, vars) => i18n.t(locale, key, vars);
}

/** A chosen locale wins; otherwise the client language if we speak it; otherwise the default. */
export function negotiateLocale(chosen: string | undefined, languageCode: string | undefined, fallback: Locale): Locale {
  if (chosen === "fa" || chosen === "en") return chosen;
  const lang = (languageCode ?? "").toLowerCase().split("-")[0];
  if (lang === "fa" || lang === "en") return lang;
  return fallback;
}
