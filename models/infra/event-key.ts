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
  state: EventState | null;
}

/**
 * The chat's state document the event was recorded on (models/infra/inbox-on-state.ts): the
 * state store reads the state the record returned instead of reading it again, and its write also
 * settles the event's inbox row.
 */
export interface EventState {
  /** The `bot_state` document's id. */
  docId: string;
  /** Its state as recording the update returned it; null once read, or when it may be stale (an earlier row of the chat was still unsettled on the document). */
  primed: { value: string | null; event: string } | null;
  /** Writes the state (null: deleted) as this event's, and settles the event's row, in one write. */
  save(value: string | null): Promise<void>;
  /** Set once a state write settled the row. */
  settled: boolean;
}

const scope = new AsyncLocalStorage<EventScope>();

/** Runs `work` as the handling of `event` (e.g. `telegram:123456`), recorded on `state`'s document when given. */
export function withEventKey<T>(event: string, work: () => Promise<T>, state: EventState | null = null): Promise<T> {
  return scope.run({ event, writes: 0, state }, work);
}

/** The key of the next case write of the current event; null outside any event (scripts, cron). */
export function nextEventKey(): string | null {
  const s = scope.getStore();
  if (!s) return null;
  return `${s.event}#${s.writes++}`;
}

/** The state document of the event being handled now, when it was recorded on one. */
export function currentEventState(): EventState | null {
  return scope.getStore()?.state ?? null;
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
