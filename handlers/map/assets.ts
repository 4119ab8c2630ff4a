import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface Asset {
  type: string;
  body: Buffer;
  etag: string;
  cacheControl: string;
}

/** The page's own files: they change with a deploy, so the browser revalidates (cheap: ETag, 304). */
const PAGE_CACHE = "no-cache";
/** Leaflet changes only with package.json: a day without asking, then the ETag. */
const LIBRARY_CACHE = "public, max-age=86400";

function asset(file: string, type: string, cacheControl: string): Asset {
  const body = readFileSync(file);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  return { type, body, etag, cacheControl };
}

/** Where the page's static files are: beside this module (scripts/build.mjs copies them into dist/ too). */
export const PAGE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "page");

/** Leaflet's images its CSS may ask for (layer switcher, default marker); the page itself draws circles. */
const LEAFLET_IMAGES = ["layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"];

/**
 * Every static file under /map/, read once at start-up (a missing one fails the start, not a visitor):
 * Leaflet from node_modules (installed with the production dependencies), the rest from PAGE_DIR.
 */
export function loadAssets(pageDir = PAGE_DIR): { template: string; files: Map<string, Asset> } {
  const leaflet = createRequire(import.meta.url).resolve("leaflet/dist/leaflet.js");
  const leafletDir = path.dirname(leaflet);
  const files = new Map<string, Asset>([
    ["/map/leaflet.js", asset(leaflet, "text/javascript; charset=utf-8", LIBRARY_CACHE)],
    ["/map/leaflet.css", asset(path.join(leafletDir, "leaflet.css"), "text/css; charset=utf-8", LIBRARY_CACHE)],
    ["/map/app.js", asset(path.join(pageDir, "app.js"), "text/javascript; charset=utf-8", PAGE_CACHE)],
    ["/map/map.css", asset(path.join(pageDir, "map.css"), "text/css; charset=utf-8", PAGE_CACHE)],
  ]);
  for (const name of LEAFLET_IMAGES)
    files.set(`/map/images/${name}`, asset(path.join(leafletDir, "images", name), "image/png", LIBRARY_CACHE));
  return { template: readFileSync(path.join(pageDir, "index.html"), "utf8"), files };
}
