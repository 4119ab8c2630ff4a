import type { IncomingMessage, ServerResponse } from "node:http";
import type { I18n } from "@grammyjs/i18n";
import type { Config } from "../../core/config.ts";
import type { Logger } from "../../core/logger.ts";
import { translator, type Translate } from "../../core/i18n.ts";
import type { RegionRouter } from "../../models/geography/routing.ts";
import type { Locale } from "../../models/common/platform.ts";
import type { PostFields } from "../../models/open311/post-request.ts";
import { findApiClient, type ApiClient } from "../../models/open311/api-keys.ts";
import { takeRequest } from "../../models/open311/rate-limit.ts";
import { errorDocument, sendDocument, type Document, type Format } from "./serialize.ts";

/** What the Open311 routes need: small enough to build in a test around any HttpServer. */
export interface Open311Deps {
  config: Config;
  logger: Logger;
  i18n: I18n;
  now: () => Date;
  /** Region routing (the bot's own router, so both channels share its cache). */
  router: RegionRouter;
  /** Tells the outbox dispatcher a staff card was queued, so it goes now rather than at the next poll. */
  wakeOutbox?: () => void;
}

/** One request being answered. */
export interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  deps: Open311Deps;
  format: Format;
  locale: Locale;
  t: Translate;
  /** The query string's fields (a POST adds its body's). */
  query: PostFields;
  now: Date;
}

export function makeCall(
  req: IncomingMessage,
  res: ServerResponse,
  deps: Open311Deps,
  format: Format,
  locale: Locale,
  query: PostFields,
): Call {
  return { req, res, deps, format, locale, t: translator(deps.i18n, locale), query, now: deps.now() };
}

/** A translated error line: its locale key and variables. */
export type ErrorLine = [key: string, vars?: Record<string, string | number>];

export function fail(call: Call, status: number, lines: ErrorLine[], headers: Record<string, string> = {}): true {
  sendDocument(
    call.res,
    status,
    errorDocument(
      status,
      lines.map(([key, vars]) => call.t(key, vars)),
    ),
    call.format,
    headers,
  );
  return true;
}

export function answer(call: Call, status: number, doc: Document, headers: Record<string, string> = {}): true {
  sendDocument(call.res, status, doc, call.format, { ...openReadHeaders(call), ...headers });
  return true;
}

/** Open reads are public data with no personal fields: any page may fetch them (a key never belongs in a browser). */
function openReadHeaders(call: Call): Record<string, string> {
  return call.req.method === "GET" && call.deps.config.OPEN311_READ === "open"
    ? { "access-control-allow-origin": "*" }
    : {};
}

export const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** jurisdiction_id, when the city named one: another is 404 (the spec's "jurisdiction_id not found"). */
export function wrongJurisdiction(call: Call, fields: PostFields): boolean {
  const wanted = call.deps.config.OPEN311_JURISDICTION;
  const given = one(fields.jurisdiction_id);
  if (!wanted || given === undefined || given === wanted) return false;
  return fail(call, 404, [["open311-error-jurisdiction", { input: given.slice(0, 100) }]]);
}

/**
 * The api_key: `required` and absent, or unknown, is 403; over its rate, 429. Answers the request
 * itself when it refuses (`"answered"`); null = no key and none needed.
 */
export async function authorize(
  call: Call,
  fields: PostFields,
  required: boolean,
): Promise<ApiClient | null | "answered"> {
  const key = one(fields.api_key);
  if (key === undefined || key === "") {
    if (!required) return null;
    fail(call, 403, [["open311-error-no-key", { input: "api_key" }]]);
    return "answered";
  }
  const client = await findApiClient(key);
  if (!client) {
    fail(call, 403, [["open311-error-bad-key"]]);
    return "answered";
  }
  const rate = await takeRequest(client.client, client.ratePerMin ?? call.deps.config.OPEN311_RATE_PER_MIN, call.now);
  if (!rate.ok) {
    fail(call, 429, [["open311-error-rate"]], { "retry-after": String(rate.retryAfterSeconds) });
    return "answered";
  }
  return client;
}

/** The public base of these routes: WEBHOOK_URL's origin when set (behind the proxy), else the Host asked for. */
export function baseUrl(call: Call): string {
  const configured = call.deps.config.WEBHOOK_URL;
  const origin = configured ? new URL(configured).origin : `http://${call.req.headers.host ?? "localhost"}`;
  return `${origin}/open311/v2`;
}
