import Bottleneck from "bottleneck";

/**
 * Telegram's sending limits (30 messages/s per bot, 1/s per chat, 20/min per group), enforced in the
 * fetch of the bot's Api client. Why here and not as an Api transformer: conversations v2 build a
 * fresh Api from the bot's client options for every update and replay earlier calls through it;
 * a transformer would also throttle those replays (seconds per update), while the fetch is only
 * reached by real requests. One instance per bot token, shared by every Api of that bot.
 */
export interface ThrottleLimits {
  perSecond: number;
  chatGapMs: number;
  groupPerMinute: number;
}

export const TELEGRAM_LIMITS: ThrottleLimits = { perSecond: 30, chatGapMs: 1000, groupPerMinute: 20 };

/** Methods that send or change messages; reads, callback answers and getUpdates are not limited. */
const SENDING = /^(send|copy|forward|edit)/;

function methodOf(url: string): string {
  return /\/bot[^/]+\/(\w+)$/.exec(new URL(url).pathname)?.[1] ?? "";
}

/** chat_id of a JSON request; multipart uploads (photos) are streams and count against the global limit only. */
function chatOf(body: unknown): number | null {
  if (typeof body !== "string") return null;
  try {
    const id = (JSON.parse(body) as { chat_id?: unknown }).chat_id;
    return typeof id === "number" ? id : null;
  } catch {
    return null;
  }
}

export function throttledFetch(base: typeof fetch, limits: ThrottleLimits = TELEGRAM_LIMITS): typeof fetch {
  const global = new Bottleneck({
    reservoir: limits.perSecond,
    reservoirRefreshAmount: limits.perSecond,
    reservoirRefreshInterval: 1000,
  });
  const privateChats = new Bottleneck.Group({ maxConcurrent: 1, minTime: limits.chatGapMs });
  // A token bucket, as Telegram counts a group (and as the outbox paces one, bot/outbox/group-budget.ts):
  // a burst of the whole minute's budget, then one message every 60/N seconds. A fixed one-minute
  // window would hold back sends the bucket allows, and with them the outbox dispatcher.
  const groups = new Bottleneck.Group({
    maxConcurrent: 1,
    minTime: limits.chatGapMs,
    reservoir: limits.groupPerMinute,
    reservoirIncreaseAmount: 1,
    reservoirIncreaseInterval: Math.ceil(60_000 / limits.groupPerMinute),
    reservoirIncreaseMaximum: limits.groupPerMinute,
  });
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!SENDING.test(methodOf(url))) return base(input, init);
    const chat = chatOf(init?.body);
    const send = () => global.schedule(() => base(input, init));
    if (chat === null) return send();
    return (chat < 0 ? groups : privateChats).key(String(chat)).schedule(send);
  }) as typeof fetch;
}

/**
 * Node's own fetch as the base for grammY's client: grammY streams multipart uploads as a Node
 * stream, which Node's fetch takes as an async-iterable body in half-duplex mode.
 */
export const nodeFetch: typeof fetch = (input, init) =>
  fetch(input, init?.body && typeof init.body !== "string" ? ({ ...init, duplex: "half" } as RequestInit) : init);
