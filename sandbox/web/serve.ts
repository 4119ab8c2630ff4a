import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Feature, MultiPolygon, Polygon } from "geojson";

/** A region's name: one string, or per locale (the seed's `{ fa, en }`). */
export type RegionName = string | { fa?: string; en?: string };

/**
 * A district to draw: the seed's shape (`{ key, name, boundary }`, see models/geography/default-regions.ts)
 * or a GeoJSON Feature whose properties carry `name` (and optionally `key`).
 */
export type WebRegionInput =
  | { key?: string; name: RegionName; boundary: Polygon | MultiPolygon }
  | Feature<Polygon | MultiPolygon, { name?: RegionName; key?: string } | null>;

export interface ServiceArea {
  minLat: number;
  minLon: number;
  maxLat: number;
  maxLon: number;
}

export interface WebHandlerOptions {
  /** Base URL of the simulation API when it is not on the page's own origin (default: same origin). */
  simBaseUrl?: string;
  regions: WebRegionInput[];
  /** The map's extent; default the bot's SERVICE_AREA_BBOX default. */
  serviceArea?: ServiceArea;
  /** The messenger of the staff and managers groups (the bot's STAFF_PLATFORM); default "telegram". */
  staffPlatform?: "telegram" | "bale";
  /** The desk's TZ_NAME: the page shows message times in it (default: the browser's own zone). */
  timeZone?: string;
  /** Where the static files are (default: this folder); a build that moves serve.js points it at them. */
  staticDir?: string;
}

/** Serves the page's files; returns false (and writes nothing) for any other request. */
export type WebHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export const DEFAULT_SERVICE_AREA: ServiceArea = { minLat: 35.72, minLon: 50.8, maxLat: 35.92, maxLon: 51.2 };

interface RegionOut {
  key: string;
  name: RegionName;
  geometry: Polygon | MultiPolygon;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** The regions as the page reads them from /regions.json: `{ area, regions: [{ key, name, geometry }] }`. */
export function regionsPayload(
  regions: WebRegionInput[],
  area: ServiceArea = DEFAULT_SERVICE_AREA,
): { area: ServiceArea; regions: RegionOut[] } {
  const out: RegionOut[] = regions.map((r, i) => {
    if ("boundary" in r) return { key: r.key ?? `r${i + 1}`, name: r.name, geometry: r.boundary };
    const props = r.properties ?? {};
    return {
      key: props.key ?? String(r.id ?? `r${i + 1}`),
      name: props.name ?? props.key ?? `#${i + 1}`,
      geometry: r.geometry,
    };
  });
  return { area, regions: out };
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

/**
 * The browser chat page (sandbox/web): `/` (index.html), the ES modules (`/app.js`, `/chat-pane.js`,
 * …), `/app.css`, `/favicon.svg` and `/regions.json`. Mount it next to the Bot API emulator on one
 * server: the page calls `/sim/...` on its own origin.
 */
export function createWebHandler(opts: WebHandlerOptions): WebHandler {
  const dir = opts.staticDir ?? path.dirname(fileURLToPath(import.meta.url));
  // Only what is in the folder now, and only page files: never serve.ts (serve.js in a build) or the .d.ts helpers.
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const ext = path.extname(name);
    if (name.endsWith(".d.ts") || name.startsWith("serve.") || !(ext in TYPES)) continue;
    files.set(`/${name}`, path.join(dir, name));
  }
  if (!files.has("/index.html")) {
    throw new Error(
      `sandbox/web: no index.html in ${dir}; a build must copy the page's files (.html, .js, .css, .svg) next to serve.js, or pass staticDir`,
    );
  }
  files.set("/", path.join(dir, "index.html"));
  const simBase = (opts.simBaseUrl ?? "").replace(/\/+$/, "");
  const staffPlatform = opts.staffPlatform ?? "telegram";
  const timeZone = opts.timeZone ?? "";
  const regionsJson = JSON.stringify(regionsPayload(opts.regions, opts.serviceArea));
  const connect = ["'self'", originOf(simBase)].filter(Boolean).join(" ");
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' blob: data: ${originOf(simBase)}`,
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");

  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const pathname = (req.url ?? "/").split("?")[0]!;
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, {
        "content-type": type,
        "content-length": Buffer.byteLength(body),
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "content-security-policy": csp,
        "referrer-policy": "no-referrer",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (pathname === "/regions.json") {
      send(200, "application/json; charset=utf-8", regionsJson);
      return true;
    }
    const file = files.get(pathname === "/index.html" ? "/" : pathname);
    if (!file) return false;
    // Read on each request: editing the page needs only a reload, not a restart.
    readFile(file).then(
      (bytes) => {
        const type = TYPES[path.extname(file)] ?? "application/octet-stream";
        if (pathname === "/" || pathname === "/index.html") {
          const html = bytes
            .toString("utf8")
            .replace(
              '<meta name="sim-base" content="">',
              `<meta name="sim-base" content="${escapeAttribute(simBase)}">`,
            )
            .replace(
              '<meta name="staff-platform" content="telegram">',
              `<meta name="staff-platform" content="${escapeAttribute(staffPlatform)}">`,
            )
            .replace(
              '<meta name="time-zone" content="">',
              `<meta name="time-zone" content="${escapeAttribute(timeZone)}">`,
            );
          send(200, type, html);
        } else {
          send(200, type, bytes);
        }
      },
      () => send(404, "text/plain; charset=utf-8", "not found"),
    );
    return true;
  };
}
