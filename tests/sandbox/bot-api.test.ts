// The Bot API emulator, spoken to the way the bot speaks to Telegram: grammY's own `Api` client
// over HTTP (JSON bodies, multipart uploads), checking the shapes grammY relies on and Telegram's
// error replies, which grammY surfaces as GrammyError.
import { Api, GrammyError, HttpError, InputFile } from "grammy";
import type { Message } from "grammy/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { BotApiEmulator } from "../../sandbox/bot-api/server.ts";
import { startBotApiEmulator } from "../../sandbox/bot-api/server.ts";
import { SimClient } from "../../sandbox/bot-api/sim-client.ts";

const TOKEN = "1370001:TEST-telegram";
const BOT_ID = 1370001;
const CITIZEN = 5001;
const STRANGER = 5002;
const STAFF = -1001370000001;
const OFFICIAL = 7001;

let emu: BotApiEmulator;
let api: Api;
let sim: SimClient;

/** Just enough of a PNG (signature + IHDR) for its dimensions to be read. */
function pngHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write("IHDR", 12, "latin1");
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

/** The GrammyError a call rejects with (fails the test if it resolves or throws something else). */
async function apiError(call: Promise<unknown>): Promise<GrammyError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GrammyError);
  return err as GrammyError;
}

async function rawCall(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: { ok: boolean; error_code?: number; description?: string; result?: unknown } }> {
  const res = await fetch(`${emu.url}${path}`, init);
  return { status: res.status, body: (await res.json()) as { ok: boolean; error_code?: number; description?: string } };
}

beforeAll(async () => {
  emu = await startBotApiEmulator({
    bots: [{ platform: "telegram", token: TOKEN, id: BOT_ID, username: "citizen137_bot", firstName: "Citizen 137" }],
  });
  api = new Api(TOKEN, { apiRoot: emu.url });
  sim = new SimClient(emu.url);
});

afterAll(() => emu.stop());

beforeEach(async () => {
  await sim.reset();
  await sim.user("telegram", { id: CITIZEN, first_name: "Ali", language_code: "fa" });
  await sim.user("telegram", { id: STRANGER, first_name: "Sara" });
  await sim.user("telegram", { id: OFFICIAL, first_name: "Omid" });
  await sim.chat("telegram", { id: STAFF, type: "supergroup", title: "Karaj staff", members: [OFFICIAL] });
  // The citizen opened the chat, as on Telegram a user must before the bot can write to them.
  await sim.send("telegram", { from: CITIZEN, chat: CITIZEN, text: "/start" });
});

describe("identity, routing and authorization", () => {
  it("getMe describes the bot", async () => {
    const me = await api.getMe();
    expect(me).toMatchObject({
      id: BOT_ID,
      is_bot: true,
      first_name: "Citizen 137",
      username: "citizen137_bot",
      can_join_groups: true,
    });
  });

  it("an unknown token is 401 Unauthorized, an unknown method 404 Not Found", async () => {
    const err = await apiError(new Api("999:WRONG", { apiRoot: emu.url }).getMe());
    expect([err.error_code, err.description]).toEqual([401, "Unauthorized"]);
    const res = await rawCall(`/bot${TOKEN}/sendTelepathy`, { method: "POST" });
    expect(res).toEqual({ status: 404, body: { ok: false, error_code: 404, description: "Not Found" } });
  });

  it("accepts query-string and urlencoded parameters too, JSON-typed ones as strings (as curl sends them)", async () => {
    const form = new URLSearchParams({
      chat_id: String(CITIZEN),
      text: "hi",
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] }),
    });
    const res = await rawCall(`/bot${TOKEN}/sendMessage`, { method: "POST", body: form });
    expect(res.body.ok).toBe(true);
    expect(res.body.result).toMatchObject({
      text: "hi",
      reply_markup: { inline_keyboard: [[{ text: "Go", callback_data: "go" }]] },
    });
    expect((await rawCall(`/bot${TOKEN}/getMe?x=1`)).body.result).toMatchObject({ id: BOT_ID });
  });
});

