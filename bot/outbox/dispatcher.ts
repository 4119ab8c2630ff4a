import { randomUUID } from "node:crypto";
import { GrammyError, HttpError, type Api } from "grammy";
import { loggableRowId, type Logger } from "../../core/logger.ts";
import { managersChat } from "../../core/platforms.ts";
import type { Platform } from "../../models/common/platform.ts";
import {
  claimNextRow,
  releaseEarlierLives,
  dropChatRows,
  markDead,
  markFinal,
  markRetry,
  markSent,
  postponeChat,
  releaseRow,
  sentSteps,
  type ClaimedRow,
} from "../../models/infra/outbox.ts";
import { relayStaleOutbox } from "../../models/infra/outbox-relay.ts";
import { alertDeadRows, DEAD_ALERT_KIND } from "../../models/infra/job-outbox.ts";
import { markChatUnreachable } from "../../models/people/citizen.ts";
import { NothingToSend, sendRow, type RenderDeps } from "./render.ts";
import { refused, rowFields } from "./renderer.ts";
import { errorSummary } from "../../core/error-summary.ts";
import { inSendMode, installSendMode, SendAborted, type SendMeter } from "./send-mode.ts";
import { GroupBudget, messagesOf, OverBudget } from "./group-budget.ts";
import {
  deferNewCases,
  deferredGroups,
  groupQueueLength,
  hasDeferred,
  queueDigest,
  releaseNextCase,
  type GroupChat,
} from "../../models/infra/group-backlog.ts";

export interface DispatcherOptions extends RenderDeps {
  /** Raw Api per platform, without auto-retry: the dispatcher must see 429s to reschedule. */
  apis: Partial<Record<Platform, Api>>;
  logger: Logger;
  now?: () => Date;
  workerId?: string;
  /** This instance's stable name (INSTANCE_ID): the worker is `<instance>#<life>`, and at start it re-queues what its earlier life was sending. */
  instance?: string;
  maxAttempts?: number;
  /** The poll right after a pass that sent something (default 1 s). */
  pollMs?: number;
  /** Idle, the poll backs off (doubling) up to this (default 30 s); any row sent or wake-up resets it. */
  idlePollMaxMs?: number;
  /** How often the loop sweeps for a crash's leftovers: unrelayed report rows, dead rows not alerted, compacted groups (default 60 s). */
  sweepEveryMs?: number;
  /** Compact a group that is behind (digests first, full cards after); off = pace only (bench --no-compaction). Default on. */
  compaction?: boolean;
  /** The loop's pause between passes (tests: a virtual clock); cut short by wakeUp() and stop(). */
  sleep?: (ms: number) => Promise<void>;
}

/** How the dispatcher's per-chat maps (compacted groups, holds) name a chat. */
const chatKey = (c: { platform: Platform; chatId: number }) => `${c.platform}:${c.chatId}`;

/** Chat holds kept before the expired ones are cleared out (bounds the map, not the holds). */
const MAX_HOLDS = 1_000;

/** A compacted group gets at most one "📥 new cases" digest this often. */
export const DIGEST_INTERVAL_MS = 30_000;

/** While a pass runs long, the compacted groups are stepped at most this often. */
const COMPACT_STEP_MS = 1_000;

interface Compacted extends GroupChat {
  lastDigestAt: number;
}

const MINUTE = 60_000;
/**
 * The longest idle poll. Rows this process queues wake the loop (handlers, the form's Submit, cron
 * runs, Open311); only rows queued elsewhere (another instance, a script) wait for the poll.
 */
export const IDLE_POLL_MAX_MS = 30_000;

/**
 * Request timeout for the outbox Apis (grammY ApiClientOptions.timeoutSeconds). grammY's default is
 * 500 s; a send that hangs that long holds its chat's queue and a shutdown. A timeout is transient:
 * the row is retried with backoff.
 */
export const OUTBOX_TIMEOUT_SECONDS = 30;

/**
 * How long a claimed row is this dispatcher's: longer than its longest send, the new-case alert's
 * three calls (photos, card, pin) and a plain-text retry of two, each up to the request timeout.
 * Another dispatcher takes a row over only after that (a crash); a restart re-queues its own at once.
 */
export const OUTBOX_LEASE_MS = 6 * OUTBOX_TIMEOUT_SECONDS * 1000;

