import type { Api, Transformer } from "grammy";
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { capabilityTransformer } from "./capabilities.ts";
import type { Platform } from "../models/platform.ts";

/**
 * One throttler per bot token, shared by every Api of that bot (handlers, conversations, outbox):
 * Telegram's limits (30 msg/s per bot, 1/s per chat, 20/min per group) are per bot, so separate
 * throttlers would each allow the full rate. null = off (tests that are not about throttling).
 */
export function createThrottle(enabled: boolean): Transformer | null {
  return enabled ? apiThrottler() : null;
}

export interface ApiSetup {
  platform: Platform;
  throttle: Transformer | null;
  /** Direct replies retry briefly on 429/5xx; the outbox must see 429s itself and does its own retrying. */
  retry: boolean;
}

/** Installs the transformers in the order they must run: fallbacks, then throttling, then retries. */
export function setupApi(api: Api, s: ApiSetup): void {
  if (s.retry) api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  if (s.throttle) api.config.use(s.throttle);
  api.config.use(capabilityTransformer(s.platform));
}