describe("sendMessage", () => {
  it("returns a Message with message_id, date, chat and from; HTML becomes entities", async () => {
    const m = await api.sendMessage(CITIZEN, "<b>Case</b> 1234 &amp; <i>more</i>", { parse_mode: "HTML" });
    expect(m.message_id).toBeGreaterThan(0);
    expect(Number.isInteger(m.date)).toBe(true);
    expect(m.chat).toEqual({ id: CITIZEN, type: "private", first_name: "Ali" });
    expect(m.from).toEqual({ id: BOT_ID, is_bot: true, first_name: "Citizen 137", username: "citizen137_bot" });
    expect(m.text).toBe("Case 1234 & more");
    expect(m.entities).toEqual([
      { type: "bold", offset: 0, length: 4 },
      { type: "italic", offset: 12, length: 4 },
    ]);
    const group = await api.sendMessage(STAFF, "card");
    expect(group.chat).toEqual({ id: STAFF, type: "supergroup", title: "Karaj staff" });
  });

  it("refuses what Telegram refuses, with Telegram's words", async () => {
    const cases: [Promise<unknown>, number, string][] = [
      [api.sendMessage(424242, "x"), 400, "Bad Request: chat not found"],
      [api.sendMessage(STRANGER, "x"), 403, "Forbidden: bot can't initiate conversation with a user"],
      [api.sendMessage(CITIZEN, ""), 400, "Bad Request: message text is empty"],
      [api.sendMessage(CITIZEN, "<b></b>", { parse_mode: "HTML" }), 400, "Bad Request: message text is empty"],
      [api.sendMessage(CITIZEN, "x".repeat(4097)), 400, "Bad Request: message is too long"],
      [
        api.sendMessage(CITIZEN, "<b>open", { parse_mode: "HTML" }),
        400,
        `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`,
      ],
      [
        api.sendMessage(CITIZEN, "a<br>b", { parse_mode: "HTML" }),
        400,
        `Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 1`,
      ],
      [
        api.sendMessage(CITIZEN, "<b>x</i>", { parse_mode: "HTML" }),
        400,
        `Bad Request: can't parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`,
      ],
      [
        api.sendMessage(CITIZEN, "x", { reply_parameters: { message_id: 999 } }),
        400,
        "Bad Request: message to be replied not found",
      ],
    ];
    for (const [call, code, description] of cases) {
      const err = await apiError(call);
      expect([err.error_code, err.description]).toEqual([code, description]);
    }
  });

  it("byte offsets in HTML errors count UTF-8 bytes (Persian text before a stray '<')", async () => {
    const err = await apiError(api.sendMessage(CITIZEN, "سلام < دنیا", { parse_mode: "HTML" }));
    expect(err.description).toBe(`Bad Request: can't parse entities: Unsupported start tag "" at byte offset 9`);
  });

  it("callback_data over 64 bytes is BUTTON_DATA_INVALID (bytes, not characters)", async () => {
    const persian = "ب".repeat(33); // 33 characters, 66 bytes
    const err = await apiError(
      api.sendMessage(CITIZEN, "pick", {
        reply_markup: { inline_keyboard: [[{ text: "x", callback_data: persian }]] },
      }),
    );
    expect([err.error_code, err.description]).toEqual([400, "Bad Request: BUTTON_DATA_INVALID"]);
    const ok = await api.sendMessage(CITIZEN, "pick", {
      reply_markup: { inline_keyboard: [[{ text: "x", callback_data: "ب".repeat(32) }]] },
    });
    expect(ok.reply_markup?.inline_keyboard[0]?.[0]).toEqual({ text: "x", callback_data: "ب".repeat(32) });
  });

  it("only inline keyboards are echoed in the Message; a text button in an inline keyboard is refused", async () => {
    const m = await api.sendMessage(CITIZEN, "menu", {
      reply_markup: { keyboard: [[{ text: "New report" }]], resize_keyboard: true },
    });
    expect(m.reply_markup).toBeUndefined();
    const err = await apiError(
      api.sendMessage(CITIZEN, "x", { reply_markup: { inline_keyboard: [[{ text: "plain" } as never]] } }),
    );
    expect(err.description).toBe(
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );
  });
});

