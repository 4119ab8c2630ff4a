import type { RouteHandler } from "../../core/http-route.ts";
import { errorSummary } from "../../core/error-summary.ts";
import { paramsToFields } from "./body.ts";
import { requestLocale } from "./language.ts";
import { authorize, fail, makeCall, wrongJurisdiction, type Call, type Open311Deps } from "./call.ts";
import { discovery, media, request, requests, service, services, updates } from "./reads.ts";
import { postRequest } from "./post.ts";
import type { Format } from "./serialize.ts";

export type { Open311Deps };

const PREFIX = "/open311/v2/";

type Read = (call: Call, arg: string) => Promise<true> | true;

/** GET routes by path (without the format suffix); `:` marks the one path parameter. */
const READS: [RegExp, Read][] = [
  [/^discovery$/, discovery],
  [/^services$/, services],
  [/^services\/([^/]+)$/, service],
  [/^requests$/, requests],
  [/^requests\/([^/]+)$/, request],
  [/^servicerequestupdates$/, updates],
];

/**
 * Open311 GeoReport v2 under /open311/v2/ (README "Open311"): every endpoint as `.json` and
 * `.xml`, errors as the spec's list with the HTTP status as `code`. Anything else under the prefix
 * is a 404 in that shape; other paths are not ours (false).
 */
export function open311Routes(deps: Open311Deps): RouteHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith(PREFIX)) return false;
    const rest = safeDecode(url.pathname.slice(PREFIX.length));
    const m = /^(.+)\.(json|xml)$/.exec(rest);
    const format: Format = m?.[2] === "xml" ? "xml" : "json";
    const call = makeCall(req, res, deps, format, requestLocale(req), paramsToFields(url.searchParams));
    try {
      return await route(call, m?.[1] ?? null, rest);
    } catch (err) {
      deps.logger.error({ err: errorSummary(err), path: url.pathname }, "open311 request failed");
      if (res.headersSent) res.destroy();
      else fail(call, 500, [["open311-error-internal"]]);
      return true;
    }
  };
}

async function route(call: Call, path: string | null, rest: string): Promise<boolean> {
  const method = call.req.method ?? "GET";
  // Photos have their own type, not a format suffix.
  const photo = /^media\/([^/.]+)$/.exec(rest);
  if (photo && method === "GET") return (await readAllowed(call)) ? media(call, photo[1]!) : true;
  if (path === null) return fail(call, 404, [["open311-error-not-found"]]);
  if (path === "requests" && method === "POST") return postRequest(call);
  for (const [pattern, read] of READS) {
    const hit = pattern.exec(path);
    if (!hit) continue;
    if (method !== "GET" && method !== "HEAD") return fail(call, 405, [["open311-error-method"]], { allow: "GET" });
    if (!(await readAllowed(call))) return true;
    return read(call, hit[1] ?? "");
  }
  return fail(call, 404, [["open311-error-not-found"]]);
}

/** The jurisdiction and, when OPEN311_READ=key (or a key is given), the key; false = already answered. */
async function readAllowed(call: Call): Promise<boolean> {
  if (wrongJurisdiction(call, call.query)) return false;
  const client = await authorize(call, call.query, call.deps.config.OPEN311_READ === "key");
  return client !== "answered";
}

/** A malformed %-escape is a path nobody has, not a crash. */
function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return "";
  }
}
