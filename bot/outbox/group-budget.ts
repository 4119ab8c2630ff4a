import type { Platform } from "../../models/common/platform.ts";

/**
 * Each staff group's message budget as the dispatcher keeps it: a token bucket like Telegram's (and
 * the Bot API emulator's, sandbox/bot-api/limits.ts): the whole minute's budget as a burst, then one
 * message every 60/N seconds. An album of k photos costs k. Kept on the dispatcher's clock, per
 * process: a second instance keeps its own (a 429 then still postpones the chat).
 */
export class GroupBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: (platform: Platform) => number) {}

  /** Milliseconds until `n` messages may go to the group (0 = now); more than a minute's budget waits for a full bucket. */
  waitMs(platform: Platform, chatId: number, n: number, nowMs: number): number {
    const rate = this.perMinute(platform);
    const tokens = this.fill(platform, chatId, nowMs);
    const need = Math.min(n, rate);
    return tokens >= need ? 0 : Math.ceil(((need - tokens) * 60_000) / rate);
  }

  /** Counts `n` messages sent to the group. */
  take(platform: Platform, chatId: number, n: number, nowMs: number): void {
    this.fill(platform, chatId, nowMs);
    this.buckets.get(`${platform}:${chatId}`)!.tokens -= n;
  }

  private fill(platform: Platform, chatId: number, nowMs: number): number {
    const rate = this.perMinute(platform);
    const key = `${platform}:${chatId}`;
    const b = this.buckets.get(key) ?? { tokens: rate, at: nowMs };
    b.tokens = Math.min(rate, b.tokens + (Math.max(0, nowMs - b.at) * rate) / 60_000);
    b.at = nowMs;
    this.buckets.set(key, b);
    return b.tokens;
  }
}

/** Messages a Bot API call puts in a chat, as the group limit counts them: sends (an album: one per item); edits and reads none. */
export function messagesOf(method: string, payload: Record<string, unknown>): number {
  if (method === "sendMediaGroup") return Array.isArray(payload.media) ? payload.media.length : 1;
  if (method === "sendChatAction") return 0;
  return /^(send|copy|forward)/.test(method) ? 1 : 0;
}

/** A group's budget for this minute is spent: the row waits (like a 429, but found before asking). */
export class OverBudget extends Error {
  constructor(readonly waitMs: number) {
    super(`group message budget spent; next slot in ${waitMs} ms`);
    this.name = "OverBudget";
  }
}
