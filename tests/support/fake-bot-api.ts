/**
 * A Bot API at the fetch level: grammY's client (inside conversations too) and the file download
 * call this instead of the network. Every call is recorded with its parsed payload, so tests assert
 * the exact requests the bot made. Failures can be injected per method.
 */
export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
  /** Uploaded files (multipart), by field name. */
  files: Record<string, Uint8Array>;
  /** The message id the call's answer carried (sent messages), when it has one. */
  messageId?: number;
}

export interface InjectedError {
  error_code: number;
  description: string;
  retry_after?: number;
}

interface Failure {
  method: string;
  error: InjectedError | "network";
  times: number;
}

export class FakeBotApi {
  readonly calls: ApiCall[] = [];
  /** Every successful call ever, never cleared: buttons stay pressable after `clearCalls`. */
  readonly log: ApiCall[] = [];
  readonly downloads: string[] = [];
  /** Full URLs of file downloads: root and token show which bot fetched the file. */
  readonly downloadUrls: string[] = [];
  private readonly files = new Map<string, Uint8Array>();
  private failures: Failure[] = [];
  private readonly hooks: ((call: ApiCall) => void)[] = [];
  private nextMessageId = 1000;

  constructor(
    readonly botInfo = {
      id: 42,
      is_bot: true as const,
      first_name: "Citizen 137",
      username: "citizen137_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
    },
  ) {}

  /** Makes a file downloadable through getFile + /file/bot<token>/<path>. */
  addFile(fileId: string, bytes: Uint8Array): void {
    this.files.set(fileId, bytes);
  }

  /** The next `times` calls of `method` ("*" = any) fail with this Bot API error (or a network error). */
  fail(method: string, error: InjectedError | "network", times = 1): void {
    this.failures.push({ method, error, times });
  }

  /** `hook` sees every Bot API call as it arrives, before it is answered (drills kill the bot there). */
  onCall(hook: (call: ApiCall) => void): void {
    this.hooks.push(hook);
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Texts (and captions) sent to one chat, in order. */
  textsTo(chatId: number): string[] {
    return this.calls
      .filter((c) => Number(c.payload.chat_id) === chatId)
      .map((c) => String(c.payload.text ?? c.payload.caption ?? ""))
      .filter((s) => s !== "");
  }

  readonly fetch = (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const path = new URL(url).pathname;
    const file = /^\/file\/bot[^/]+\/(.+)$/.exec(path);
    if (file) {
      this.downloadUrls.push(url);
      return this.download(file[1]!);
    }
    const method = /^\/bot[^/]+\/(\w+)$/.exec(path)?.[1];
    if (!method) return new Response("not found", { status: 404 });
    const call: ApiCall = { method, ...(await parseBody(init)) };
    for (const hook of this.hooks) hook(call);
    const failure = this.failures.find((f) => f.times > 0 && (f.method === method || f.method === "*"));
    if (failure) {
      failure.times--;
      this.failures = this.failures.filter((f) => f.times > 0);
      if (failure.error === "network") throw new TypeError("fetch failed: connection reset");
      const { error_code, description, retry_after } = failure.error;
      this.calls.push({ ...call, method: `!${method}` });
      return json({
        ok: false,
        error_code,
        description,
        ...(retry_after !== undefined ? { parameters: { retry_after } } : {}),
      });
    }
    const result = this.result(method, call.payload);
    const messageId = (result as { message_id?: unknown } | null)?.message_id;
    if (typeof messageId === "number") call.messageId = messageId;
    this.calls.push(call);
    this.log.push(call);
    return json({ ok: true, result });
  }) as typeof fetch;

  private download(filePath: string): Response {
    this.downloads.push(filePath);
    const fileId = decodeURIComponent(filePath.replace(/^photos\//, ""));
    const bytes = this.files.get(fileId);
    return bytes ? new Response(bytes) : new Response("Not Found", { status: 404 });
  }

  private message(payload: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const chatId = Number(payload.chat_id);
    return {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat:
        chatId < 0
          ? { id: chatId, type: "supergroup", title: "Staff" }
          : { id: chatId, type: "private", first_name: "Citizen" },
      from: { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name },
      ...extra,
    };
  }

  private result(method: string, p: Record<string, unknown>): unknown {
    switch (method) {
      case "getMe":
        return this.botInfo;
      case "sendMessage":
        return this.message(p, { text: p.text });
      case "sendPhoto":
        return this.message(p, {
          caption: p.caption,
          photo: [
            {
              file_id: `sent-${this.nextMessageId}`,
              file_unique_id: `u${this.nextMessageId}`,
              width: 800,
              height: 600,
            },
          ],
        });
      case "sendMediaGroup":
        return (p.media as unknown[]).map(() =>
          this.message(p, { photo: [{ file_id: "x", file_unique_id: "x", width: 1, height: 1 }] }),
        );
      case "sendLocation":
        return this.message(p, { location: { latitude: p.latitude, longitude: p.longitude } });
      case "getFile": {
        const id = String(p.file_id);
        const bytes = this.files.get(id);
        return {
          file_id: id,
          file_unique_id: `u-${id}`,
          file_size: bytes?.byteLength ?? 0,
          file_path: `photos/${encodeURIComponent(id)}`,
        };
      }
      case "editMessageText":
      case "editMessageReplyMarkup":
        return this.message(p, { text: p.text });
      default:
        return true;
    }
  }
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
}

async function parseBody(init: RequestInit | undefined): Promise<Omit<ApiCall, "method">> {
  const body = init?.body;
  if (body === undefined || body === null) return { payload: {}, files: {} };
  if (typeof body === "string") return { payload: JSON.parse(body) as Record<string, unknown>, files: {} };
  // grammY streams multipart/form-data when a request carries a file upload.
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  const headers = new Headers(init?.headers as Record<string, string>);
  const boundary = /boundary=(.+)$/.exec(headers.get("content-type") ?? "")?.[1];
  if (!boundary) throw new Error("multipart body without boundary");
  return parseMultipart(Buffer.concat(chunks), boundary);
}

/** Minimal multipart/form-data reader (undici's is stricter than grammY's writer). */
function parseMultipart(body: Buffer, boundary: string): Omit<ApiCall, "method"> {
  const payload: Record<string, unknown> = {};
  const files: Record<string, Uint8Array> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const head = part.subarray(0, headerEnd).toString("utf8");
      let content = part.subarray(headerEnd + 4);
      if (content.subarray(-2).toString() === "\r\n") content = content.subarray(0, -2);
      const name = /name="([^"]+)"/.exec(head)?.[1];
      if (name && /filename=/.test(head)) files[name] = new Uint8Array(content);
      else if (name) payload[name] = parseField(content.toString("utf8"));
    }
    pos = next;
  }
  return { payload, files };
}

function parseField(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
