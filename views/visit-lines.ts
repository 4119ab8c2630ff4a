import type { Translate } from "../core/i18n.ts";
import { escapeHtml } from "../core/format.ts";

/** What every visit message selects on: on/off site (or no point to compare), the distance, live or static. */
export function visitPlaceVars(v: { distanceM?: number | null; onSite: boolean; live: boolean }): {
  where: "on" | "off" | "unknown";
  distance: number;
  kind: "live" | "static";
} {
  return {
    where: v.distanceM === null || v.distanceM === undefined ? "unknown" : v.onSite ? "on" : "off",
    distance: v.distanceM ?? 0,
    kind: v.live ? "live" : "static",
  };
}

/** The off-site reason and the internal note, one "↳" line each (HTML-escaped), as /case and the photo caption show them. */
export function visitDetailLines(t: Translate, reason: string, note: string): string[] {
  return [
    reason ? t("case-visit-reason", { reason: escapeHtml(reason) }) : "",
    note ? t("case-visit-note", { note: escapeHtml(note) }) : "",
  ].filter(Boolean);
}
