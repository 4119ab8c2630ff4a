import { describe, expect, it } from "vitest";
import { throttledFetch } from "../../bot/throttled-fetch.ts";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot } from "../support/test-bot.ts";

useTestDb({ cleanEach: true });

/** A base fetch whose requests stay open until the test releases them. */
function heldFetch() {
  const open: { url: string; body: string; release: () => void }[] = [];
  const fetchFn = ((input: string | URL | Request, init?: RequestInit) =>
    new Promise<Response>((resolve) => {
      open.push({
        url: String(input),
        body: String(init?.body ?? ""),
        release: () => resolve(new Response('{"ok":true,"result":true}')),
      });
    })) as typeof fetch;
  return { fetchFn, open };
}

// Lets Bottleneck start what it may (it schedules asynchronously); the assertions are about what started, not when.
const settle = () => new Promise((r) => setTimeout(r, 60));
const send = (f: typeof fetch, method: string, chatId: number) =>
  f(`http://x/bot1:x/${method}`, { method: "POST", body: JSON.stringify({ chat_id: chatId, text: "hi" }) });

describe("the throttled fetch", () => {
  it("one request at a time per chat; other chats and non-sending methods are not held back", async () => {
    const { fetchFn, open } = heldFetch();
    const f = throttledFetch(fetchFn, { perSecond: 1000, chatGapMs: 0, groupPerMinute: 1000 });
    void send(f, "sendMessage", 1);
    void send(f, "sendMessage", 1);
    void send(f, "sendMessage", 2);
    void f("http://x/bot1:x/getUpdates", { method: "POST", body: "{}" });
    void send(f, "answerCallbackQuery", 1);
    await settle();
    // Chat 1's second message waits for its first; chat 2, getUpdates and the callback answer go at once.
    expect(open.map((o) => `${o.url.split("/").at(-1)}:${JSON.parse(o.body || "{}").chat_id ?? "-"}`)).toEqual([
      "getUpdates:-",
      "answerCallbackQuery:1",
      "sendMessage:1",
      "sendMessage:2",
    ]);
    open.find((o) => o.url.endsWith("sendMessage") && o.body.includes('"chat_id":1'))!.release();
    await settle();
    expect(open.filter((o) => o.body.includes('"chat_id":1') && o.url.endsWith("sendMessage"))).toHaveLength(2);
  });

  it("a group gets at most its per-minute budget; the bot at most its per-second budget", async () => {
    const group = heldFetch();
    const g = throttledFetch(group.fetchFn, { perSecond: 1000, chatGapMs: 0, groupPerMinute: 2 });
    for (let i = 0; i < 4; i++) void send(g, "sendMessage", -100);
    await settle();
    group.open.forEach((o) => o.release());
    await settle();
    expect(group.open).toHaveLength(2);

    const bot = heldFetch();
    const b = throttledFetch(bot.fetchFn, { perSecond: 3, chatGapMs: 0, groupPerMinute: 1000 });
    for (let chat = 1; chat <= 5; chat++) void send(b, "sendMessage", chat);
    await settle();
    expect(bot.open).toHaveLength(3);
  });

  it("conversations reach the Bot API through the bot's fetch, and replays of earlier steps do not", async () => {
    const tb = createTestBot();
    const seen: string[] = [];
    const base = tb.app.apiFetch;
    tb.app.apiFetch = ((input: string | URL | Request, init?: RequestInit) => {
      seen.push(String(input).split("/").at(-1)!);
      return base(input, init);
    }) as typeof fetch;
    tb.restart();
    const sim = tb.citizen(9900);
    await sim.text("/new");
    await sim.press("زباله و نظافت");
    await sim.text("زباله‌ها سه روز است جمع نشده");
    // Each real request once, although the form replayed its first steps on every update.
    expect(seen).toEqual(["sendMessage", "answerCallbackQuery", "sendMessage", "sendMessage"]);
    expect(tb.api.calls.map((c) => c.method)).toEqual(seen);
  });
});
