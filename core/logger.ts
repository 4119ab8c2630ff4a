import { GrammyError, HttpError } from "grammy";
import { isMongoServerError } from "../models/infra/driver-errors.ts";
import { PLATFORMS } from "../models/common/platform.ts";
import pino from "pino";

export type Logger = pino.Logger;

const REDACTED = "[redacted]";

/**
 * Keys whose values are what people wrote or who they are, or secrets: replaced at any depth of a
 * log object (an update, a Bot API payload, a report, a contact, a request body).
 */
const CONTENT_KEYS = new Set([
  "text",
  "caption",
  "contact",
  "location",
  "venue",
  "phone",
  "phone_number",
  "first_name",
  "last_name",
  "vcard",
  "address",
  "venueTitle",
  "question",
  "note",
  "payload",
  "body",
  "token",
  "TELEGRAM_BOT_TOKEN",
  "BALE_BOT_TOKEN",
]);

/**
 * Replaced below the top level only. At the top they are the fields our own lines name (the Bot
 * API's `description` of a failure, the bot's `username` at start-up); nested, they belong to a
 * message, a user or a report (`report.description`, `from.username`, `citizen.name`).
 */
const NESTED_CONTENT_KEYS = new Set(["description", "name", "username"]);

/** Our error classes: their messages name codes, ids and states, never what people wrote. */
const SAFE_MESSAGE_CLASSES = new Set([
  "DomainError",
  "ConfigError",
  "NothingToSend",
  "SendAborted",
  "FileTooLargeError",
  "EventAlreadyApplied",
  "RecordTimeout",
  "BackupError",
]);

/** Driver errors about the connection: their messages name hosts and timeouts. */
const SAFE_DRIVER_CLASSES = new Set([
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoServerSelectionError",
  "MongooseServerSelectionError",
  "MongoNotConnectedError",
  "MongoTopologyClosedError",
  "MongoPoolClearedError",
]);

/**
 * A chat id as a log line may name it: a group's or channel's (negative: a staff chat, no one's
 * personal data), never a private chat's, which is the person's own user id. Undefined then.
 */
export function loggableChatId(id: unknown): number | undefined {
  return typeof id === "number" && Number.isSafeInteger(id) && id < 0 ? id : undefined;
}

const PRIVATE_CHAT_IN_ID = new RegExp(`:(${PLATFORMS.join("|")}):\\d+(?=$|:)`, "g");

/**
 * An outbox row id as a log line may name it. A notice's id ends in the chat it goes to
 * (`…:<platform>:<chatId>`, models/report/report-transition.ts); a private chat's id there is the
 * person's, so it reads `private`. Groups' ids (negative) and every other part stay.
 */
export function loggableRowId(id: string): string {
  return id.replace(PRIVATE_CHAT_IN_ID, ":$1:private");
}

const MAX_DEPTH = 8;

/** What describeError produced: the `err` serializer passes these on as they are. */
const DESCRIBED = new WeakSet<object>();
const MAX_CAUSES = 3;

function className(err: Error): string {
  const ctor = (Object.getPrototypeOf(err) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof ctor === "string" && ctor !== "" ? ctor : err.name;
}

/** A stack without its first lines, which repeat the message: only the "at …" frames. */
function framesOnly(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  return stack
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .join("\n");
}

function safeCode(value: unknown): string | number | undefined {
  if (typeof value === "number") return value;
  return typeof value === "string" && /^[\w.-]{1,64}$/.test(value) ? value : undefined;
}

/**
 * What a log line may say about an error: an allow-list, never the error's own fields (a
 * GrammyError carries the whole request in `payload`: the staff card's text, a contact, a location).
 * Bot API errors: method, code, description, a group's chat id. Network errors: grammY's message (it names the
 * method only). Our errors and the driver's connection errors: their message. Anything else (a
 * validation error quotes the value it refused, a duplicate-key error the key): class, code, frames.
 */
export function describeError(err: unknown, causes = MAX_CAUSES): Record<string, unknown> {
  const out = describe(err, causes);
  DESCRIBED.add(out);
  return out;
}

function describe(err: unknown, causes: number): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: err === null ? "null" : typeof err };
  const type = className(err);
  if (err instanceof GrammyError) {
    const chatId = loggableChatId((err.payload as { chat_id?: unknown } | undefined)?.chat_id);
    return {
      type,
      method: err.method,
      error_code: err.error_code,
      description: err.description,
      ...(chatId === undefined ? {} : { chatId }),
      stack: err.stack,
    };
  }
  const out: Record<string, unknown> = { type };
  if (err instanceof HttpError) {
    out.message = err.message;
    out.stack = err.stack;
    if (causes > 0 && err.error !== undefined) out.cause = describeError(err.error, causes - 1);
    return out;
  }
  const code = safeCode((err as { code?: unknown }).code);
  if (code !== undefined) out.code = code;
  if (isMongoServerError(err)) {
    if (typeof err.codeName === "string") out.codeName = err.codeName;
    out.stack = framesOnly(err.stack);
  } else if (SAFE_MESSAGE_CLASSES.has(type) || SAFE_DRIVER_CLASSES.has(type)) {
    out.message = err.message;
    out.stack = err.stack;
  } else {
    out.stack = framesOnly(err.stack);
  }
  if (causes > 0 && err.cause !== undefined) out.cause = describeError(err.cause, causes - 1);
  return out;
}

