import { z } from "zod";
import cron from "node-cron";
import { PLATFORMS } from "../models/common/platform.ts";

/** Bounding box of the service area: [minLat, minLon, maxLat, maxLon]. Default: greater Karaj. */
const bboxSchema = z.string().transform((raw, ctx) => {
  const parts = raw.split(",").map((p) => Number(p.trim()));
  const [minLat, minLon, maxLat, maxLon] = parts;
  if (
    parts.length !== 4 ||
    parts.some((n) => !Number.isFinite(n)) ||
    minLat === undefined ||
    minLon === undefined ||
    maxLat === undefined ||
    maxLon === undefined ||
    minLat >= maxLat ||
    minLon >= maxLon
  ) {
    ctx.addIssue({ code: "custom", message: "must be minLat,minLon,maxLat,maxLon with min < max" });
    return z.NEVER;
  }
  return { minLat, minLon, maxLat, maxLon };
});

const chatIdSchema = z.string().regex(/^-?\d+$/, "must be a numeric chat id");
const platformSchema = z.enum(PLATFORMS);

const adminIdsSchema = z.string().transform((raw, ctx) => {
  const out: { platform: "telegram" | "bale"; userId: number }[] = [];
  for (const item of raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(telegram|bale):(\d+)$/.exec(item);
    if (!m) {
      ctx.addIssue({ code: "custom", message: `"${item}" is not platform:userId (e.g. telegram:12345)` });
      continue;
    }
    out.push({ platform: m[1] as "telegram" | "bale", userId: Number(m[2]) });
  }
  return out;
});

const intSchema = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const cronSchema = z
  .string()
  .refine((expr) => cron.validate(expr), "is not a cron expression (minute hour day month weekday, e.g. 0 8 * * *)");
const urlSchema = z.url({ protocol: /^https?$/ });

