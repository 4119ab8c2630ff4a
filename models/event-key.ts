import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Which incoming event (an update, taken in through the inbox) the current work belongs to. The
 * inbox delivers at least once: after a crash an update is handled again, and a case write it
 * already made must not be made twice (a second "taken" line, a second notice). Every case write
 * made while handling one event gets the key `<event>#<n>` (n = its place among that handling's
 * writes, the same on a replay), stored on its history entry: a write whose key is already there
 * is a replay and changes nothing.
 */
interface EventScope {
  event: string;
  writes: number;
}

const scope = new AsyncLocalStorage<EventScope>();

/** Runs `work` as the handling of `event` (e.g. `telegram:123456`). */
export function withEventKey<T>(event: string, work: () => Promise<T>): Promise<T> {
  return scope.run({ event, writes: 0 }, work);
}

/** The key of the next case write of the current event; null outside any event (scripts, cron). */
export function nextEventKey(): string | null {
  const s = scope.getStore();
  if (!s) return null;
  return `${s.event}#${s.writes++}`;
}
