// A typed client for the /sim API (README.md), for tests and scripted demos: every call is one
// HTTP request; a refusal throws SimHttpError with the status and the server's `error` text.
import type { Message, ReplyKeyboardMarkup } from "grammy/types";
import type { FaultSpec } from "./faults.ts";
import type { ItemBody, TranscriptItem } from "./transcript.ts";

export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
  ) {
    super(`HTTP ${status}: ${error}`);
    this.name = "SimHttpError";
  }
}

export interface SimUserInput {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  /** Extension: pretend the user already wrote to the bot (so the bot may message them first). */
  started?: boolean;
  blocked?: boolean;
}

export interface SimChatInput {
  id: number;
  type: "group" | "supergroup";
  title: string;
  members: number[];
  /** Extension: getChatMember answers "administrator" for these. */
  admins?: number[];
}

export interface SimSendInput {
  from: number;
  chat?: number;
  text?: string;
  photo?: string;
  document?: string;
  caption?: string;
  /** `live_period` (60–86400 s, or 0x7FFFFFFF): a Telegram live location, movable with `edit`. */
  location?: { latitude: number; longitude: number; live_period?: number };
  venue?: { latitude: number; longitude: number; title: string; address: string };
  contact?: { phone_number: string; first_name?: string; last_name?: string; user_id?: number };
  sticker?: true;
  reply_to?: number;
}

/** A user's edit of their own message: exactly one of `text` (a text message) or `location` (a live location moving). */
export interface SimEditInput {
  from: number;
  chat?: number;
  message_id: number;
  text?: string;
  location?: { latitude: number; longitude: number };
}

export interface Transcript {
  seq: number;
  items: TranscriptItem[];
  /** With ?chat=: the reply keyboard that chat's client shows now (null = none). */
  keyboard?: ReplyKeyboardMarkup | null;
}

export class SimClient {
  constructor(readonly baseUrl: string) {}

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    raw?: { bytes: Uint8Array; contentType: string },
  ): Promise<T> {
    const init: RequestInit = raw
      ? { method, body: raw.bytes, headers: { "content-type": raw.contentType } }
      : body !== undefined
        ? { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } }
        : { method };
    const res = await fetch(`${this.baseUrl}/sim/${path}`, init);
    const json = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new SimHttpError(res.status, json.error ?? res.statusText);
    return json;
  }

  state(): Promise<{
    bots: { platform: string; id: number; username: string }[];
    users: ({ platform: string } & SimUserInput)[];
    chats: { platform: string; id: number; type: string; title?: string }[];
  }> {
    return this.call("GET", "state");
  }

  user(platform: string, user: SimUserInput): Promise<SimUserInput & { started: boolean; blocked: boolean }> {
    return this.call("POST", `${platform}/users`, user);
  }

  chat(platform: string, chat: SimChatInput): Promise<SimChatInput> {
    return this.call("POST", `${platform}/chats`, chat);
  }

  file(
    platform: string,
    bytes: Uint8Array,
    contentType: string,
    name?: string,
  ): Promise<{ file_id: string; file_unique_id: string; file_size: number }> {
    return this.call("POST", `${platform}/files${name ? `?name=${encodeURIComponent(name)}` : ""}`, undefined, {
      bytes,
      contentType,
    });
  }

  send(platform: string, input: SimSendInput): Promise<{ update_id: number; message: Message }> {
    return this.call("POST", `${platform}/send`, input);
  }

  /** Queues an `edited_message` update (a live location moving, a corrected text). */
  edit(platform: string, input: SimEditInput): Promise<{ update_id: number; message: Message }> {
    return this.call("POST", `${platform}/edit`, input);
  }

  press(
    platform: string,
    input: { from: number; chat?: number; message_id: number; data: string },
  ): Promise<{ update_id: number; callback_query_id: string }> {
    return this.call("POST", `${platform}/press`, input);
  }

  /** `wait`: seconds to hold the request until something newer than `since` happens. */
  transcript(platform: string, opts: { chat?: number; since?: number; wait?: number } = {}): Promise<Transcript> {
    const q = new URLSearchParams(Object.entries(opts).map(([k, v]): [string, string] => [k, String(v)]));
    return this.call("GET", `${platform}/transcript?${q}`);
  }

  messages(platform: string, chat?: number): Promise<{ messages: ItemBody[] }> {
    return this.call("GET", `${platform}/messages${chat === undefined ? "" : `?chat=${chat}`}`);
  }

  async fileBytes(platform: string, fileId: string): Promise<Buffer> {
    const res = await fetch(`${this.baseUrl}/sim/${platform}/file/${encodeURIComponent(fileId)}`);
    if (!res.ok) throw new SimHttpError(res.status, ((await res.json()) as { error: string }).error);
    return Buffer.from(await res.arrayBuffer());
  }

  fault(spec: Partial<FaultSpec> & Pick<FaultSpec, "kind">): Promise<{ faults: FaultSpec[] }> {
    return this.call("POST", "faults", spec);
  }

  faults(): Promise<{ faults: FaultSpec[] }> {
    return this.call("GET", "faults");
  }

  clearFaults(): Promise<{ faults: FaultSpec[] }> {
    return this.call("DELETE", "faults");
  }

  reset(): Promise<{ ok: true }> {
    return this.call("POST", "reset");
  }

  /**
   * Waits (long-polling the transcript) until an item matching `match` appears after `since`,
   * or `timeoutMs` passes. For tests and demos: "send, then wait for the bot's answer".
   */
  async waitFor(
    platform: string,
    match: (item: TranscriptItem) => boolean,
    opts: { chat?: number; since?: number; timeoutMs?: number } = {},
  ): Promise<TranscriptItem> {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    let since = opts.since ?? 0;
    while (Date.now() < deadline) {
      const wait = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
      const t = await this.transcript(platform, {
        ...(opts.chat !== undefined ? { chat: opts.chat } : {}),
        since,
        wait: Math.min(wait, 10),
      });
      const found = t.items.find(match);
      if (found) return found;
      since = Math.max(since, t.items.at(-1)?.seq ?? since);
    }
    throw new Error(`no matching transcript item on ${platform} within ${opts.timeoutMs ?? 10_000} ms`);
  }
}
