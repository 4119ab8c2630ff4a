import { htmlToPlain } from "../../core/capabilities.ts";
import { escapeHtml } from "../../core/format.ts";
import type { TableView } from "./view.ts";

/** Telegram's caption limit, counted on the text as shown (after the HTML is parsed). */
export const CAPTION_MAX = 1024;

/**
 * The table for a phone screen, as HTML: the heading, then one short block per region (its name
 * in bold, three lines of labelled figures), then the total. Nothing is aligned in columns: a
 * phone wraps a 10-column line into an unreadable block. `legend`: the column meanings at the end,
 * for a text that goes without the image (the image has them).
 */
export function tableText(v: TableView, o: { legend: boolean }): string {
  const block = (name: string, lines: string[]) => [`<b>${escapeHtml(name)}</b>`, ...lines.map(escapeHtml)].join("\n");
  const head = [`<b>${escapeHtml(v.heading[0] ?? "")}</b>`, ...v.heading.slice(1).map(escapeHtml)].join("\n");
  const body = v.empty
    ? [escapeHtml(v.empty)]
    : [
        ...v.rows.map((r) => block(r.name, r.lines)),
        ...(v.more ? [escapeHtml(v.more)] : []),
        block(v.total.name, v.total.lines),
      ];
  return [head, ...body, ...(o.legend ? [v.legend.map(escapeHtml).join("\n")] : [])].join("\n\n");
}

/** Whether the text without the legend fits under the photo as its caption. */
export function fitsCaption(v: TableView): boolean {
  return htmlToPlain(tableText(v, { legend: false })).length <= CAPTION_MAX;
}
