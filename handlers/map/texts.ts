import type { I18n } from "@grammyjs/i18n";
import { translator } from "../../core/i18n.ts";
import type { Locale } from "../../models/common/platform.ts";

/** Texts placed in the HTML by the server, by the `{{name}}` slot they fill. */
const PAGE_SLOTS = {
  title: "map-title",
  intro: "map-intro",
  filterLabel: "map-filter-label",
  filterAll: "map-filter-all",
  shown: "map-shown",
  legendTitle: "map-legend-title",
  legendOpen: "map-legend-open",
  legendClosed: "map-legend-closed",
  legendRegion: "map-legend-region",
  loading: "map-loading",
  otherLanguage: "map-other-language",
  privacy: "map-privacy",
} as const;

/** Texts the browser script needs for what it draws (popups, states), handed over as JSON. */
const SCRIPT_TEXTS = {
  statusOpen: "map-status-open",
  statusClosed: "map-status-closed",
  popupCategory: "map-popup-category",
  popupStatus: "map-popup-status",
  popupRequested: "map-popup-requested",
  popupUpdated: "map-popup-updated",
  popupNote: "map-popup-note",
  error: "map-error",
  empty: "map-empty",
} as const;

export type PageSlots = Record<keyof typeof PAGE_SLOTS, string>;
export type ScriptTexts = Record<keyof typeof SCRIPT_TEXTS, string>;

function translateAll<K extends string>(keys: Record<K, string>, t: (key: string) => string): Record<K, string> {
  return Object.fromEntries(Object.entries<string>(keys).map(([name, key]) => [name, t(key)])) as Record<K, string>;
}

/** Every text of the page in one locale; `days` is the "recently closed" window. */
export function mapTexts(i18n: I18n, locale: Locale, days: number): { page: PageSlots; script: ScriptTexts } {
  const translate = translator(i18n, locale);
  const t = (key: string) => translate(key, { days });
  return { page: translateAll(PAGE_SLOTS, t), script: translateAll(SCRIPT_TEXTS, t) };
}
