import type { Locale } from "../../models/common/platform.ts";
import type { PageSlots, ScriptTexts } from "./texts.ts";

/** What the browser script reads from the page's JSON block (handlers/map/page/app.js). */
export interface PageData {
  lang: Locale;
  /** The desk's TZ_NAME: dates are shown as the desk sees them, not in the visitor's zone. */
  timeZone: string;
  recentDays: number;
  /** null = no base tiles: the outlines on a plain background. */
  tileUrl: string | null;
  tileAttribution: string;
  /** [[south, west], [north, east]]: the view when there are no regions to fit. */
  area: [[number, number], [number, number]];
  texts: ScriptTexts;
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** JSON safe inside <script type="application/json">: no "</script>" or "<!--" can be formed. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * Fills index.html's `{{slot}}`s: texts escaped as HTML, `{{data}}` as JSON (the block is data, never
 * run: the CSP allows no inline script). An unknown slot is an error in the template, not a blank.
 */
export function renderPage(template: string, slots: PageSlots, data: PageData, otherLanguageHref: string): string {
  const values: Record<string, string> = {
    ...Object.fromEntries(Object.entries(slots).map(([k, v]) => [k, escapeHtml(v)])),
    lang: data.lang,
    dir: data.lang === "fa" ? "rtl" : "ltr",
    otherLang: data.lang === "fa" ? "en" : "fa",
    otherLanguageHref: escapeHtml(otherLanguageHref),
    data: jsonForScript(data),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`handlers/map/page/index.html: unknown slot {{${name}}}`);
    return value;
  });
}
