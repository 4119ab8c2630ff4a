// Telegram's sending limits, enforced only with `enforceLimits: true`: about 30 messages/s per bot,
// 1/s per private chat (a short burst tolerated), 20/min per group. Over a limit → 429 with
// retry_after, the way a bot that ignores the limits gets throttled in production.
import { tooManyRequests } from "./errors.ts";

interface Rate {
  /** Burst size. */
  capacity: number;
  perSecond: number;
}

export const LIMITS = {
  bot: { capacity: 30, perSecond: 30 },
  privateChat: { capacity: 3, perSecond: 1 },
  group: { capacity: 20, perSecond: 20 / 60 },
} satisfies Record<string, Rate>;

class Bucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: Rate,
    now: number,
  ) {
    this.tokens = rate.capacity;
    this.last = now;
  }

  /** Seconds until `n` tokens are available (0 = now). More than the burst waits for a full bucket, then runs into debt. */
  waitFor(n: number, now: number): number {
    this.tokens = Math.min(this.rate.capacity, this.tokens + ((now - this.last) / 1000) * this.rate.perSecond);
    this.last = now;
    const need = Math.min(n, this.rate.capacity);
    return this.tokens >= need ? 0 : (need - this.tokens) / this.rate.perSecond;
  }

  take(n: number): void {
    this.tokens -= n;
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number) {}

  /** Counts `messages` sends to `chatId` for `platform`'s bot, or throws 429 without counting any. */
  consume(platform: string, chatId: number, isGroup: boolean, messages: number): void {
    const now = this.now();
    const keys: [string, Rate][] = [
      [`${platform}`, LIMITS.bot],
      [`${platform}:${chatId}`, isGroup ? LIMITS.group : LIMITS.privateChat],
    ];
    const buckets = keys.map(([key, rate]) => {
      let bucket = this.buckets.get(key);
      if (!bucket) this.buckets.set(key, (bucket = new Bucket(rate, now)));
      return bucket;
    });
    const wait = Math.max(...buckets.map((b) => b.waitFor(messages, now)));
    if (wait > 0) throw tooManyRequests(Math.max(1, Math.ceil(wait)));
    for (const b of buckets) b.take(messages);
  }

  clear(): void {
    this.buckets.clear();
  }
}
