import { HttpError, type Api, type Transformer } from "grammy";
import { autoRetry } from "@grammyjs/auto-retry";
import { capabilityTransformer } from "../core/capabilities.ts";
import { throttledFetch } from "./throttled-fetch.ts";
import type { Platform } from "../models/common/platform.ts";

/**
 * Request timeout for the bots' Api clients (grammY ApiClientOptions `timeoutSeconds`; its default
 * is 500 s, long enough to hold a handler or a shutdown for minutes). Above the runner's 30 s
 * getUpdates long poll, which would otherwise time out every time no update arrives.
 */
export const API_TIMEOUT_SECONDS = 40;

/**
 * The fetch a bot's Api clients use: throttled to Telegram's limits unless turned off (tests that
 * are not about throttling). Create one per bot token and share it with every Api of that bot.
 */
export function botApiFetch(base: typeof fetch, throttle: boolean): typeof fetch {
  return throttle ? throttledFetch(base) : base;
}

export interface ApiSetup {
  platform: Platform;
  /**
   * Direct replies retry briefly on 429/5xx and on network errors (a bounded number of times);
   * the outbox must see 429s itself and does its own retrying.
   */
  retry: boolean;
}

/** Pauses between network retries: two, short. A reply later than that is better failed (and logged). */
export const NETWORK_RETRY_DELAYS_MS: readonly number[] = [300, 1_000];

/** The part of an abort signal used here (grammY types its signals with the abort-controller polyfill). */
interface Abortable {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** Resolves after `ms`, or at once (false) when the call is aborted meanwhile. */
function pause(ms: number, signal: Abortable | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A bounded retry of network failures (refused, reset, unresolved host). A reset may hide a
 * message that was delivered, so a retry can repeat a reply: at least once is the better failure
 * for a citizen in the middle of a form, whose step is lost if the reply fails. Timeouts are not
 * retried (a server that did not answer in API_TIMEOUT_SECONDS will not in one more second), nor
 * aborted calls (shutdown).
 */
export function networkRetry(delaysMs: readonly number[] = NETWORK_RETRY_DELAYS_MS): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (err) {
        const retry =
          err instanceof HttpError && !/timed out/i.test(err.message) && attempt < delaysMs.length && !signal?.aborted;
        if (!retry || !(await pause(delaysMs[attempt]!, signal))) throw err;
      }
    }
  };
}

/** Payload fallbacks for the platform, and (for replies) the retries. Throttling lives in the fetch. */
export function setupApi(api: Api, s: ApiSetup): void {
  if (s.retry) {
    // Innermost: network failures are retried (boundedly) before auto-retry sees them; auto-retry
    // would otherwise retry them forever, holding a handler or the shutdown's last request.
    api.config.use(networkRetry());
    api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowHttpErrors: true }));
  }
  api.config.use(capabilityTransformer(s.platform));
}
