import type { Api } from "grammy";
import { autoRetry } from "@grammyjs/auto-retry";
import { capabilityTransformer } from "./capabilities.ts";
import { throttledFetch } from "./throttled-fetch.ts";
import type { Platform } from "../models/platform.ts";

/**
 * The fetch a bot's Api clients use: throttled to Telegram's limits unless turned off (tests that
 * are not about throttling). Create one per bot token and share it with every Api of that bot.
 */
export function botApiFetch(base: typeof fetch, throttle: boolean): typeof fetch {
  return throttle ? throttledFetch(base) : base;
}

export interface ApiSetup {
  platform: Platform;
  /** Direct replies retry briefly on 429/5xx; the outbox must see 429s itself and does its own retrying. */
  retry: boolean;
}

/** Payload fallbacks for the platform, and (for replies) auto-retry. Throttling lives in the fetch. */
export function setupApi(api: Api, s: ApiSetup): void {
  if (s.retry) api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  api.config.use(capabilityTransformer(s.platform));
}
