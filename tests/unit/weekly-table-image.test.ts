import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { renderTablePng } from "../../views/weekly-table/image.ts";
import { IMAGE_WIDTH, tableSvg } from "../../views/weekly-table/svg.ts";
import type { TableView } from "../../views/weekly-table/view.ts";
import { fitsCaption, tableText } from "../../views/weekly-table/text.ts";
import { sampleView } from "../fixtures/weekly-table-sample.ts";

// Redrawn on purpose only, by `npx tsx tests/fixtures/make-weekly-table-reference.ts`; never written here.
const REFERENCE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/weekly-table.reference.png");
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Pixels allowed to differ from the reference: anti-aliasing and rasteriser updates, not a moved bar or a changed digit. */
const TOLERANCE = 0.002;

/** Width and height from the PNG's IHDR chunk (right after the signature and the chunk's length and type). */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

function differingShare(a: Buffer, b: Buffer): number {
  const x = PNG.sync.read(a);
  const y = PNG.sync.read(b);
  expect([y.width, y.height]).toEqual([x.width, x.height]);
  return pixelmatch(x.data, y.data, null, x.width, x.height, { threshold: 0.1 }) / (x.width * x.height);
}

const withRows = (v: TableView, count: number): TableView => ({
  ...v,
  rows: Array.from({ length: count }, (_, i) => v.rows[i % v.rows.length]!),
});

describe("the performance table picture (SVG → PNG by resvg, Vazirmatn)", () => {
  it("is a PNG of the designed size: 1080 px wide, a table line and a bar more per row", () => {
    const view = sampleView();
    const { png, width, height } = renderTablePng(view);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: IMAGE_WIDTH, height });
    expect(width).toBe(1080);
    // Heading (2 lines), header band, 5 rows + total, chart title, 6 bars, 7 legend lines.
    expect(height).toBe(1174);
    // Each further row: a 52 px table line and a 34 px bar with its 16 px gap.
    expect(pngSize(renderTablePng(withRows(view, 6)).png).height).toBe(height + 52 + 34 + 16);
  });

  it("matches the committed reference image within the tolerance", () => {
    expect(differingShare(readFileSync(REFERENCE), renderTablePng(sampleView()).png)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("the comparison sees a changed figure (one bar shorter, one digit changed)", () => {
    const view = sampleView();
    const changed: TableView = {
      ...view,
      rows: [
        { ...view.rows[0]!, cells: ["۴۳", ...view.rows[0]!.cells.slice(1)], onTimePct: 50, onTime: "۵۰٪" },
        ...view.rows.slice(1),
      ],
    };
    expect(differingShare(readFileSync(REFERENCE), renderTablePng(changed).png)).toBeGreaterThan(TOLERANCE);
  });

  it("lays Persian out right to left: texts in RTL isolates, bars growing from the right", () => {
    const { svg } = tableSvg(sampleView());
    const texts = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    expect(texts.length).toBeGreaterThan(80);
    expect(texts.every((s) => s.startsWith("\u2067") && s.endsWith("\u2069"))).toBe(true);
    // The emoji of the chat title has no glyph in the font: the picture's title goes without it.
    expect(texts[0]).toBe("\u2067کارنامه هفتگی مناطق\u2069");
    // Bars (#3a78c9) on a 610 px track whose right edge is 340 px from the right border: 83 % is 506.3 px.
    const bars = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="34" fill="#3a78c9"\/>/g)].map(
      (m) => [Number(m[1]), Number(m[2])],
    );
    expect(bars.map(([, w]) => w)).toEqual([506.3, 372.1, 555.1, 201.3]);
    expect(bars.every(([x, w]) => Math.abs(x! + w! - (IMAGE_WIDTH - 340)) < 0.2)).toBe(true);
  });
});

describe("the phone text of the table", () => {
  it("one block per region (name, then three short lines), the total last; no columns", () => {
    const text = tableText(sampleView(), { legend: false });
    const blocks = text.split("\n\n");
    expect(blocks[0]).toBe("<b>📈 کارنامه هفتگی مناطق</b>\nاز ۳۰ آبان ۱۴۰۵ ساعت ۰۹:۰۰ تا ۷ آذر ۱۴۰۵ ساعت ۰۹:۰۰");
    expect(blocks[1]).toBe(
      [
        "<b>منطقه ۱ (شمال غرب)</b>",
        "دریافت ۴۲ · رسیدگی ۳۵ · به‌موقع ۸۳٪",
        "پاسخ ۲٫۵ ساعت · رفع ۳۰ ساعت · معوق ۳",
        "امتیاز ۴٫۴ · بازدید ۲۱ · حضوری ۷۱٪",
      ].join("\n"),
    );
    expect(blocks[5]).toBe(
      [
        "<b>بدون منطقه</b>",
        "دریافت ۳ · رسیدگی ۰ · به‌موقع —",
        "پاسخ — · رفع — · معوق ۰",
        "امتیاز — · بازدید ۰ · حضوری —",
      ].join("\n"),
    );
    expect(blocks.at(-1)!.startsWith("<b>جمع کل</b>\nدریافت ۱۲۶ ·")).toBe(true);
    expect(blocks).toHaveLength(7);
    // Short lines: nothing a phone has to wrap into a block of digits.
    expect(Math.max(...text.split("\n").map((l) => l.length))).toBeLessThanOrEqual(60);
  });

  it("fits a photo caption for a few regions, not for twenty", () => {
    expect(fitsCaption(sampleView())).toBe(true);
    expect(fitsCaption(withRows(sampleView(), 20))).toBe(false);
  });
});
