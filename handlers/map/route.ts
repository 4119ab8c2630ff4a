import type { IncomingMessage, ServerResponse } from "node:http";
import type { I18n } from "@grammyjs/i18n";
import type { RouteHandler } from "../../core/http-route.ts";
import type { Config } from "../../core/config.ts";
import { regionOutlines } from "../../models/geography/region-outlines.ts";
import { loadAssets, type Asset } from "./assets.ts";
import { contentSecurityPolicy, securityHeaders, tileOrigin } from "./headers.ts";
import { pageLocale } from "./locale.ts";
import { renderPage, type PageData } from "./page-html.ts";
import { mapTexts } from "./texts.ts";

export interface MapRouteOptions {
  i18n: I18n;
  config: Pick<
    Config,
    "DEFAULT_LOCALE" | "TZ_NAME" | "MAP_TILE_URL" | "MAP_TILE_ATTRIBUTION" | "MAP_RECENT_DAYS" | "SERVICE_AREA_BBOX"
  >;
  /** Where index.html, app.js and map.css are (default: handlers/map/page beside this module). */
  pageDir?: string;
}

/** Region outlines change when an admin edits them: a few minutes' staleness is fine. */
const REGIONS_CACHE = "public, max-age=300";

/**
 * The public map: GET /map (the page, fa by default, `?lang=en` or Accept-Language), /map/app.js,
 * /map/map.css, /map/leaflet.js, /map/leaflet.css, Leaflet's images and /map/regions.json. Read-only and
 * without login; its pins come from /open311/v2/requests.json, which another route serves. Any other
 * path is not ours (false).
 */
export function createMapRoute(opts: MapRouteOptions): RouteHandler {
  const { config, i18n } = opts;
  const { template, files } = loadAssets(opts.pageDir);
  const tiles = tileOrigin(config.MAP_TILE_URL);
  const headers = securityHeaders(contentSecurityPolicy(tiles));
  const box = config.SERVICE_AREA_BBOX;

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    extra: Record<string, string>,
    body = "",
  ) => {
    const bytes = Buffer.from(body);
    res.writeHead(status, { ...headers, "content-length": String(bytes.length), ...extra });
    res.end(req.method === "HEAD" ? undefined : bytes);
  };

  const sendAsset = (req: IncomingMessage, res: ServerResponse, a: Asset) => {
    const common = { ...headers, etag: a.etag, "cache-control": a.cacheControl };
    if (req.headers["if-none-match"] === a.etag) return void res.writeHead(304, common).end();
    res.writeHead(200, { ...common, "content-type": a.type, "content-length": String(a.body.length) });
    res.end(req.method === "HEAD" ? undefined : a.body);
  };

  const page = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const lang = pageLocale(req, url, config.DEFAULT_LOCALE);
    const texts = mapTexts(i18n, lang, config.MAP_RECENT_DAYS);
    const data: PageData = {
      lang,
      timeZone: config.TZ_NAME,
      recentDays: config.MAP_RECENT_DAYS,
      tileUrl: config.MAP_TILE_URL ?? null,
      tileAttribution: config.MAP_TILE_ATTRIBUTION ?? "",
      area: [
        [box.minLat, box.minLon],
        [box.maxLat, box.maxLon],
      ],
      texts: texts.script,
    };
    const other = new URLSearchParams(url.searchParams);
    other.set("lang", lang === "fa" ? "en" : "fa");
    const html = renderPage(template, texts.page, data, `/map?${other}`);
    send(
      req,
      res,
      200,
      {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-cache",
        // The answer depends on it when ?lang is absent: a shared cache must not mix the languages.
        vary: "accept-language",
        "content-language": lang,
      },
      html,
    );
  };

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    const isPage = path === "/map" || path === "/map/";
    const asset = files.get(path);
    if (!isPage && !asset && path !== "/map/regions.json") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(req, res, 405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }, "GET only");
      return true;
    }
    if (isPage) page(req, res, url);
    else if (asset) sendAsset(req, res, asset);
    else {
      const body = JSON.stringify(await regionOutlines());
      send(
        req,
        res,
        200,
        { "content-type": "application/geo+json; charset=utf-8", "cache-control": REGIONS_CACHE },
        body,
      );
    }
    return true;
  };
}
