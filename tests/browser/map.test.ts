// The public map (/map) on the desk's real HttpServer, next to the real Open311 routes, over the
// test database: first its HTTP answers (headers, languages, outlines), then the page in Debian's
// Chromium: pins counted against the database, the category filter, a popup, nothing fetched from
// any other host, right-to-left in Persian.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import pino from "pino";
import { HttpServer } from "../../bot/http/server.ts";
import { open311Routes } from "../../handlers/open311/routes.ts";
import { createMapRoute } from "../../handlers/map/index.ts";
import { loadConfig, type Config } from "../../core/config.ts";
import { createI18n } from "../../core/i18n.ts";
import { RegionRouter } from "../../models/geography/routing.ts";
import { Category } from "../../models/geography/category.ts";
import { Report } from "../../models/report/report.ts";
import { OPEN_STATUSES, STATUSES, type ReportStatus } from "../../models/report/report-status.ts";
import { DEFAULT_REGIONS } from "../../models/geography/default-regions.ts";
import { useTestDb } from "../support/test-db.ts";
import { seedReport } from "../support/seed-reports.ts";

const CHROMIUM = "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.log(`[browser] skipped: ${CHROMIUM} is missing (Debian: apt-get install -y chromium)`);

const DAY = 86_400_000;
const RECENT_DAYS = 30;
const CLOSED: readonly ReportStatus[] = STATUSES.filter((s) => !OPEN_STATUSES.includes(s));
/** A staff note with markup in it: the popup must show it as the characters typed. */
/** A valid 1×1 PNG, the tile host's answer. */
const ONE_PIXEL_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const HOSTILE_NOTE = 'تیم اعزام شد <img src="x" data-evil="1"> <b>فوری</b>';

interface Seed {
  status: ReportStatus;
  categoryKey: string;
  daysAgo: number;
  /** The public status change to `status` (none for "new"). */
  changedDaysAgo?: number;
  note?: string;
  /** [lat, lon]; absent = the citizen typed an address only. */
  at?: [number, number];
}

/**
 * Open reports of every age, closed ones inside and outside the recent window, one without a point.
 * Expected on the map: every open one with a point (including one filed 200 days ago, beyond the
 * API's default 90-day window) and the closed ones changed in the last 30 days.
 */
const SEEDS: Seed[] = [
  { status: "new", categoryKey: "road", daysAgo: 2, at: [35.9, 50.85] },
  {
    status: "in_progress",
    categoryKey: "lighting",
    daysAgo: 5,
    changedDaysAgo: 4,
    note: HOSTILE_NOTE,
    at: [35.88, 51.1],
  },
  { status: "assigned", categoryKey: "lighting", daysAgo: 200, changedDaysAgo: 199, at: [35.75, 50.9] },
  { status: "reopened", categoryKey: "water", daysAgo: 20, changedDaysAgo: 1, at: [35.77, 51.15] },
  {
    status: "resolved",
    categoryKey: "lighting",
    daysAgo: 10,
    changedDaysAgo: 3,
    note: "لامپ تعویض شد",
    at: [35.85, 50.95],
  },
  { status: "rejected", categoryKey: "road", daysAgo: 100, changedDaysAgo: 1, at: [35.86, 51.05] },
  { status: "duplicate", categoryKey: "garbage", daysAgo: 6, changedDaysAgo: 5, at: [35.74, 51.02] },
  // Closed too long ago: not on the map.
  { status: "resolved", categoryKey: "lighting", daysAgo: 80, changedDaysAgo: 60, at: [35.8, 50.82] },
  // No point: not on the map.
  { status: "new", categoryKey: "lighting", daysAgo: 1 },
];

async function seedAll(now: number): Promise<Map<Seed, string>> {
  const codes = new Map<Seed, string>();
  for (const s of SEEDS) {
    const created = new Date(now - s.daysAgo * DAY);
    const doc = await seedReport({ createdAt: created, status: s.status, categoryKey: s.categoryKey });
    const set: Record<string, unknown> = {};
    if (s.at) {
      set.location = { type: "Point", coordinates: [s.at[1], s.at[0]] };
      set.hasCoordinates = true;
    }
    const update: Record<string, unknown> = { $set: set };
    if (s.changedDaysAgo !== undefined)
      update.$push = {
        history: {
          at: new Date(now - s.changedDaysAgo * DAY),
          kind: "status",
          by: { kind: "staff", platform: "telegram", id: 900, name: "Omid" },
          from: "new",
          to: s.status,
          note: s.note ?? "",
          public: true,
        },
      };
    await Report.updateOne({ _id: doc._id }, update);
    codes.set(s, doc.code);
  }
  return codes;
}