describe("files", () => {
  it("sendPhoto with an upload stores the bytes: PhotoSize[] with the image's size, getFile + download give them back", async () => {
    const bytes = pngHeader(1000, 750);
    const m = await api.sendPhoto(CITIZEN, new InputFile(bytes, "pothole.png"), {
      caption: "<b>Before</b>",
      parse_mode: "HTML",
    });
    expect(m.caption).toBe("Before");
    expect(m.caption_entities).toEqual([{ type: "bold", offset: 0, length: 6 }]);
    const sizes = m.photo ?? [];
    expect(sizes.map((s) => [s.width, s.height])).toEqual([
      [90, 68],
      [320, 240],
      [800, 600],
      [1000, 750],
    ]);
    const file = await api.getFile(sizes.at(-1)!.file_id);
    expect(file).toMatchObject({ file_id: sizes.at(-1)!.file_id, file_size: bytes.length });
    const download = await fetch(`${emu.url}/file/bot${TOKEN}/${file.file_path}`);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
  });

  it("sendPhoto by file_id reuses the photo; unknown ids and wrong file types are refused", async () => {
    const first = await api.sendPhoto(CITIZEN, new InputFile(pngHeader(64, 64)));
    const again = await api.sendPhoto(STAFF, first.photo![0]!.file_id);
    expect(again.photo).toEqual(first.photo);
    const unknown = await apiError(api.sendPhoto(CITIZEN, "AgACAgIAAxkBAAnope"));
    expect(unknown.description).toBe("Bad Request: wrong file identifier/HTTP URL specified");
    const doc = await api.sendDocument(CITIZEN, new InputFile(Buffer.from("a,b\n1,2\n"), "export.csv"));
    expect(doc.document).toMatchObject({ file_name: "export.csv", mime_type: "text/csv", file_size: 8 });
    const mismatch = await apiError(api.sendPhoto(CITIZEN, doc.document!.file_id));
    expect(mismatch.description).toBe("Bad Request: type of file mismatch");
    const missing = await apiError(api.getFile("nope"));
    expect(missing.description).toBe("Bad Request: invalid file_id");
    expect((await rawCall(`/file/bot${TOKEN}/photos/nope.jpg`)).status).toBe(404);
  });

  it("sendMediaGroup: one message per item, a shared media_group_id, the caption on its item", async () => {
    const album: Message[] = await api.sendMediaGroup(STAFF, [
      { type: "photo", media: new InputFile(pngHeader(320, 200), "1.png"), caption: "Case 1234" },
      { type: "photo", media: new InputFile(pngHeader(200, 320), "2.png") },
    ]);
    expect(album).toHaveLength(2);
    expect(album[0]!.media_group_id).toBeDefined();
    expect(album[1]!.media_group_id).toBe(album[0]!.media_group_id);
    expect(album[1]!.message_id).toBe(album[0]!.message_id + 1);
    expect(album.map((m) => m.caption)).toEqual(["Case 1234", undefined]);
    expect(album[1]!.photo!.at(-1)).toMatchObject({ width: 200, height: 320 });
  });
});