/** How long stop() lets the send in hand finish before it aborts the request (the row goes back to the queue). */
export const OUTBOX_STOP_DEADLINE_MS = 5_000;

/** Exponential backoff for transient failures: 5 s, 10 s, 20 s … capped at 30 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(30 * MINUTE, 5_000 * 2 ** Math.max(0, attempts - 1));
}

/** Log fields of a failed send: row id, kind, method, code, description; the payload (texts, contacts, locations) never. */
function failureFields(row: ClaimedRow, err: unknown): Record<string, unknown> {
  const base = { ...rowFields(row), attempts: row.attempts };
  if (err instanceof GrammyError)
    return { ...base, method: err.method, code: err.error_code, description: err.description };
  return { ...base, error: errorSummary(err) };
}

/**
 * Sends outbox rows. Rows are leased atomically, so several dispatchers (instances) can run; a
 * row is settled only by its lease holder.
 */
export class OutboxDispatcher {
  readonly workerId: string;
  private readonly now: () => Date;
  private readonly maxAttempts: number;
  private running = false;
  private stopping = false;
  /** Aborted by stop() once its deadline passes: cuts the Bot API request in flight. */
  private halt = new AbortController();
  private loop: Promise<void> | null = null;
  /** Ends the current sleep between passes; null while a pass runs. */
  private wake: (() => void) | null = null;
  /** A wakeUp() that came during a pass: the next sleep is skipped (the pass may have missed the row). */
  private woken = false;
  /** Each staff group's message budget (API_THROTTLE on): a group row is held, not sent, when it is spent. */
  private readonly budget: GroupBudget | null;
  /** Groups that are behind (README "Scale"), by `platform:chatId`. */
  private readonly compacted = new Map<string, Compacted>();
  private lastCompactAt = -Infinity;
  private lastSweepAt = -Infinity;
  /** The earliest time this dispatcher postponed a row to during the pass (budget, 429, backoff): the idle poll never sleeps past it. */
  private soonest: number | null = null;
  /**
   * Chats this dispatcher postponed (429, backoff), by `platform:chatId`, until when. A row queued
   * for one since is held too instead of being sent into the wait: the claim already puts a row
   * behind its chat's earlier rows, but not behind a "📥 new cases" digest (which holds none back).
   */
  private readonly holds = new Map<string, number>();

  constructor(private readonly opts: DispatcherOptions) {
    this.workerId = opts.workerId ?? `${opts.instance ?? "dispatcher"}#${randomUUID()}`;
    this.now = opts.now ?? (() => new Date());
    this.maxAttempts = opts.maxAttempts ?? 12;
    const c = opts.config;
    this.budget = c.API_THROTTLE
      ? new GroupBudget((p) => (p === "bale" ? c.GROUP_MESSAGES_PER_MINUTE_BALE : c.GROUP_MESSAGES_PER_MINUTE_TELEGRAM))
      : null;
  }

  /**
   * Sends every row due now; returns how many rows it settled. Tests and `job` runs call this
   * directly. `sweep: false`: a pass as the running loop makes between its once-a-minute sweeps.
   */
  async drainOnce(opts: { sweep?: boolean } = {}): Promise<number> {
    return this.pass(opts.sweep ?? true);
  }

  private async pass(sweep: boolean): Promise<number> {
    if (sweep) {
      this.lastSweepAt = this.now().getTime();
      await relayStaleOutbox(new Date(this.now().getTime() - MINUTE));
      // Dead rows whose alerts a crash (or an outage) kept from being queued.
      await this.alertDead();
      // Groups compacted before a restart (or by another instance that stopped).
      if (this.compactionOn) for (const g of await deferredGroups()) this.track(g);
    }
    await this.stepCompacted();
    let handled = 0;
    while (!this.stopping) {
      if (this.now().getTime() - this.lastCompactAt >= COMPACT_STEP_MS) await this.stepCompacted();
      const row = await claimNextRow(this.workerId, this.now(), OUTBOX_LEASE_MS);
      if (!row) return handled;
      await this.deliver(row);
      handled++;
    }
    return handled;
  }

  private get compactionOn(): boolean {
    return this.budget !== null && this.opts.compaction !== false;
  }