/** What the map must show, asked of the database directly: a point, and open or closed within the window. */
async function expectedOnMap(now: number, categoryKey?: string): Promise<number> {
  return Report.countDocuments({
    location: { $exists: true },
    ...(categoryKey ? { categoryKey } : {}),
    $or: [
      { status: { $in: [...OPEN_STATUSES] } },
      { status: { $in: [...CLOSED] }, history: { $elemMatch: { at: { $gte: new Date(now - RECENT_DAYS * DAY) } } } },
    ],
  });
}

interface Running {
  url: string;
  config: Config;
  stop(): Promise<void>;
}

/** The desk's HttpServer with exactly the routes bot/main.ts mounts for these two parts. */
async function startServer(env: Record<string, string> = {}): Promise<Running> {
  const config = loadConfig({ LOG_LEVEL: "silent", MAP_RECENT_DAYS: String(RECENT_DAYS), ...env });
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const i18n = createI18n(config.DEFAULT_LOCALE);
  const http = new HttpServer({
    readiness: { report: async () => ({ ready: true, body: { status: "ready" } }) },
    logger,
  });
  http.addRoutes(open311Routes({ config, logger, i18n, now: () => new Date(), router: new RegionRouter(null) }));
  http.addRoutes(createMapRoute({ config, i18n }));
  const address: AddressInfo = await http.listen(0, "127.0.0.1");
  return { url: `http://127.0.0.1:${address.port}`, config, stop: () => http.close() };
}

