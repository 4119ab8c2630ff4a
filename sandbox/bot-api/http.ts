// Request plumbing for node:http: read a body with a size cap, turn any of the encodings the Bot
// API accepts (query string, JSON, urlencoded, multipart) into one parameter map, send JSON.
import type { IncomingMessage, ServerResponse } from "node:http";
import { BotApiError } from "./errors.ts";
import type { Upload } from "./multipart.ts";
import { boundaryOf, parseMultipart } from "./multipart.ts";

export interface ApiRequest {
  /** JSON bodies keep their types; every other encoding gives strings (as Telegram receives them). */
  params: Record<string, unknown>;
  files: Map<string, Upload>;
}

/** Telegram's upload ceiling for bots is 50 MB; a little room for the multipart framing. */
export const MAX_BODY_BYTES = 52 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        reject(new BotApiError(413, "Request Entity Too Large"));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function parseApiRequest(req: IncomingMessage, url: URL, body: Buffer): ApiRequest {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const files = new Map<string, Upload>();
  const contentType = req.headers["content-type"] ?? "";
  if (body.length === 0) return { params, files };
  if (/^application\/json/i.test(contentType)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw new BotApiError(400, "Bad Request: can't parse JSON request body");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new BotApiError(400, "Bad Request: JSON request body must be an Object");
    Object.assign(params, parsed);
  } else if (/^multipart\/form-data/i.test(contentType)) {
    const boundary = boundaryOf(contentType);
    if (!boundary) throw new BotApiError(400, "Bad Request: multipart/form-data without a boundary");
    const form = parseMultipart(body, boundary);
    Object.assign(params, form.fields);
    for (const [name, upload] of form.files) files.set(name, upload);
  } else {
    // application/x-www-form-urlencoded, and what curl sends without a content type.
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString("utf8"))));
  }
  return { params, files };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendBytes(res: ServerResponse, bytes: Buffer, contentType: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, { "content-type": contentType, "content-length": bytes.length });
  res.end(bytes);
}

/** Aborted when the client goes away before we answered (long polls, held requests). */
export function clientGone(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