  private track(g: GroupChat): void {
    const key = chatKey(g);
    if (!this.compacted.has(key)) this.compacted.set(key, { ...g, lastDigestAt: -Infinity });
  }

  /**
   * One step of each compacted group (models/infra/group-backlog.ts): new cases deferred, a digest
   * when its interval has passed, the next deferred case released once the group's queue is empty.
   * A group with nothing deferred left is back to normal.
   */
  private async stepCompacted(): Promise<void> {
    const now = this.now();
    this.lastCompactAt = now.getTime();
    for (const [key, g] of this.compacted) {
      await deferNewCases(g, now);
      if (now.getTime() - g.lastDigestAt >= DIGEST_INTERVAL_MS && (await queueDigest(g, now, DIGEST_INTERVAL_MS)))
        g.lastDigestAt = now.getTime();
      await releaseNextCase(g, now);
      if (!(await hasDeferred(g))) this.compacted.delete(key);
    }
  }

  private perMinute(platform: Platform): number {
    const c = this.opts.config;
    return platform === "bale" ? c.GROUP_MESSAGES_PER_MINUTE_BALE : c.GROUP_MESSAGES_PER_MINUTE_TELEGRAM;
  }

  private postponedTo(until: Date): void {
    const t = until.getTime();
    this.soonest = this.soonest === null ? t : Math.min(this.soonest, t);
  }

  /** Postpones the chat's waiting rows, and this dispatcher holds rows queued for it since, until then. */
  private async holdChat(row: ClaimedRow, until: Date): Promise<void> {
    await postponeChat(row.platform, row.chatId, until);
    // Holds that ran out are forgotten when their chat's next row comes; a chat that never has
    // another must not stay in the map for the process's life.
    if (this.holds.size >= MAX_HOLDS) {
      const now = this.now().getTime();
      for (const [key, t] of this.holds) if (t <= now) this.holds.delete(key);
    }
    this.holds.set(chatKey(row), until.getTime());
    this.postponedTo(until);
  }

  /** The time the row's chat is held until, if it still is (a hold that ran out is forgotten). */
  private heldUntil(row: ClaimedRow): number | null {
    const key = chatKey(row);
    const until = this.holds.get(key);
    if (until === undefined) return null;
    if (until > this.now().getTime()) return until;
    this.holds.delete(key);
    return null;
  }

  /**
   * The group's budget is spent: the row waits for its next slot without an attempt counted (like a
   * 429, but nothing was asked of the Bot API), and the group's later rows wait too. A group whose
   * queue would take longer than GROUP_BACKLOG_SECONDS to drain is compacted.
   */
  private async holdForBudget(row: ClaimedRow, waitMs: number): Promise<void> {
    const until = new Date(this.now().getTime() + waitMs);
    await markRetry(row.id, this.workerId, until, "", { countAttempt: false, sent: sentSteps(row) });
    await postponeChat(row.platform, row.chatId, until);
    this.postponedTo(until);
    const g = { platform: row.platform, chatId: row.chatId };
    if (!this.compactionOn || this.compacted.has(chatKey(g))) return;
    const drainSeconds = ((await groupQueueLength(g)) * 60) / this.perMinute(g.platform) + waitMs / 1000;
    if (drainSeconds <= this.opts.config.GROUP_BACKLOG_SECONDS) return;
    this.opts.logger.info(
      { platform: g.platform, chatId: g.chatId, drainSeconds: Math.round(drainSeconds) },
      "staff group is behind: new cases go out as digests first",
    );
    this.track(g);
  }