describe("locations, chat actions, chats", () => {
  it("sendLocation and sendVenue", async () => {
    const loc = await api.sendLocation(STAFF, 35.84, 50.97);
    expect(loc.location).toEqual({ latitude: 35.84, longitude: 50.97 });
    const venue = await api.sendVenue(STAFF, 35.84, 50.97, "Karaj municipality", "Azadi St.");
    expect(venue.venue).toEqual({
      location: { latitude: 35.84, longitude: 50.97 },
      title: "Karaj municipality",
      address: "Azadi St.",
    });
    expect(venue.location).toEqual({ latitude: 35.84, longitude: 50.97 });
    const bad = await apiError(api.sendLocation(STAFF, 135, 50));
    expect(bad.error_code).toBe(400);
  });

  it("sendChatAction checks the action and the chat", async () => {
    expect(await api.sendChatAction(CITIZEN, "typing")).toBe(true);
    const err = await apiError(api.sendChatAction(CITIZEN, "dancing" as never));
    expect(err.description).toBe("Bad Request: wrong parameter action in request");
  });

  it("getChat and getChatMember", async () => {
    expect(await api.getChat(STAFF)).toMatchObject({ id: STAFF, type: "supergroup", title: "Karaj staff" });
    expect(await api.getChat(CITIZEN)).toMatchObject({ id: CITIZEN, type: "private", first_name: "Ali" });
    expect((await api.getChatMember(STAFF, OFFICIAL)).status).toBe("member");
    expect((await api.getChatMember(STAFF, BOT_ID)).status).toBe("administrator");
    expect((await api.getChatMember(STAFF, CITIZEN)).status).toBe("left");
    await sim.chat("telegram", {
      id: STAFF,
      type: "supergroup",
      title: "Karaj staff",
      members: [OFFICIAL],
      admins: [OFFICIAL],
    });
    expect((await api.getChatMember(STAFF, OFFICIAL)).status).toBe("administrator");
  });
});

describe("edits and deletes", () => {
  it("editMessageText changes text and keyboard; the same content again is 'message is not modified'", async () => {
    const keyboard = { inline_keyboard: [[{ text: "Take", callback_data: "take:1" }]] };
    const m = await api.sendMessage(STAFF, "<b>Case 1</b> new", { parse_mode: "HTML", reply_markup: keyboard });
    const edited = await api.editMessageText(STAFF, m.message_id, "<b>Case 1</b> assigned", {
      parse_mode: "HTML",
      reply_markup: keyboard,
    });
    expect(edited).toMatchObject({ message_id: m.message_id, text: "Case 1 assigned", reply_markup: keyboard });
    expect(typeof edited !== "boolean" && edited.edit_date).toBeGreaterThan(0);
    const err = await apiError(
      api.editMessageText(STAFF, m.message_id, "<b>Case 1</b> assigned", {
        parse_mode: "HTML",
        reply_markup: keyboard,
      }),
    );
    expect(err.error_code).toBe(400);
    expect(err.description).toBe(
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    );
    // Leaving reply_markup out removes the keyboard (so it is a modification).
    const bare = await api.editMessageText(STAFF, m.message_id, "<b>Case 1</b> assigned", { parse_mode: "HTML" });
    expect(typeof bare !== "boolean" && bare.reply_markup).toBeUndefined();
  });

  it("refuses edits of missing, foreign or text-less messages", async () => {
    const missing = await apiError(api.editMessageText(STAFF, 9999, "x"));
    expect(missing.description).toBe("Bad Request: message to edit not found");
    const mine = await sim.send("telegram", { from: OFFICIAL, chat: STAFF, text: "hello bot" });
    const foreign = await apiError(api.editMessageText(STAFF, mine.message.message_id, "x"));
    expect(foreign.description).toBe("Bad Request: message can't be edited");
    const photo = await api.sendPhoto(STAFF, new InputFile(pngHeader(10, 10)));
    const noText = await apiError(api.editMessageText(STAFF, photo.message_id, "x"));
    expect(noText.description).toBe("Bad Request: there is no text in the message to edit");
    const captioned = await api.editMessageCaption(STAFF, photo.message_id, { caption: "after" });
    expect(typeof captioned !== "boolean" && captioned.caption).toBe("after");
  });

  it("editMessageReplyMarkup and deleteMessage", async () => {
    const m = await api.sendMessage(STAFF, "card", {
      reply_markup: { inline_keyboard: [[{ text: "Take", callback_data: "t" }]] },
    });
    const cleared = await api.editMessageReplyMarkup(STAFF, m.message_id);
    expect(typeof cleared !== "boolean" && cleared.reply_markup).toBeUndefined();
    expect((await apiError(api.editMessageReplyMarkup(STAFF, m.message_id))).description).toMatch(
      /^Bad Request: message is not modified/,
    );
    expect(await api.deleteMessage(STAFF, m.message_id)).toBe(true);
    expect((await apiError(api.deleteMessage(STAFF, m.message_id))).description).toBe(
      "Bad Request: message to delete not found",
    );
  });
});