export const configSchema = z.object({
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, "must start with mongodb:// or mongodb+srv://")
    .optional(),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]+$/, "does not look like a bot token (digits:secret)")
    .optional(),
  TELEGRAM_API_ROOT: urlSchema.default("https://api.telegram.org"),
  BALE_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]+$/, "does not look like a bot token (digits:secret)")
    .optional(),
  BALE_API_ROOT: urlSchema.default("https://tapi.bale.ai"),
  STAFF_PLATFORM: platformSchema.default("telegram"),
  STAFF_CHAT_ID: chatIdSchema.optional(),
  MANAGERS_CHAT_ID: chatIdSchema.optional(),
  ADMIN_USER_IDS: adminIdsSchema.default([]),
  TZ_NAME: z.string().refine(isTimeZone, "is not an IANA time zone (e.g. Asia/Tehran)").default("Asia/Tehran"),
  DEFAULT_LOCALE: z.enum(["fa", "en"]).default("fa"),
  /** 0 = any free port (tests read the chosen one from the "HTTP server listening" log line). */
  HTTP_PORT: intSchema(0, 65535).default(8137),
  HTTP_HOST: z.string().min(1).default("0.0.0.0"),
  WEBHOOK_URL: urlSchema.optional(),
  /**
   * This instance's name in the update inbox, stable across its restarts (default: the host name):
   * after a crash it resumes at once the updates it held. Give each instance on one host its own.
   */
  INSTANCE_ID: z
    .string()
    .regex(/^[\w.:@-]{1,100}$/, "letters, digits and . : @ _ - only (at most 100)")
    .optional(),
  /** How long shutdown waits for updates in progress before it gives up on them. */
  SHUTDOWN_GRACE_MS: intSchema(0, 600_000).default(10_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Updates a minute one person may send before "please slow down" (staff exempt); 0 = no limit. */
  FLOOD_LIMIT_PER_MINUTE: intSchema(0, 10_000).default(20),
  SERVICE_AREA_BBOX: bboxSchema.default({ minLat: 35.72, minLon: 50.8, maxLat: 35.92, maxLon: 51.2 }),
  REPORTS_PER_DAY: intSchema(1, 1000).default(5),
  DUPLICATE_RADIUS_M: intSchema(1, 5000).default(50),
  PHOTO_MAX_BYTES: intSchema(1024, 20 * 1024 * 1024).default(10 * 1024 * 1024),
  RETENTION_DAYS: intSchema(1, 3650).default(365),
  /** Where the no-token sandbox keeps its database file between runs. */
  SANDBOX_DATA_DIR: z.string().default("data"),
  /** Outgoing rate limits per bot (30/s, 1/s per chat, 20/min per group). Only tests turn it off. */
  API_THROTTLE: z
    .enum(["on", "off"])
    .default("on")
    .transform((v) => v === "on"),
  /**
   * Messages a minute one staff group may receive, per platform (Telegram: 20; Bale does not document
   * its limits, so the same until known). The outbox paces each group to it (bot/outbox/group-budget.ts).
   */
  GROUP_MESSAGES_PER_MINUTE_TELEGRAM: intSchema(1, 600).default(20),
  GROUP_MESSAGES_PER_MINUTE_BALE: intSchema(1, 600).default(20),
  /** A group whose queue would take longer than this to drain is compacted: new cases go out as digests first (README "Scale"). */
  GROUP_BACKLOG_SECONDS: intSchema(5, 3600).default(60),
  // Cron jobs (bot/cron): reminders and escalations run every N minutes, N dividing the hour evenly.
  REMINDER_INTERVAL_MINUTES: intSchema(1, 60)
    .refine((n) => 60 % n === 0, "must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)")
    .default(15),
  REMIND_EVERY_HOURS: intSchema(1, 168).default(4),
  REMINDER_MAX_CASES: intSchema(1, 50).default(10),
  ESCALATE_AFTER_HOURS: intSchema(1, 720).default(24),
  ESCALATE_AFTER_REMINDERS: intSchema(1, 100).default(3),
  DIGEST_CRON: cronSchema.default("0 8 * * *"),
  /** Saturday: the first day of the Iranian week. */
  WEEKLY_CRON: cronSchema.default("0 9 * * 6"),
  FEEDBACK_REMINDER_AFTER_HOURS: intSchema(1, 720).default(72),
  // Field visits (models/report/visit.ts): on site within this many metres (a category may set its own).
  VISIT_RADIUS_M: intSchema(10, 5000).default(150),
  /** Site photos must be sent within this many minutes of the shared location. */
  VISIT_WINDOW_MINUTES: intSchema(1, 240).default(15),
  /** The daily digest lists open cases older than this many days that nobody has visited. */
  DIGEST_UNVISITED_DAYS: intSchema(1, 365).default(3),
  /** The 137 centre's phone, shown in /help and the fallback reply; unset = no contact line. */
  CENTRE_PHONE: z
    .string()
    .trim()
    .regex(
      /^\+?\d[\d -]{1,18}\d$/,
      "must be a phone number: digits, spaces and dashes, an optional leading + (e.g. 137 or +98 26 3456 0137)",
    )
    .optional(),
  /** When the centre answers (free text, shown as written beside the phone; Persian digits read best). */
  CENTRE_HOURS: z.string().trim().max(100, "must be at most 100 characters").optional(),
  /**
   * Base tiles of the public map (/map), e.g. https://tile.example/{z}/{x}/{y}.png. One host (no {s}):
   * the page's Content-Security-Policy allows images from exactly that origin. Unset: outlines only.
   */
  MAP_TILE_URL: z
    .string()
    .trim()
    .refine(isTileTemplate, "must be an http(s) URL with {z}, {x} and {y} after the host and no other placeholder")
    .optional(),
  /** Credit line for those tiles (plain text, e.g. "© OpenStreetMap contributors"). */
  MAP_TILE_ATTRIBUTION: z.string().trim().max(200, "must be at most 200 characters").optional(),
  /** The map shows closed reports updated within this many days ("recently resolved"). */
  MAP_RECENT_DAYS: intSchema(1, 365).default(30),
  // Open311 GeoReport v2 at /open311/v2/ (README "Open311").
  /** Set: a request naming another jurisdiction_id is answered 404. Unset: any (or none) is accepted. */
  OPEN311_JURISDICTION: z
    .string()
    .trim()
    .regex(/^[\w.-]{1,100}$/, "letters, digits and . _ - only (e.g. karaj.ir)")
    .optional(),
  /** on: descriptions, typed addresses and photos are published in GET requests (a city that moderates); off: left out. */
  OPEN311_PUBLIC_TEXT: z
    .enum(["on", "off"])
    .default("off")
    .transform((v) => v === "on"),
  /** open: anyone may read requests and services; key: reads need an api_key too. */
  OPEN311_READ: z.enum(["open", "key"]).default("open"),
  /** Requests a minute one API key may make, unless its own rate was set (npm run apikeys -- add … --rate N/min). */
  OPEN311_RATE_PER_MIN: intSchema(1, 100_000).default(60),
});

export type Config = z.infer<typeof configSchema>;
export type { Platform } from "../models/common/platform.ts";
export type BoundingBox = Config["SERVICE_AREA_BBOX"];

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function isTileTemplate(raw: string): boolean {
  const placeholders: string[] = raw.match(/\{[^}]*\}/g) ?? [];
  if (!["{z}", "{x}", "{y}"].every((p) => placeholders.includes(p))) return false;
  if (placeholders.some((p) => !["{z}", "{x}", "{y}"].includes(p))) return false;
  try {
    const a = new URL(raw.replace(/\{[zxy]\}/g, "0"));
    // Placeholders in the path or query only: the CSP names one origin.
    return /^https?:$/.test(a.protocol) && a.origin === new URL(raw.replace(/\{[zxy]\}/g, "1")).origin;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/** Parses the environment; empty strings count as unset so `.env.example` copies work as-is. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = configSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`));
}
