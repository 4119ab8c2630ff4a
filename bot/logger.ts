import pino from "pino";

export type Logger = pino.Logger;

/**
 * Fields that may hold a secret or a phone number, at the depths we log them (pino's wildcards
 * match one level each; a contact arrives as update.message.contact.phone_number).
 */
const REDACT_PATHS = [
  "token",
  "*.token",
  "phone",
  "*.phone",
  "*.*.phone",
  "phone_number",
  "*.phone_number",
  "*.*.phone_number",
  "*.*.*.phone_number",
  "config.TELEGRAM_BOT_TOKEN",
  "config.BALE_BOT_TOKEN",
];

const REDACTED = "[redacted]";

/**
 * A Bot API URL carries the token (`/bot<token>/<method>`). grammY keeps it out of its own messages,
 * but the fetch error it wraps may not (node-fetch: "request to …/bot<token>/sendMessage failed"),
 * and pino's error serializer prints that nested error (HttpError.error) with its stack.
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

export function createLogger(level: string, opts: LoggerOptions = {}): Logger {
  // Short strings could match innocent text; real tokens and secrets are far longer.
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 8);
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    // The last word on every line, whatever object or error produced it.
    hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