describe("getUpdates, callbacks, commands, webhooks", () => {
  it("a long poll returns as soon as a /sim update is queued; the next offset confirms it", async () => {
    const first = await api.getUpdates({ timeout: 0 });
    const offset = first.at(-1)!.update_id + 1;
    const poll = api.getUpdates({ offset, timeout: 20 });
    const sent = await sim.send("telegram", { from: CITIZEN, chat: CITIZEN, text: "my street light is broken" });
    const updates = await poll;
    expect(updates).toEqual([{ update_id: sent.update_id, message: sent.message }]);
    expect(updates[0]!.message).toMatchObject({
      text: "my street light is broken",
      from: { id: CITIZEN, is_bot: false, first_name: "Ali" },
      chat: { id: CITIZEN, type: "private" },
    });
    expect(await api.getUpdates({ offset: sent.update_id + 1, timeout: 0 })).toEqual([]);
  });

  it("limit, and allowed_updates filtering what is delivered", async () => {
    for (const text of ["a", "b", "c"]) await sim.send("telegram", { from: CITIZEN, chat: CITIZEN, text });
    const two = await api.getUpdates({ limit: 2, timeout: 0 });
    expect(two.map((u) => u.message?.text)).toEqual(["/start", "a"]);
    const onlyCallbacks = await api.getUpdates({
      offset: two[1]!.update_id + 1,
      allowed_updates: ["callback_query"],
      timeout: 0,
    });
    expect(onlyCallbacks).toEqual([]);
    await api.getUpdates({ allowed_updates: [], timeout: 0 });
  });

  it("answerCallbackQuery is recorded in the transcript, and works once per query", async () => {
    const card = await api.sendMessage(STAFF, "card", {
      reply_markup: { inline_keyboard: [[{ text: "Take", callback_data: "take:7" }]] },
    });
    const { callback_query_id } = await sim.press("telegram", {
      from: OFFICIAL,
      chat: STAFF,
      message_id: card.message_id,
      data: "take:7",
    });
    expect(await api.answerCallbackQuery(callback_query_id, { text: "Taken", show_alert: true })).toBe(true);
    const t = await sim.transcript("telegram", { chat: STAFF });
    expect(t.items.at(-1)).toMatchObject({
      kind: "callback_answer",
      message_id: card.message_id,
      from: "bot",
      alert: { text: "Taken", show_alert: true },
    });
    for (const id of [callback_query_id, "12345"]) {
      const err = await apiError(api.answerCallbackQuery(id));
      expect(err.description).toBe("Bad Request: query is too old and response timeout expired or query ID is invalid");
    }
  });

  it("setMyCommands / getMyCommands per scope and language", async () => {
    const scope = { type: "all_private_chats" as const };
    await api.setMyCommands([{ command: "new", description: "گزارش جدید" }], { scope });
    await api.setMyCommands([{ command: "new", description: "New report" }], { scope, language_code: "en" });
    expect(await api.getMyCommands({ scope })).toEqual([{ command: "new", description: "گزارش جدید" }]);
    expect(await api.getMyCommands({ scope, language_code: "en" })).toEqual([
      { command: "new", description: "New report" },
    ]);
    expect(await api.getMyCommands()).toEqual([]);
    expect((await apiError(api.setMyCommands([{ command: "New Report", description: "x" }]))).description).toBe(
      "Bad Request: BOT_COMMAND_INVALID",
    );
  });

  it("setWebhook is validated and recorded; getUpdates then conflicts until deleteWebhook", async () => {
    expect((await apiError(api.setWebhook("http://example.org/hook"))).description).toBe(
      "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
    );
    expect(await api.setWebhook("https://example.org/hook", { secret_token: "s3cret" })).toBe(true);
    expect(await api.getWebhookInfo()).toMatchObject({
      url: "https://example.org/hook",
      has_custom_certificate: false,
      pending_update_count: 1,
    });
    const conflict = await apiError(api.getUpdates({ timeout: 0 }));
    expect([conflict.error_code, conflict.description]).toEqual([
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    ]);
    expect(await api.deleteWebhook({ drop_pending_updates: true })).toBe(true);
    expect(await api.getUpdates({ timeout: 0 })).toEqual([]);
  });

  it("a second concurrent long poll ends the first with 409 Conflict", async () => {
    const offset = (await api.getUpdates({ timeout: 0 })).at(-1)!.update_id + 1;
    const first = api.getUpdates({ offset, timeout: 20 });
    // The first poll must be waiting in the emulator before the second one arrives.
    await vi.waitFor(() => expect(emu.world.platforms.get("telegram")?.updates.isPolling).toBe(true));
    const second = api.getUpdates({ offset, timeout: 20 });
    const err = await apiError(first);
    expect([err.error_code, err.description]).toEqual([
      409,
      "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    ]);
    const sent = await sim.send("telegram", { from: CITIZEN, chat: CITIZEN, text: "hi" });
    expect((await second).map((u) => u.update_id)).toEqual([sent.update_id]);
  });
});

describe("injected faults", () => {
  it("429 arrives as GrammyError 429 with parameters.retry_after, for `count` calls of that method", async () => {
    await sim.fault({ platform: "telegram", method: "sendMessage", kind: "429", count: 2, retry_after: 7 });
    for (let i = 0; i < 2; i++) {
      const err = await apiError(api.sendMessage(CITIZEN, "x"));
      expect(err.error_code).toBe(429);
      expect(err.description).toBe("Too Many Requests: retry after 7");
      expect(err.parameters.retry_after).toBe(7);
    }
    expect((await api.sendMessage(CITIZEN, "x")).text).toBe("x");
  });

  it("500 arrives as GrammyError 500; other methods and platforms are unaffected", async () => {
    await sim.fault({ method: "editMessageText", kind: "500", count: 1 });
    const m = await api.sendMessage(CITIZEN, "x");
    const err = await apiError(api.editMessageText(CITIZEN, m.message_id, "y"));
    expect([err.error_code, err.description]).toEqual([500, "Internal Server Error"]);
    expect(await sim.faults()).toEqual({ faults: [] });
  });

  it("timeout: the request is held without an answer until the client gives up", async () => {
    await sim.fault({ method: "getMe", kind: "timeout", count: 1 });
    const impatient = new Api(TOKEN, { apiRoot: emu.url, timeoutSeconds: 1 });
    const err = await impatient.getMe().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HttpError);
    expect((await api.getMe()).id).toBe(BOT_ID);
  });
});

describe("enforced rate limits (enforceLimits: true)", () => {
  it("private chats: a short burst, then 429 with retry_after; groups: 20 a minute", async () => {
    let now = Date.UTC(2025, 0, 1);
    const limited = await startBotApiEmulator({
      bots: [{ platform: "telegram", token: TOKEN, id: BOT_ID, username: "citizen137_bot", firstName: "Citizen 137" }],
      enforceLimits: true,
      now: () => now,
    });
    try {
      const lapi = new Api(TOKEN, { apiRoot: limited.url });
      const lsim = new SimClient(limited.url);
      await lsim.user("telegram", { id: CITIZEN, first_name: "Ali", started: true });
      await lsim.user("telegram", { id: OFFICIAL, first_name: "Omid" });
      await lsim.chat("telegram", { id: STAFF, type: "supergroup", title: "Staff", members: [OFFICIAL] });
      for (let i = 0; i < 3; i++) await lapi.sendMessage(CITIZEN, `burst ${i}`);
      const err = await apiError(lapi.sendMessage(CITIZEN, "one too many"));
      expect([err.error_code, err.parameters.retry_after]).toEqual([429, 1]);
      now += 1000;
      expect((await lapi.sendMessage(CITIZEN, "after a second")).text).toBe("after a second");
      for (let i = 0; i < 20; i++) await lapi.sendMessage(STAFF, `card ${i}`);
      const group = await apiError(lapi.sendMessage(STAFF, "21st"));
      expect([group.error_code, group.parameters.retry_after]).toEqual([429, 3]);
    } finally {
      await limited.stop();
    }
  });
});
