import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import { FONT_FAMILY, tableSvg } from "./svg.ts";
import type { TableView } from "./view.ts";

/**
 * The table picture as PNG bytes: the SVG of weekly-table-svg.ts rasterised by resvg (Rust, a
 * prebuilt binary per platform; no browser). resvg shapes Arabic script with rustybuzz and orders it
 * by the Bidi Algorithm. The font is Vazirmatn from node_modules, regular and bold: no system font
 * is loaded, so the picture is the same on every machine and nothing is fetched at run time.
 */
const require = createRequire(import.meta.url);
const FONT_FILES = ["Regular", "Bold"].map((w) => require.resolve(`vazirmatn/fonts/ttf/Vazirmatn-${w}.ttf`));

export interface TablePng {
  png: Buffer;
  width: number;
  height: number;
}

export function renderTablePng(v: TableView): TablePng {
  const { svg, width, height } = tableSvg(v);
  const resvg = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    fitTo: { mode: "original" },
  });
  return { png: resvg.render().asPng(), width, height };
}