describe("the public map's HTTP answers", () => {
  useTestDb();
  let server: Running;
  let tiled: Running;

  beforeAll(async () => {
    server = await startServer();
    tiled = await startServer({
      MAP_TILE_URL: "https://tiles.example.org/osm/{z}/{x}/{y}.png",
      MAP_TILE_ATTRIBUTION: "© OpenStreetMap <contributors>",
    });
  });
  afterAll(async () => {
    await server?.stop();
    await tiled?.stop();
  });

  it("serves the page in Persian, right to left, by default, with a CSP allowing only itself", async () => {
    const res = await fetch(`${server.url}/map`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).toContain("<title>نقشه گزارش‌های شهروندی ۱۳۷</title>");
    // The window's days, as Persian digits, in the server-rendered texts.
    expect(html).toContain("۳۰ روز");
    expect(html).not.toMatch(/\{\{\w+\}\}/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("img-src 'self' data:;");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    // Every <script> is a file or the data block, none runs inline.
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!.trim());
    expect(scripts).toEqual([
      'src="/map/leaflet.js" defer',
      'type="module" src="/map/app.js"',
      'type="application/json" id="map-data"',
    ]);
  });

  it("speaks English with ?lang=en or an English Accept-Language, left to right", async () => {
    const byQuery = await (await fetch(`${server.url}/map?lang=en`, { headers: { "accept-language": "fa" } })).text();
    expect(byQuery).toContain('<html lang="en" dir="ltr">');
    expect(byQuery).toContain("Citizen 137 reports map");
    expect(byQuery).toContain('href="/map?lang=fa"');
    const byHeader = await fetch(`${server.url}/map`, { headers: { "accept-language": "de-DE, en;q=0.8, fa;q=0.5" } });
    expect(byHeader.headers.get("content-language")).toBe("en");
    expect(byHeader.headers.get("vary")).toBe("accept-language");
    expect(await byHeader.text()).toContain('dir="ltr"');
    const neither = await fetch(`${server.url}/map`, { headers: { "accept-language": "de-DE" } });
    expect(neither.headers.get("content-language")).toBe("fa");
  });

  it("serves Leaflet from node_modules, cached, and answers 304 to its ETag", async () => {
    const file = createRequire(import.meta.url).resolve("leaflet/dist/leaflet.js");
    const res = await fetch(`${server.url}/map/leaflet.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(file))).toBe(true);
    const etag = res.headers.get("etag") ?? "";
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(`${server.url}/map/leaflet.js`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    const css = await fetch(`${server.url}/map/leaflet.css`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).toContain(".leaflet-container");
    const image = await fetch(`${server.url}/map/images/layers.png`);
    expect(image.headers.get("content-type")).toBe("image/png");
    const app = await fetch(`${server.url}/map/app.js`);
    expect(app.headers.get("cache-control")).toBe("no-cache");
    expect(await app.text()).toContain("/open311/v2");
  });

  it("gives the active regions' outlines as GeoJSON, names and shapes only", async () => {
    const res = await fetch(`${server.url}/map/regions.json`);
    expect(res.headers.get("content-type")).toBe("application/geo+json; charset=utf-8");
    const body = (await res.json()) as {
      type: string;
      features: { type: string; properties: Record<string, unknown>; geometry: unknown }[];
    };
    expect(body.type).toBe("FeatureCollection");
    expect(body.features.map((f) => f.properties)).toEqual(
      DEFAULT_REGIONS.map((r) => ({ key: r.key, name: r.name })).sort((a, b) => a.key.localeCompare(b.key)),
    );
    expect(body.features.map((f) => f.geometry)).toEqual(DEFAULT_REGIONS.map((r) => r.boundary));
  });

  it("answers only its own paths, and only GET and HEAD", async () => {
    expect((await fetch(`${server.url}/map/nothing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/mapx`)).status).toBe(404);
    const post = await fetch(`${server.url}/map`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    const head = await fetch(`${server.url}/map/leaflet.css`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("with MAP_TILE_URL: the tile host in img-src, the template and the escaped credit handed to the page", async () => {
    const res = await fetch(`${tiled.url}/map`);
    expect(res.headers.get("content-security-policy")).toContain("img-src 'self' data: https://tiles.example.org;");
    const html = await res.text();
    const json = /<script type="application\/json" id="map-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    const data = JSON.parse(json) as { tileUrl: string; tileAttribution: string };
    expect(data.tileUrl).toBe("https://tiles.example.org/osm/{z}/{x}/{y}.png");
    expect(data.tileAttribution).toBe("© OpenStreetMap <contributors>");
    // No "<" inside the data block: nothing in it can close the script element.
    expect(json).not.toContain("<");
  });

  it("refuses a tile template that would widen the CSP or is not one", () => {
    for (const bad of [
      "https://{s}.tile.example/{z}/{x}/{y}.png",
      "https://{x}.tile.example/{z}/{y}.png",
      "ftp://t/{z}/{x}/{y}",
      "https://t/{z}/{x}.png",
    ])
      expect(() => loadConfig({ MAP_TILE_URL: bad }), bad).toThrow(/MAP_TILE_URL/);
  });
});

// Each step waits on a real page over HTTP: generous per-test time for a loaded CI machine.
describe.skipIf(!HAVE_CHROMIUM)("the public map page (Chromium)", { timeout: 60_000 }, () => {
  useTestDb();
  let server: Running;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let codes: Map<Seed, string>;
  const now = Date.now();
  /** The desk's own origins (one per server started here); anything else is foreign. */
  const ours = new Set<string>();
  const foreign: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    codes = await seedAll(now);
    server = await startServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    // A Persian browser far from the desk: dates must follow the desk's zone, not the browser's.
    context = await browser.newContext({
      locale: "fa-IR",
      timezoneId: "America/New_York",
      viewport: { width: 1200, height: 900 },
    });
    ours.add(new URL(server.url).origin);
    // Anything for another host is recorded and refused, so the page cannot even try in secret.
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (ours.has(new URL(url).origin) || url.startsWith("data:")) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const pins = (selector = "") => page.locator(`path.map-pin${selector}`);
  const shownCount = async () => Number(await page.getByTestId("pin-count").getAttribute("data-count"));

  it("draws one pin per open or recently closed report with a point, as the database says", async () => {
    await page.goto(`${server.url}/map`);
    await page.locator('body[data-state="ready"]').waitFor({ timeout: 20_000 });
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    const expected = await expectedOnMap(now);
    expect(expected).toBe(7);
    expect(await pins().count()).toBe(expected);
    expect(await shownCount()).toBe(expected);
    // The count is written in Persian digits.
    expect(await page.getByTestId("pin-count").textContent()).toBe("۷");
    const wantIds = [...codes]
      .filter(([s]) => s.at && (OPEN_STATUSES.includes(s.status) || (s.changedDaysAgo ?? 99) <= RECENT_DAYS))
      .map(([, c]) => c);
    const ids = await pins().evaluateAll((els) =>
      els.map((e) => (e as unknown as { dataset: { id: string } }).dataset.id),
    );
    expect(ids.sort()).toEqual(wantIds.sort());
    expect(await pins(".map-pin-open").count()).toBe(4);
    expect(await pins(".map-pin-closed").count()).toBe(3);
    // The region outlines are drawn too (four default districts).
    expect(await page.locator("path.leaflet-interactive:not(.map-pin)").count()).toBe(DEFAULT_REGIONS.length);
  });

  it("filters by category: the count follows the database", async () => {
    const select = page.getByTestId("category-filter");
    const lighting = await Category.findOne({ key: "lighting" }).lean();
    // The filter lists the categories by their Persian names (from services.json).
    expect(await select.locator('option[value="lighting"]').textContent()).toBe(lighting?.title.fa);
    await select.selectOption("lighting");
    const expected = await expectedOnMap(now, "lighting");
    expect(expected).toBe(3);
    await expect.poll(() => pins().count()).toBe(expected);
    expect(await shownCount()).toBe(expected);
    expect(await pins('[data-service="lighting"]').count()).toBe(expected);
    await select.selectOption("garbage");
    expect(await expectedOnMap(now, "garbage")).toBe(1);
    await expect.poll(() => pins().count()).toBe(1);
    await select.selectOption("");
    await expect.poll(() => pins().count()).toBe(await expectedOnMap(now));
  });

  it("a pin's popup: category, status and dates in Persian, the note as plain text", async () => {
    const seed = SEEDS[1]!;
    const lighting = await Category.findOne({ key: "lighting" }).lean();
    await pins(`[data-id="${codes.get(seed)}"]`).click();
    const popup = page.getByTestId("popup");
    await popup.waitFor({ timeout: 5_000 });
    const text = (await popup.textContent()) ?? "";
    expect(text).toContain(lighting!.title.fa);
    expect(await popup.locator(".status-open").textContent()).toBe("باز");
    expect(text).toContain("یادداشت شهرداری");
    expect(await popup.locator(".note").textContent()).toBe(HOSTILE_NOTE);
    expect(await popup.locator("img, b").count()).toBe(0);
    // Jalali dates with Persian digits, in the desk's zone.
    const year = new Intl.DateTimeFormat("fa-IR-u-ca-persian", { year: "numeric", timeZone: "Asia/Tehran" }).format(
      new Date(now - seed.daysAgo * DAY),
    );
    expect(text).toContain(year.replace(/[^۰-۹]/g, ""));
    expect(await popup.getAttribute("dir")).toBe("rtl");
  });

  it("shows a closed report's status in the page's language, and English with ?lang=en", async () => {
    const seed = SEEDS[4]!;
    await pins(`[data-id="${codes.get(seed)}"]`).click();
    await page.locator('[data-testid="popup"] .status-closed').waitFor({ timeout: 5_000 });
    expect(await page.locator('[data-testid="popup"] .status-closed').textContent()).toBe("بسته‌شده");
    await page.goto(`${server.url}/map?lang=en`);
    await page.locator('body[data-state="ready"]').waitFor({ timeout: 20_000 });
    expect(await page.locator("html").getAttribute("dir")).toBe("ltr");
    await pins(`[data-id="${codes.get(seed)}"]`).click();
    const popup = page.getByTestId("popup");
    await popup.waitFor({ timeout: 5_000 });
    expect(await popup.locator(".status-closed").textContent()).toBe("Closed");
    const text = (await popup.textContent()) ?? "";
    const lighting = await Category.findOne({ key: "lighting" }).lean();
    expect(text).toContain(lighting!.title.en);
    // Gregorian year, Latin digits.
    expect(text).toContain(String(new Date(now - seed.daysAgo * DAY).getUTCFullYear()));
  });

  it("asked nothing of any other host, and broke no rule of its CSP", () => {
    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("with MAP_TILE_URL: tiles from that host only, under the page's CSP", async () => {
    const tiled = await startServer({
      MAP_TILE_URL: "https://tiles.example.org/osm/{z}/{x}/{y}.png",
      MAP_TILE_ATTRIBUTION: "© OpenStreetMap <b>contributors</b>",
    });
    ours.add(new URL(tiled.url).origin);
    const tiles: string[] = [];
    const tilePage = await context.newPage();
    tilePage.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
    });
    try {
      // Page-level routes are asked before the context's: the tile host answers with a real PNG.
      await tilePage.route("https://tiles.example.org/**", (route) => {
        tiles.push(route.request().url());
        return route.fulfill({ status: 200, contentType: "image/png", body: ONE_PIXEL_PNG });
      });
      await tilePage.goto(`${tiled.url}/map`);
      await tilePage.locator('body[data-state="ready"]').waitFor({ timeout: 20_000 });
      await expect.poll(() => tilePage.locator("img.leaflet-tile-loaded").count()).toBeGreaterThan(0);
      expect(tiles.length).toBeGreaterThan(0);
      expect(tiles.every((u) => /^https:\/\/tiles\.example\.org\/osm\/\d+\/\d+\/\d+\.png$/.test(u))).toBe(true);
      // The credit is shown as the characters configured, not as markup.
      expect(await tilePage.locator(".leaflet-control-attribution").textContent()).toContain(
        "© OpenStreetMap <b>contributors</b>",
      );
      expect(foreign).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await tilePage.close();
      await tiled.stop();
    }
  });
});
