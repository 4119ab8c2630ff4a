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

/** The event being handled now (the inbox row id), or null outside one. */
export function currentEvent(): string | null {
  return scope.getStore()?.event ?? null;
}

/**
 * Thrown when the state an event is about to read was already written by that same event: it was
 * handled to the end once (the process died before the inbox marked it done), so handling it again
 * would apply the citizen's answer twice. The inbox counts it as handled.
 */
export class EventAlreadyApplied extends Error {
  constructor(readonly event: string) {
    super(`event ${event} was applied already`);
    this.name = "EventAlreadyApplied";
  }
}
