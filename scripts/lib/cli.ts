import "dotenv/config";
import { createInterface } from "node:readline/promises";
import { parseArgs, type ParseArgsConfig } from "node:util";
import cliProgress from "cli-progress";
import { ConfigError, loadConfig, type Config } from "../../core/config.ts";
import { connectDb, disconnectDb } from "../../models/infra/db.ts";
import { jalaliToGregorian } from "./jalali-date.ts";
import { latinDigits } from "../../models/common/digits.ts";
import { withSandboxDefaults } from "../../core/sandbox-runtime.ts";
import { zoneOffsetMs } from "../../models/common/time-zone.ts";

/**
 * What every admin script shares: --help, one clear line and exit 1 on bad arguments or an
 * unreachable database, the same config as the bot, progress, and confirmation before damage.
 */
export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseCli<O extends Options>(usage: string, options: O, opts: { positionals?: boolean } = {}) {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: opts.positionals ?? false,
      strict: true,
      options: { ...options, help: { type: "boolean", short: "h" } },
    });
  } catch (err) {
    fail(`${err instanceof Error ? err.message : String(err)} (see --help)`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed;
}

/** The bot's configuration; against the running sandbox's database, completed with its chats and bots. */
export function scriptConfig(): Config {
  try {
    return withSandboxDefaults(loadConfig());
  } catch (err) {
    if (err instanceof ConfigError) fail(err.problems.map((p) => `config error: ${p}`).join("\n"));
    throw err;
  }
}

/** The passwords in a connection string stay out of messages. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, "//***@");
}

/** Connects with MONGODB_URI (the bot's database, or the URI the running sandbox prints). */
export async function connectScript(cfg: Config): Promise<void> {
  if (!cfg.MONGODB_URI)
    fail(
      "MONGODB_URI is not set: point it at the bot's MongoDB (in .env or the environment; the sandbox prints its URI)",
    );
  try {
    await connectDb(cfg.MONGODB_URI, { serverSelectionTimeoutMS: 5_000 });
  } catch (err) {
    fail(`cannot reach MongoDB at ${redactUri(cfg.MONGODB_URI)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Runs a script's body connected, always disconnecting; any failure is one line and exit 1. */
export async function runScript(cfg: Config, body: () => Promise<number | void>): Promise<void> {
  await connectScript(cfg);
  try {
    process.exitCode = (await body()) ?? 0;
  } catch (err) {
    console.error(`failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  } finally {
    await disconnectDb();
  }
}

/** Destructive steps ask first; `--yes` answers for scripts, and without a terminal the answer is no. */
export async function confirm(question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    console.error(`${question} — refusing without a terminal; pass --yes to confirm`);
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export interface Progress {
  tick(n?: number): void;
  done(): void;
}

/** A bar on a terminal; plain "label: n/total" lines (every 10 %) otherwise, e.g. in logs and CI. */
export function progress(label: string, total: number): Progress {
  let count = 0;
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total}`, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { tick: (n = 1) => bar.update((count += n)), done: () => bar.stop() };
  }
  const step = Math.max(1, Math.ceil(total / 10));
  let next = step;
  return {
    tick(n = 1) {
      count += n;
      if (count >= next && count < total) {
        console.error(`${label}: ${count}/${total}`);
        next += step;
      }
    },
    done: () => console.error(`${label}: ${count}/${total}`),
  };
}

/** A plain-text table for a terminal: columns padded to their widest cell, two spaces apart. */
export function textTable(head: string[], cells: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  return [head, ...cells]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** How the date options are described in each script's --help. */
export const DATE_HELP =
  "YYYY-MM-DD, Jalali (e.g. 1405-09-01: a year below 1700) or Gregorian, that day in TZ_NAME; or ISO";
export const DATE_ERROR =
  "(YYYY-MM-DD Jalali or Gregorian, e.g. 1405-09-01 or 2026-11-22, or ISO, e.g. 2026-11-28T05:30:00Z)";

/** A year below this is Jalali (today's is ~1405); from it on, Gregorian. */
const FIRST_GREGORIAN_YEAR = 1700;

/**
 * A --from/--to/--at value: an ISO timestamp as given, or a day = that day in the city's time zone
 * (with `dayEnd`, the start of the next day, so an end date includes its whole day). The day is
 * YYYY-MM-DD (or with /), Jalali when the year is below 1700, else Gregorian; Persian and
 * Arabic-Indic digits count as digits. Else fail.
 */
export function dateOption(name: string, value: string, timeZone: string, dayEnd = false): Date {
  const text = latinDigits(value.trim());
  const day = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/.exec(text);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[3]), Number(day[4])];
    const g = y < FIRST_GREGORIAN_YEAR ? jalaliToGregorian(y, m, d) : { year: y, month: m, day: d };
    const midnight = g && new Date(Date.UTC(g.year, g.month - 1, g.day));
    if (
      g &&
      midnight &&
      midnight.getUTCFullYear() === g.year &&
      midnight.getUTCMonth() === g.month - 1 &&
      midnight.getUTCDate() === g.day
    ) {
      const utc = Date.UTC(g.year, g.month - 1, g.day + (dayEnd ? 1 : 0));
      return new Date(utc - zoneOffsetMs(utc - zoneOffsetMs(utc, timeZone), timeZone));
    }
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(new Date(text).getTime())) {
    return new Date(text);
  }
  fail(`--${name} "${value}" is not a date ${DATE_ERROR}`);
}