function isBytes(value: object): boolean {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/**
 * A copy of a log object with content keys replaced and errors described, at any depth (bounded;
 * cycles cut). The caller's object is never changed.
 */
export function redactContent(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return describeError(value);
  if (DESCRIBED.has(value) || value instanceof Date) return value;
  if (isBytes(value)) return `[${(value as ArrayBufferLike).byteLength} bytes]`;
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(value);
  try {
    // ObjectId, mongoose documents…: what JSON would print, then the same rules.
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return redactContent((toJSON as () => unknown).call(value), depth, seen);
    if (Array.isArray(value)) return value.map((v) => redactContent(v, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] =
        CONTENT_KEYS.has(key) || (depth > 0 && NESTED_CONTENT_KEYS.has(key))
          ? REDACTED
          : redactContent(v, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * `err`/`error` serializer. Errors are described (the log formatter has usually done it already);
 * strings pass, because ours are errorSummary() lines; any other thrown value shows its type only.
 */
function errorSerializer(value: unknown): unknown {
  if (typeof value === "string" || (typeof value === "object" && value !== null && DESCRIBED.has(value))) return value;
  return describeError(value);
}

/**
 * A Bot API URL carries the token (`/bot<token>/<method>`). grammY keeps it out of its own messages,
 * but the fetch error it wraps may not (node-fetch: "request to …/bot<token>/sendMessage failed").
 */
const BOT_URL_TOKEN = /\/bot\d+:[\w-]+/g;

/** The line with bot URLs' tokens and every known secret (tokens, webhook secrets) replaced. */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line.replace(BOT_URL_TOKEN, `/bot${REDACTED}`);
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out;
}

export interface LoggerOptions {
  /** Values that must never appear in a log line: bot tokens, webhook secrets. */
  secrets?: readonly string[];
  /** Where lines go (stdout by default; tests capture them). */
  destination?: pino.DestinationStream;
}

/**
 * Logs never carry message content, by construction rather than by each call's care: every log
 * object (and child binding) goes through `redactContent`, every error through `describeError`.
 */
export function createLogger(level: string, opts: LoggerOptions = {}): Logger {
  // Short strings could match innocent text; real tokens and secrets are far longer.
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 8);
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: errorSerializer, error: errorSerializer },
    formatters: {
      log: (obj) => redactContent(obj) as Record<string, unknown>,
      bindings: (bindings) => redactContent(bindings) as pino.Bindings,
    },
    // The last word on every line, whatever object or error produced it.
    hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
  };
  const logger = opts.destination ? pino(options, opts.destination) : pino(options);
  // pino resets the bindings formatter for children: their bindings are redacted here instead.
  // Children inherit this `child` from the root (they are Object.create(parent)), grandchildren too.
  type ChildFn = (this: unknown, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => unknown;
  const child = logger.child as unknown as ChildFn;
  const redactingChild: ChildFn = function (this: unknown, bindings, childOptions) {
    return child.call(this, redactContent(bindings) as pino.Bindings, childOptions);
  };
  logger.child = redactingChild as unknown as typeof logger.child;
  return logger;
}
