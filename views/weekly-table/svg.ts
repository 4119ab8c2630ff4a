import type { TableView, TableViewRow } from "./view.ts";

/**
 * The performance table as an SVG picture: the heading, the 10-column table, a horizontal bar chart
 * of "% resolved on time" per row, and the legend. A pure function of the view (no fonts, no I/O),
 * so its layout is tested without rendering; weekly-table-image.ts turns it into a PNG.
 *
 * Persian is drawn right to left: the layout is computed from the start edge and mirrored, and every
 * text is wrapped in a right-to-left isolate (RLI…PDI). resvg lays a <text> out in a left-to-right
 * paragraph whatever its `direction` says (checked: a trailing "٪" jumped to the start of the line);
 * inside the isolate the Unicode Bidi Algorithm orders it as a right-to-left paragraph.
 */
export const IMAGE_WIDTH = 1080;
export const FONT_FAMILY = "Vazirmatn";

const PAD = 40;
const NAME_W = 300;
const FIGURES = 10;
const COL_W = (IMAGE_WIDTH - 2 * PAD - NAME_W) / FIGURES;
const TITLE_SIZE = 36;
const SUBTITLE_SIZE = 26;
const HEADER_H = 56;
const ROW_H = 52;
const BAR_H = 34;
const BAR_GAP = 16;
const LEGEND_LINE = 30;
/** Names longer than this many characters are cut with "…" (SVG cannot measure text; ~12 px a character at 24 px). */
const NAME_MAX_CHARS = 24;
/** A generous average advance of a glyph, as a fraction of the font size (bold Latin is the widest). */
const WIDE_GLYPH = 0.56;

const COLORS = {
  text: "#1b2430",
  muted: "#5b6675",
  header: "#2b4c7e",
  headerText: "#ffffff",
  zebra: "#f2f5f9",
  total: "#e1e8f2",
  rule: "#c9d2de",
  bar: "#3a78c9",
  barTotal: "#1f4e8c",
  track: "#e8edf3",
  background: "#ffffff",
};

export interface TableSvg {
  svg: string;
  width: number;
  height: number;
}

type Anchor = "start" | "end" | "middle";

/** Emoji (the title's 📈) have no glyph in Vazirmatn and no system font is loaded: left out, not drawn as a gap. */
const noEmoji = (s: string) => s.replace(/\p{Extended_Pictographic}\uFE0F?/gu, "").trim();
const escapeXml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const cut = (s: string, max: number) =>
  Array.from(s).length <= max
    ? s
    : `${Array.from(s)
        .slice(0, max - 1)
        .join("")}…`;
const n = (v: number) => Math.round(v * 10) / 10;

export function tableSvg(v: TableView): TableSvg {
  const rtl = v.locale === "fa";
  const W = IMAGE_WIDTH;
  // x measured from the start edge (the right one in Persian); anchors follow the mirror.
  const x = (fromStart: number) => n(rtl ? W - fromStart : fromStart);
  const anchor = (a: Anchor): string => (a === "middle" ? "middle" : (a === "start") !== rtl ? "start" : "end");
  const isolate = (s: string) => (rtl ? `\u2067${s}\u2069` : `\u2066${s}\u2069`);
  const parts: string[] = [];
  const text = (
    s: string,
    at: number,
    y: number,
    o: { size: number; bold?: boolean; color?: string; a?: Anchor; fit?: number },
  ) => {
    const shown = noEmoji(s);
    // A line that may be too long for the width (a title with two dates) is squeezed to fit, not cut off.
    const squeeze =
      o.fit !== undefined && Array.from(shown).length * o.size * WIDE_GLYPH > o.fit
        ? ` textLength="${n(o.fit)}" lengthAdjust="spacingAndGlyphs"`
        : "";
    parts.push(
      `<text x="${x(at)}" y="${n(y)}" font-size="${o.size}"${o.bold ? ' font-weight="700"' : ""} fill="${o.color ?? COLORS.text}" text-anchor="${anchor(o.a ?? "start")}"${squeeze}>${escapeXml(isolate(shown))}</text>`,
    );
  };
  const rect = (from: number, y: number, w: number, h: number, fill: string) =>
    parts.push(
      `<rect x="${n(rtl ? W - from - w : from)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${fill}"/>`,
    );

  let y = PAD;
  v.heading.forEach((line, i) => {
    const size = i === 0 ? TITLE_SIZE : SUBTITLE_SIZE;
    y += size + (i === 0 ? 0 : 14);
    text(line, PAD, y, { size, bold: i === 0, color: i === 0 ? COLORS.text : COLORS.muted, fit: W - 2 * PAD });
  });
  y += 28;

  // The table: a header band, a line per row (zebra), the total in bold on its own band.
  const colCentre = (i: number) => PAD + NAME_W + COL_W * i + COL_W / 2;
  rect(PAD, y, W - 2 * PAD, HEADER_H, COLORS.header);
  v.columns.forEach((label, i) =>
    text(label, colCentre(i), y + HEADER_H / 2 + 8, { size: 21, bold: true, color: COLORS.headerText, a: "middle" }),
  );
  y += HEADER_H;
  const tableRow = (r: TableViewRow, i: number, total: boolean) => {
    if (total || i % 2 === 1) rect(PAD, y, W - 2 * PAD, ROW_H, total ? COLORS.total : COLORS.zebra);
    const base = y + ROW_H / 2 + 9;
    text(cut(r.name, NAME_MAX_CHARS), PAD + 14, base, { size: 24, bold: total });
    r.cells.forEach((cell, c) => text(cell, colCentre(c), base, { size: 24, bold: total, a: "middle" }));
    y += ROW_H;
  };
  v.rows.forEach((r, i) => tableRow(r, i, false));
  parts.push(`<line x1="${PAD}" x2="${W - PAD}" y1="${y}" y2="${y}" stroke="${COLORS.rule}" stroke-width="2"/>`);
  tableRow(v.total, 0, true);
  if (v.more) {
    y += 34;
    text(v.more, PAD, y, { size: 20, color: COLORS.muted });
  }

  // The bar chart: each row's % resolved on time, on a 0–100 % track; "—" and no bar when nothing was resolved.
  y += 64;
  text(v.chartTitle, PAD, y, { size: 30, bold: true });
  y += 24;
  const trackFrom = PAD + NAME_W;
  const trackW = W - 2 * PAD - NAME_W - 90;
  const bar = (r: TableViewRow, total: boolean) => {
    const base = y + BAR_H / 2 + 9;
    text(cut(r.name, NAME_MAX_CHARS), PAD + 14, base, { size: 24, bold: total });
    rect(trackFrom, y, trackW, BAR_H, COLORS.track);
    const pct = r.onTimePct === null ? 0 : Math.max(0, Math.min(100, r.onTimePct));
    if (pct > 0) rect(trackFrom, y, (trackW * pct) / 100, BAR_H, total ? COLORS.barTotal : COLORS.bar);
    text(r.onTime, trackFrom + trackW + 14, base, { size: 24, bold: true });
    y += BAR_H + BAR_GAP;
  };
  v.rows.forEach((r) => bar(r, false));
  bar(v.total, true);

  y += 24;
  for (const line of v.legend) {
    y += LEGEND_LINE;
    text(line, PAD, y, { size: 19, color: COLORS.muted });
  }
  const height = Math.ceil(y + PAD);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="${FONT_FAMILY}">`,
    `<rect width="${W}" height="${height}" fill="${COLORS.background}"/>`,
    ...parts,
    "</svg>",
  ].join("\n");
  return { svg, width: W, height };
}
