// The sandbox has no authentication: it must answer this machine's own programs and its own page
// only. A web page elsewhere must not drive it, whether through DNS rebinding (a name of the
// attacker's that resolves to 127.0.0.1: the browser then sends that name as Host) or a
// cross-site request (a form post or fetch from another origin: the browser sends Origin).
import type { IncomingMessage } from "node:http";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Content types a cross-site HTML form (or a "simple" fetch, without preflight) can send. */
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);

export interface LocalOnlyOptions {
  /**
   * "socket": the Host's port must be the one the request came in on (the server people open).
   * "any": any port, for a server behind a front on this machine that forwards the front's Host
   * (npm start's one origin; tests' fronts). A browser always sends the port it connected to, so
   * the host name is what tells a rebinding page apart.
   */
  port: "socket" | "any";
  /** Host names besides the loopback ones: an address the operator chose to listen on. */
  hosts?: readonly string[];
  /** Origins of pages served elsewhere that may call (sandbox/web's simBaseUrl): answered with CORS. */
  corsOrigins?: readonly string[];
}

function parseHost(host: string): { name: string; port: number | null } | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host);
  if (!m) return null;
  return { name: m[1]!.toLowerCase(), port: m[2] === undefined ? null : Number(m[2]) };
}

/** The address `host` is written as in a Host header (IPv6 in brackets). */
export function hostName(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host.toLowerCase()}]` : host.toLowerCase();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Why the request is refused (403), or null when it comes from this machine or its own page. */
export function localRequestRefusal(req: IncomingMessage, opts: LocalOnlyOptions): string | null {
  const host = header(req, "host") ?? "";
  const parsed = parseHost(host);
  const names = new Set([...LOOPBACK, ...(opts.hosts ?? []).map(hostName)]);
  const port = parsed?.port ?? 80;
  if (!parsed || !names.has(parsed.name) || (opts.port === "socket" && port !== req.socket.localPort)) {
    return "the sandbox answers requests for 127.0.0.1 and localhost only (Host header)";
  }
  const origin = header(req, "origin");
  const cors = origin !== undefined && (opts.corsOrigins ?? []).includes(origin);
  // Browsers send Origin on every cross-origin request and on same-origin POSTs: it must be the
  // origin the request is addressed to (the page's own), or one named in corsOrigins.
  if (origin !== undefined && !cors && origin.toLowerCase() !== `http://${host.toLowerCase()}`)
    return "cross-origin request refused (Origin header)";
  const site = header(req, "sec-fetch-site");
  if (!cors && (site === "cross-site" || site === "same-site"))
    return "cross-site request refused (Sec-Fetch-Site header)";
  const method = (req.method ?? "GET").toUpperCase();
  const path = (req.url ?? "/").split("?")[0]!;
  const type = (header(req, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  // A browser that sends no Origin on a form post (older ones did not) is still stopped here: the
  // /sim API takes JSON and raw file bytes, never form encodings.
  if (
    path.startsWith("/sim/") &&
    method !== "GET" &&
    method !== "HEAD" &&
    method !== "OPTIONS" &&
    FORM_TYPES.has(type)
  ) {
    return "form posts refused: send JSON (content-type application/json) or a file with its own type";
  }
  return null;
}

/** CORS headers for an origin named in corsOrigins; none for anyone else (never "*"). */
export function corsHeaders(req: IncomingMessage, corsOrigins: readonly string[]): Record<string, string> {
  const origin = header(req, "origin");
  if (origin === undefined || !corsOrigins.includes(origin)) return {};
  return {
    "access-control-allow-origin": origin,
    vary: "Origin",
    "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
    "access-control-allow-headers": "content-type",
  };
}