  /**
   * The group budget's gate for one row: its first sending call (or the renderer's reserve(), for a
   * row of several messages: all of them) waits for a slot; the row's later calls are counted.
   */
  private meterFor(row: ClaimedRow): SendMeter | undefined {
    const budget = this.budget;
    if (!budget || row.chatId >= 0) return undefined;
    let first = true;
    const gate = (n: number) => {
      if (n === 0 || !first) return;
      first = false;
      const wait = budget.waitMs(row.platform, row.chatId, n, this.now().getTime());
      if (wait > 0) throw new OverBudget(wait);
    };
    return {
      reserve: gate,
      admit: (method, payload) => gate(messagesOf(method, payload)),
      sent: (method, payload) => {
        const n = messagesOf(method, payload);
        if (n > 0) budget.take(row.platform, row.chatId, n, this.now().getTime());
      },
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    if (this.halt.signal.aborted) this.halt = new AbortController();
    this.loop = (async () => {
      if (this.opts.instance) {
        const requeued = await releaseEarlierLives(this.opts.instance, this.workerId).catch((err: unknown) => {
          this.opts.logger.warn(
            { error: errorSummary(err) },
            "could not re-queue what this instance was sending before its restart; leases will run out",
          );
          return 0;
        });
        if (requeued > 0)
          this.opts.logger.info(
            { rows: requeued },
            "re-queued outbox rows this instance was sending before its restart",
          );
      }
      const base = this.opts.pollMs ?? 1_000;
      const idleMax = Math.max(base, this.opts.idlePollMaxMs ?? IDLE_POLL_MAX_MS);
      let idle = base;
      while (this.running) {
        let handled = 0;
        try {
          const sweep = this.now().getTime() - this.lastSweepAt >= (this.opts.sweepEveryMs ?? MINUTE);
          handled = await this.pass(sweep);
        } catch (err) {
          this.opts.logger.warn({ err }, "outbox pass failed; will retry");
        }
        if (!this.running) break;
        if (this.woken) {
          this.woken = false;
          idle = base;
          continue;
        }
        const delay = this.nextDelay(handled, base, idle);
        idle = handled > 0 ? base : Math.min(idle * 2, idleMax);
        await this.pause(delay);
      }
    })();
  }

  /**
   * The pause before the next pass: the base poll after a pass that sent something, else the idle
   * backoff (rows queued by another instance or a script wait at most that long; this process's own
   * wake the loop), never past a row this dispatcher postponed, and the base poll while a group is
   * compacted (its digests and releases are stepped by the passes).
   */
  private nextDelay(handled: number, base: number, idle: number): number {
    let delay = handled > 0 ? base : idle;
    if (this.compacted.size > 0) delay = Math.min(delay, base);
    if (this.soonest !== null) {
      delay = Math.min(delay, Math.max(0, this.soonest - this.now().getTime()));
      this.soonest = null;
    }
    return delay;
  }

  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve();
      };
      this.wake = finish;
      if (this.opts.sleep) void this.opts.sleep(ms).then(finish);
      else timer = setTimeout(finish, ms);
    });
    this.wake = null;
  }

  /**
   * Runs the next pass now instead of after the poll interval: this process just queued a row a
   * person is waiting to see (a card redraw after a press). Rows queued elsewhere (another
   * instance, a script) are found by the poll. Does nothing when the loop is not running.
   */
  wakeUp(): void {
    if (!this.running) return;
    if (this.wake) this.wake();
    else this.woken = true;
  }

  /**
   * Finishes the row in hand (no further row is claimed) and stops. A send still in flight after
   * `deadlineMs` is aborted and its row handed back to the queue for the next dispatcher.
   */
  async stop(deadlineMs = OUTBOX_STOP_DEADLINE_MS): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.wake?.();
    const loop = this.loop;
    if (!loop) return;
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      loop.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), deadlineMs))),
    ]);
    clearTimeout(timer);
    if (!late) return;
    this.opts.logger.warn(
      { deadlineMs },
      "outbox send still in flight at the stop deadline: aborting it; the row stays queued",
    );
    this.halt.abort();
    await loop;
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    const api = this.opts.apis[row.platform];
    if (!api) {
      // Not a refusal (nothing was tried): `failed`, no alert; the deployment has no bot for it.
      this.opts.logger.warn(
        { ...rowFields(row), platform: row.platform },
        "outbox row for a platform with no bot configured",
      );
      await markFinal(row.id, this.workerId, "failed", `no bot configured for ${row.platform}`);
      return;
    }
    const held = this.heldUntil(row);
    if (held !== null) {
      // Queued after its chat's 429 or backoff: waits as long, nothing asked of the Bot API, no attempt counted.
      await markRetry(row.id, this.workerId, new Date(held), "", { countAttempt: false });
      return;
    }
    installSendMode(api);
    try {
      await this.send(api, row, false);
    } catch (err) {
      if (err instanceof OverBudget) return this.holdForBudget(row, err.waitMs);
      if (this.halted(err)) return this.handBack(row);
      if (!refused(err)) return this.settleFailure(row, err);
      // A 4xx is about this payload (markup, entities, a button): once more at once, as plain text.
      this.opts.logger.warn(failureFields(row, err), "outbox send refused; retrying as plain text");
      try {
        await this.send(api, row, true);
      } catch (plainErr) {
        if (plainErr instanceof OverBudget) return this.holdForBudget(row, plainErr.waitMs);
        if (this.halted(plainErr)) return this.handBack(row);
        if (refused(plainErr)) return this.bury(row, plainErr);
        return this.settleFailure(row, plainErr);
      }
      this.opts.logger.info(rowFields(row), "outbox row sent as plain text");
    }
    await markSent(row.id, this.workerId, this.now());
  }

  private async send(api: Api, row: ClaimedRow, plain: boolean): Promise<void> {
    const meter = this.meterFor(row);
    await inSendMode({ plain, signal: this.halt.signal, ...(meter ? { meter } : {}) }, () =>
      sendRow(api, row, { ...this.opts, now: this.now }),
    );
  }

  /** Cut short by stop(): whatever the error says (an aborted fetch looks like a network error), the row did not fail. */
  private halted(err: unknown): boolean {
    return err instanceof SendAborted || this.halt.signal.aborted;
  }

  private async handBack(row: ClaimedRow): Promise<void> {
    this.opts.logger.warn(rowFields(row), "outbox send aborted by the stop; the row goes back to the queue");
    await releaseRow(row.id, this.workerId, sentSteps(row));
  }

  private async settleFailure(row: ClaimedRow, err: unknown): Promise<void> {
    const { logger } = this.opts;
    const now = this.now();
    const summary = errorSummary(err);
    if (err instanceof NothingToSend) {
      logger.info({ ...rowFields(row), reason: err.message }, "outbox row has nothing to send");
      await markFinal(row.id, this.workerId, "failed", err.message);
      return;
    }
    if (err instanceof GrammyError) {
      if (err.error_code === 429) {
        logger.warn(failureFields(row, err), "outbox send rate limited");
        const until = new Date(now.getTime() + (err.parameters.retry_after ?? 5) * 1000);
        await markRetry(row.id, this.workerId, until, summary, { countAttempt: false, sent: sentSteps(row) });
        await this.holdChat(row, until);
        return;
      }
      if (err.error_code === 403) {
        logger.warn(failureFields(row, err), "outbox chat unreachable");
        // Blocked, kicked or deactivated: retrying forever would only earn us rate limits.
        await markFinal(row.id, this.workerId, "unreachable", summary);
        await dropChatRows(row.platform, row.chatId, summary);
        await markChatUnreachable(row.platform, row.chatId, now);
        return;
      }
    }
    if (!(err instanceof GrammyError) && !(err instanceof HttpError)) {
      // Our own bug or the DB: still transient from the row's point of view. The stack is ours.
      logger.error({ err, ...rowFields(row) }, "unexpected outbox failure");
    }
    if (row.attempts >= this.maxAttempts) return this.bury(row, err);
    logger.warn(failureFields(row, err), "outbox send failed; will retry");
    const until = new Date(now.getTime() + backoffMs(row.attempts));
    await markRetry(row.id, this.workerId, until, summary, { sent: sentSteps(row) });
    await this.holdChat(row, until);
  }

  /** Gives the row up and raises its alert (an alert row that dies is only logged). */
  private async bury(row: ClaimedRow, err: unknown): Promise<void> {
    const { logger } = this.opts;
    if (!(await markDead(row.id, this.workerId, errorSummary(err), this.now()))) return;
    if (row.kind === DEAD_ALERT_KIND) {
      logger.error(failureFields(row, err), "outbox alert about a dead row is dead too; no further alert");
      return;
    }
    logger.error(failureFields(row, err), "outbox row is dead; alerting the managers and admins");
    await this.alertDead();
  }

  private async alertDead(): Promise<void> {
    const { config, logger } = this.opts;
    const res = await alertDeadRows({ managers: managersChat(config), locale: config.DEFAULT_LOCALE, now: this.now() });
    if (res.rows.length > 0 && res.targets === 0)
      logger.warn(
        { rowIds: res.rows.map(loggableRowId) },
        "dead outbox rows: nobody to alert (no MANAGERS_CHAT_ID, no admin); see npm run doctor",
      );
  }
}
