import { AsyncLocalStorage } from "node:async_hooks";
import type { Api, ApiCallFn, Transformer } from "grammy";
import { htmlToPlain } from "../../core/capabilities.ts";
import { truncate } from "../../core/format.ts";

/**
 * How the dispatcher wants the Bot API calls of one row made. Set per row with AsyncLocalStorage
 * rather than a flag on the Api: the calls happen deep in a renderer, and a flag shared by
 * everything using the Api would leak into calls made meanwhile for other rows.
 */
export interface SendMode {
  /** The one retry after a 4xx: no parse_mode (HTML turned into plain text), no reply_markup. */
  plain: boolean;
  /** Aborted when the dispatcher stops past its deadline: the request in flight is given up. */
  signal: AbortSignal | null;
  /**
   * A staff group's message budget (bot/outbox/group-budget.ts): `admit` may refuse a call before it
   * is made (throws), `sent` counts one that went out. Absent for private chats.
   */
  meter?: SendMeter;
}

export interface SendMeter {
  /** Before a row's first message: room for all `n` it will send (throws when there is none yet). */
  reserve(n: number): void;
  admit(method: string, payload: Record<string, unknown>): void;
  sent(method: string, payload: Record<string, unknown>): void;
}

/** The request was cut short by the dispatcher's stop, not refused: the row goes back to the queue. */
export class SendAborted extends Error {
  constructor(method: string) {
    super(`${method} aborted: the outbox dispatcher is stopping`);
    this.name = "SendAborted";
  }
}

const mode = new AsyncLocalStorage<SendMode>();
const installed = new WeakSet<Api>();

/**
 * A renderer about to send `n` messages for one row asks the group's budget for all of them at
 * once: a row of several (the new-case alert) then waits whole, instead of stopping half-sent when
 * the budget runs out after its first message. Nothing outside a metered send.
 */
export function reserveMessages(n: number): void {
  mode.getStore()?.meter?.reserve(n);
}

/** Runs `work` (one row's rendering) with its Bot API calls made in `m`. */
export function inSendMode<T>(m: SendMode, work: () => Promise<T>): Promise<T> {
  return mode.run(m, work);
}

/**
 * Installs the send-mode transformer on an outbox Api, once. Last installed, so it runs first: the
 * capability fallbacks (Bale) then see the plain payload. Outside inSendMode it changes nothing.
 */
export function installSendMode(api: Api): Api {
  if (!installed.has(api)) {
    api.config.use(sendModeTransformer);
    installed.add(api);
  }
  return api;
}

const TEXT_MAX = 4096;
const CAPTION_MAX = 1024;

type Payload = Record<string, unknown>;
/** grammY types its signals with the abort-controller shim's AbortSignal; at run time they are Node's own. */
type ShimSignal = NonNullable<Parameters<ApiCallFn>[2]>;

/** The payload as plain text: what a message refused for its markup or buttons is resent as. */
export function plainPayload(p: Payload): Payload {
  const out: Payload = { ...p };
  const html = out.parse_mode === "HTML";
  for (const key of ["parse_mode", "reply_markup", "entities", "caption_entities"]) delete out[key];
  // Only HTML is decoded: a text sent without parse_mode is plain already, and its "<" is the citizen's.
  if (html && typeof out.text === "string") out.text = htmlToPlain(out.text);
  if (html && typeof out.caption === "string") out.caption = htmlToPlain(out.caption);
  // Decoding shortens a text; still capped, in case its length was what was refused.
  if (typeof out.text === "string") out.text = truncate(out.text, TEXT_MAX);
  if (typeof out.caption === "string") out.caption = truncate(out.caption, CAPTION_MAX);
  if (Array.isArray(out.media)) out.media = out.media.map((m: Payload) => plainPayload(m));
  return out;
}

const sendModeTransformer: Transformer = (prev, method, payload, signal) => {
  const m = mode.getStore();
  if (!m) return prev(method, payload, signal);
  if (m.meter) {
    const meter = m.meter;
    meter.admit(method, payload as Payload);
    const unmetered: SendMode = { plain: m.plain, signal: m.signal };
    return mode
      .run(unmetered, () => sendModeTransformer(prev, method, payload, signal))
      .then((res) => {
        // grammY hands transformers the raw response: a refusal (a 429) is `ok: false`, not a throw.
        if (res.ok) meter.sent(method, payload as Payload);
        return res;
      });
  }
  const p = m.plain ? (plainPayload(payload as Payload) as typeof payload) : payload;
  if (!m.signal) return prev(method, p, signal);
  const stop = m.signal;
  if (stop.aborted) return Promise.reject(new SendAborted(method));
  // grammY aborts the fetch on this signal; the race also ends a wait the fetch does not watch
  // (a request still queued in the throttle), so a stop deadline always holds.
  const both = signal ? AbortSignal.any([signal as unknown as AbortSignal, stop]) : stop;
  const call = prev(method, p, both as unknown as ShimSignal);
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new SendAborted(method));
    stop.addEventListener("abort", onAbort, { once: true });
  });
  // The losing call may still reject later (the aborted fetch): handled here, not unhandled.
  call.catch(() => undefined);
  return Promise.race([call, aborted]).finally(() => stop.removeEventListener("abort", onAbort));
};
