import { createHash, timingSafeEqual } from "node:crypto";
import type { Platform } from "../../models/common/platform.ts";

/**
 * Webhook secrets are derived from the bot token, not random: every instance behind a load
 * balancer computes the same ones with nothing to share or store, and a leaked secret does not
 * reveal the token (sha256 is one-way). A new token gives new secrets.
 */
function derive(purpose: string, token: string): string {
  return createHash("sha256").update(`${purpose}:${token}`).digest("hex").slice(0, 32);
}

/** The last segment of the webhook path: `/webhook/<platform>/<secret>`. */
export function webhookPathSecret(token: string): string {
  return derive("webhook", token);
}

/** Telegram's setWebhook secret_token, echoed back in X-Telegram-Bot-Api-Secret-Token. */
export function webhookHeaderSecret(token: string): string {
  return derive("webhook-header", token);
}

export function webhookPath(platform: Platform, token: string): string {
  return `/webhook/${platform}/${webhookPathSecret(token)}`;
}

/** Constant-time comparison, so response timing does not leak how much of a guess was right. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? "");
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
