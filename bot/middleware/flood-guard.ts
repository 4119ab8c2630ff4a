import type { Context, NextFunction } from "grammy";
import type { AppDeps } from "../../core/app.ts";
import { negotiateLocale, translator } from "../../core/i18n.ts";
import { errorSummary } from "../../core/error-summary.ts";
import { describeError } from "../../core/logger.ts";
import { updateFields } from "./log-update.ts";
import { activeStaffUserIds } from "../../models/people/staff.ts";
import type { Platform } from "../../models/common/platform.ts";

/** More than this many updates from one person in one window and the rest of the window is dropped. */
export const FLOOD_LIMIT = 20;
export const FLOOD_WINDOW_MS = 60_000;
/** People tracked at once per instance; past it the oldest windows are forgotten (they only lose their count). */
export const FLOOD_MAX_KEYS = 100_000;
/** The staff list is read again at most this often. */
export const STAFF_ROSTER_TTL_MS = 60_000;

interface Window {
  start: number;
  count: number;
  /** The slow-down notice went out in this window. */
  warned: boolean;
  /** Staff (by the roster): not limited for the rest of the window. */
  exempt: boolean;
}

export interface FloodWindowsOptions {
  windowMs: number;
  maxKeys: number;
}

/**
 * Fixed one-minute windows per person, in memory (per instance: an instance only sees what it
 * handles). A window is (re)inserted when it starts, so the Map's order is the windows' start
 * order and the ended ones are always at its front: eviction stops at the first live one.
 */
export class FloodWindows {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly opts: FloodWindowsOptions) {}

  get size(): number {
    return this.windows.size;
  }

  /** The window `key` is in at `now`, started afresh if its last one ended. */
  window(key: string, now: number): Window {
    this.evict(now);
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.opts.windowMs) {
      this.windows.delete(key);
      w = { start: now, count: 0, warned: false, exempt: false };
      this.windows.set(key, w);
      while (this.windows.size > this.opts.maxKeys) this.windows.delete(this.windows.keys().next().value!);
    }
    return w;
  }

  /** Counts one update; returns the window's count so far. */
  count(key: string, now: number): number {
    const w = this.window(key, now);
    return ++w.count;
  }

  private evict(now: number): void {
    for (const [key, w] of this.windows) {
      if (now - w.start < this.opts.windowMs) return;
      this.windows.delete(key);
    }
  }
}

/**
 * Who is staff on this platform, from MongoDB at most once a minute, and only when someone goes
 * over the limit: the check costs no read on ordinary traffic. A failed read keeps the last list
 * (and waits its minute), so a database outage does not turn into a read per update.
 */
export class StaffRoster {
  private ids = new Set<number>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly platform: Platform,
    private readonly onError: (err: unknown) => void,
    private readonly ttlMs = STAFF_ROSTER_TTL_MS,
  ) {}

  async has(userId: number, now: number): Promise<boolean> {
    if (now - this.loadedAt >= this.ttlMs) await (this.loading ??= this.load(now));
    return this.ids.has(userId);
  }

  private async load(now: number): Promise<void> {
    try {
      this.ids = new Set(await activeStaffUserIds(this.platform));
    } catch (err) {
      this.onError(err);
    } finally {
      this.loadedAt = now;
      this.loading = null;
    }
  }
}

export interface FloodGuardOptions extends Partial<FloodWindowsOptions> {
  limit?: number;
  roster?: StaffRoster;
}

/**
 * More than FLOOD_LIMIT updates a minute from one person: one "please slow down", and the rest of
 * that minute is dropped here, before anything reads or writes MongoDB (install it right after
 * `sequentialize`). Staff are exempt: they work fast on purpose (a field visit's live location
 * updates every few seconds, then photos), in their groups and in private, so the exemption is by
 * person (the roster above), not by chat type — exempting groups would also let anyone flood the
 * bot in any group it is in.
 */
export function floodGuard(app: AppDeps, opts: FloodGuardOptions = {}) {
  const limit = opts.limit ?? FLOOD_LIMIT;
  const windows = new FloodWindows({
    windowMs: opts.windowMs ?? FLOOD_WINDOW_MS,
    maxKeys: opts.maxKeys ?? FLOOD_MAX_KEYS,
  });
  const roster =
    opts.roster ??
    new StaffRoster(app.platform, (err) =>
      app.logger.warn({ err: errorSummary(err) }, "flood guard: could not read the staff list; keeping the last one"),
    );

  return async (ctx: Context, next: NextFunction): Promise<void> => {
    const from = ctx.from;
    // No sender (channel posts), or an id no messenger sends (a forged object, 2**60): nobody to
    // count. app-context ignores the latter before any database work.
    if (!from || !Number.isSafeInteger(from.id)) return next();
    const now = app.now().getTime();
    const w = windows.window(`${app.platform}:${from.id}`, now);
    w.count++;
    if (w.count <= limit || w.exempt) return next();
    if (await roster.has(from.id, now)) {
      w.exempt = true;
      return next();
    }
    if (w.warned) return;
    w.warned = true;
    app.logger.info(
      { ...updateFields(ctx), limit },
      "flood guard: too many updates from one person; dropping the rest of their minute",
    );
    await slowDown(app, ctx);
  };
}

/** The one notice of a window: in private chats and on buttons (only the presser sees it), never posted in a group. */
async function slowDown(app: AppDeps, ctx: Context): Promise<void> {
  const t = translator(app.i18n, negotiateLocale(undefined, ctx.from?.language_code, app.config.DEFAULT_LOCALE));
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: t("flood-slow-down"), show_alert: true });
    else if (ctx.message && ctx.chat?.type === "private") await ctx.reply(t("flood-slow-down"));
  } catch (err) {
    app.logger.warn(
      { err: describeError(err), ...updateFields(ctx) },
      "flood guard: could not send the slow-down notice",
    );
  }
}
