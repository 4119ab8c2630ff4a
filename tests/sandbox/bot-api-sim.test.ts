// The emulator's /sim API (what the browser page, flow tests and scripted demos use), and real
// grammY bots long-polling it with bot.start(): a simulated user writes, the bot answers, the
// answer shows up in the transcript.
import http from "node:http";
import { Api, Bot, InlineKeyboard, Keyboard } from "grammy";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BotApiEmulator, BotConfig } from "../../sandbox/bot-api/server.ts";
import { startBotApiEmulator } from "../../sandbox/bot-api/server.ts";
import { SimClient, SimHttpError } from "../../sandbox/bot-api/sim-client.ts";
import { localRequestRefusal } from "../../sandbox/bot-api/local-only.ts";
import { startSandboxServices } from "../../sandbox/services.ts";
import { listen } from "../../sandbox/listen.ts";
import { loadConfig } from "../../core/config.ts";
import { createLogger } from "../../core/logger.ts";

const TELEGRAM: BotConfig = {
  platform: "telegram",
  token: "1370001:TEST-telegram",
  id: 1370001,
  username: "citizen137_bot",
  firstName: "Citizen 137",
};
const BALE: BotConfig = {
  platform: "bale",
  token: "2370001:TEST-bale",
  id: 2370001,
  username: "citizen137_bale_bot",
  firstName: "Citizen 137 (Bale)",
};
const CITIZEN = 5001;
const OFFICIAL = 7001;
const STAFF = -1001370000001;
const JPEG = Buffer.from("ffd8ffe000104a46494600010100000100010000ffc0001108003c005003012200021101031101ffd9", "hex");

let emu: BotApiEmulator;
let sim: SimClient;
let telegram: Api;

async function refused(call: Promise<unknown>): Promise<SimHttpError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SimHttpError);
  return err as SimHttpError;
}

beforeAll(async () => {
  emu = await startBotApiEmulator({ bots: [TELEGRAM, BALE] });
  sim = new SimClient(emu.url);
  telegram = new Api(TELEGRAM.token, { apiRoot: emu.url });
});

afterAll(() => emu.stop());

beforeEach(async () => {
  await sim.reset();
  await sim.user("telegram", { id: CITIZEN, first_name: "Ali", username: "ali_k", language_code: "fa" });
  await sim.user("telegram", { id: OFFICIAL, first_name: "Omid" });
  await sim.chat("telegram", { id: STAFF, type: "supergroup", title: "Karaj staff", members: [OFFICIAL] });
});

describe("people and chats", () => {
  it("/sim/state lists bots, users (with their private chats) and groups, per platform", async () => {
    await sim.user("bale", { id: CITIZEN, first_name: "Ali on Bale" });
    const state = await sim.state();
    expect(state.bots).toEqual([
      expect.objectContaining({ platform: "telegram", id: TELEGRAM.id, username: TELEGRAM.username }),
      expect.objectContaining({ platform: "bale", id: BALE.id, username: BALE.username }),
    ]);
    expect(state.users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ platform: "telegram", id: CITIZEN, first_name: "Ali", language_code: "fa" }),
        expect.objectContaining({ platform: "bale", id: CITIZEN, first_name: "Ali on Bale" }),
      ]),
    );
    expect(state.chats).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ platform: "telegram", id: CITIZEN, type: "private" }),
        expect.objectContaining({ platform: "telegram", id: STAFF, type: "supergroup", title: "Karaj staff" }),
      ]),
    );
  });

  it("refuses unknown platforms, users and chats, and non-members", async () => {
    expect((await refused(sim.user("viber", { id: 1, first_name: "x" }))).status).toBe(404);
    expect((await refused(sim.send("telegram", { from: 999, text: "hi" }))).error).toMatch(/unknown user 999/);
    expect((await refused(sim.send("telegram", { from: CITIZEN, chat: -42, text: "hi" }))).error).toBe(
      "unknown chat -42",
    );
    expect((await refused(sim.send("telegram", { from: CITIZEN, chat: STAFF, text: "hi" }))).status).toBe(403);
    expect((await refused(sim.chat("telegram", { id: 5, type: "group", title: "x", members: [] }))).error).toBe(
      "id must be a negative integer",
    );
    expect((await refused(sim.chat("telegram", { id: -5, type: "group", title: "x", members: [404] }))).error).toMatch(
      /unknown users 404/,
    );
  });
});

describe("what users send", () => {
  it("text: a Telegram-shaped message with bot_command entities, queued for the bot", async () => {
    const { update_id, message } = await sim.send("telegram", {
      from: CITIZEN,
      text: "/status@citizen137_bot 1404-0001 and /help",
    });
    expect(message).toMatchObject({
      message_id: 1,
      from: { id: CITIZEN, is_bot: false, first_name: "Ali", username: "ali_k", language_code: "fa" },
      chat: { id: CITIZEN, type: "private", first_name: "Ali", username: "ali_k" },
    });
    expect(message.entities).toEqual([
      { type: "bot_command", offset: 0, length: 22 },
      { type: "bot_command", offset: 37, length: 5 },
    ]);
    expect(await telegram.getUpdates({ timeout: 0 })).toEqual([{ update_id, message }]);
  });

  it("photo from a /sim file: PhotoSize[] from the image header; the bot can getFile and download it", async () => {
    const file = await sim.file("telegram", JPEG, "image/jpeg", "pothole.jpg");
    expect(file.file_size).toBe(JPEG.length);
    const { message } = await sim.send("telegram", {
      from: CITIZEN,
      photo: file.file_id,
      caption: "Pothole on Azadi St.",
    });
    expect(message.caption).toBe("Pothole on Azadi St.");
    expect(message.photo!.at(-1)).toMatchObject({ width: 80, height: 60, file_size: JPEG.length });
    const got = await telegram.getFile(message.photo!.at(-1)!.file_id);
    const bytes = Buffer.from(
      await (await fetch(`${emu.url}/file/bot${TELEGRAM.token}/${got.file_path}`)).arrayBuffer(),
    );
    expect(bytes).toEqual(JPEG);
    expect(await sim.fileBytes("telegram", message.photo![0]!.file_id)).toEqual(JPEG);
    expect((await refused(sim.fileBytes("telegram", "nope"))).status).toBe(404);
  });

  it("document, location, venue, contact, sticker, replies", async () => {
    const pdf = await sim.file("telegram", Buffer.from("%PDF-1.4"), "application/pdf", "permit.pdf");
    const doc = await sim.send("telegram", { from: CITIZEN, document: pdf.file_id });
    expect(doc.message.document).toMatchObject({ file_name: "permit.pdf", mime_type: "application/pdf", file_size: 8 });
    const loc = await sim.send("telegram", { from: CITIZEN, location: { latitude: 35.84, longitude: 50.97 } });
    expect(loc.message.location).toEqual({ latitude: 35.84, longitude: 50.97 });
    const venue = await sim.send("telegram", {
      from: CITIZEN,
      venue: { latitude: 35.8, longitude: 51, title: "Park", address: "Main St." },
    });
    expect(venue.message.venue).toEqual({
      location: { latitude: 35.8, longitude: 51 },
      title: "Park",
      address: "Main St.",
    });
    const contact = await sim.send("telegram", {
      from: CITIZEN,
      contact: { phone_number: "+989121234567", user_id: CITIZEN },
    });
    expect(contact.message.contact).toEqual({ phone_number: "+989121234567", first_name: "Ali", user_id: CITIZEN });
    const sticker = await sim.send("telegram", { from: CITIZEN, sticker: true });
    expect(sticker.message.sticker).toMatchObject({ type: "regular", width: 512, height: 512 });
    const reply = await sim.send("telegram", { from: CITIZEN, text: "this one", reply_to: loc.message.message_id });
    expect(reply.message.reply_to_message).toMatchObject({
      message_id: loc.message.message_id,
      location: { latitude: 35.84 },
    });
    expect(
      (await refused(sim.send("telegram", { from: CITIZEN, text: "a", location: { latitude: 1, longitude: 1 } })))
        .error,
    ).toMatch(/exactly one of/);
    expect(
      (await refused(sim.send("telegram", { from: CITIZEN, location: { latitude: 91, longitude: 1 } }))).error,
    ).toBe("latitude must be a number from -90 to 90");
  });
});

describe("live locations and users' edits", () => {
  it("location.live_period: validated as the Bot API says; a move is an edited_message update and an edit item", async () => {
    const live = await sim.send("telegram", {
      from: OFFICIAL,
      location: { latitude: 35.8329, longitude: 50.9915, live_period: 900 },
    });
    expect(live.message.location).toEqual({ latitude: 35.8329, longitude: 50.9915, live_period: 900 });
    const forever = await sim.send("telegram", {
      from: OFFICIAL,
      location: { latitude: 35.8, longitude: 51, live_period: 0x7fffffff },
    });
    expect(forever.message.location?.live_period).toBe(0x7fffffff);
    for (const bad of [59, 86_401, 900.5, "900", 0]) {
      expect(
        (
          await refused(
            sim.send("telegram", {
              from: OFFICIAL,
              location: { latitude: 35.8, longitude: 51, live_period: bad as number },
            }),
          )
        ).error,
      ).toBe("live_period must be an integer from 60 to 86400, or 2147483647 (until turned off)");
    }
    const { seq } = await sim.transcript("telegram", { chat: OFFICIAL });
    const moved = await sim.edit("telegram", {
      from: OFFICIAL,
      message_id: live.message.message_id,
      location: { latitude: 35.833, longitude: 50.9916 },
    });
    expect(moved.message).toMatchObject({
      message_id: live.message.message_id,
      date: live.message.date,
      edit_date: expect.any(Number),
      location: { latitude: 35.833, longitude: 50.9916, live_period: 900 },
    });
    const updates = await telegram.getUpdates({ timeout: 0 });
    expect(updates.at(-1)).toEqual({ update_id: moved.update_id, edited_message: moved.message });
    const t = await sim.transcript("telegram", { chat: OFFICIAL, since: seq });
    expect(t.items).toEqual([
      expect.objectContaining({
        kind: "edit",
        from: "user",
        user_id: OFFICIAL,
        message_id: live.message.message_id,
        location: { latitude: 35.833, longitude: 50.9916, live_period: 900 },
      }),
    ]);
    expect(
      (await sim.messages("telegram", OFFICIAL)).messages.find((m) => m.message_id === live.message.message_id)
        ?.location,
    ).toEqual({ latitude: 35.833, longitude: 50.9916, live_period: 900 });
  });

  it("refuses moving what is not the sender's live location, and a text edit that changes nothing; a text edit gets new command entities", async () => {
    const still = await sim.send("telegram", { from: OFFICIAL, location: { latitude: 35.8, longitude: 51 } });
    const move = { latitude: 35.81, longitude: 51 };
    expect(
      (await refused(sim.edit("telegram", { from: OFFICIAL, message_id: still.message.message_id, location: move })))
        .error,
    ).toBe(`message ${still.message.message_id} is not a live location`);
    const live = await sim.send("telegram", { from: CITIZEN, location: { ...move, live_period: 60 } });
    expect(
      (
        await refused(
          sim.edit("telegram", { from: OFFICIAL, chat: CITIZEN, message_id: live.message.message_id, location: move }),
        )
      ).status,
    ).toBe(403);
    await sim.send("telegram", { from: OFFICIAL, chat: STAFF, text: "on my way" });
    const card = await telegram.sendMessage(STAFF, "card");
    expect(
      (
        await refused(
          sim.edit("telegram", { from: OFFICIAL, chat: STAFF, message_id: card.message_id, text: "mine now" }),
        )
      ).status,
    ).toBe(403);
    expect(
      (await refused(sim.edit("telegram", { from: OFFICIAL, chat: STAFF, message_id: 404, text: "x" }))).error,
    ).toBe(`no message 404 in chat ${STAFF}`);
    const typed = await sim.send("telegram", { from: CITIZEN, text: "/status 1404-0001" });
    expect(
      (
        await refused(
          sim.edit("telegram", { from: CITIZEN, message_id: typed.message.message_id, text: "/status 1404-0001" }),
        )
      ).error,
    ).toBe("the text is the same: nothing to edit");
    expect(
      (await refused(sim.edit("telegram", { from: CITIZEN, message_id: typed.message.message_id, location: move })))
        .error,
    ).toMatch(/is not a live location/);
    expect((await refused(sim.edit("telegram", { from: CITIZEN, message_id: typed.message.message_id }))).error).toBe(
      "give exactly one of text, location",
    );
    const fixed = await sim.edit("telegram", {
      from: CITIZEN,
      message_id: typed.message.message_id,
      text: "oops: /status 1404-0002",
    });
    expect(fixed.message).toMatchObject({
      text: "oops: /status 1404-0002",
      entities: [{ type: "bot_command", offset: 6, length: 7 }],
      edit_date: expect.any(Number),
    });
  });

  it("a live location stops moving when its live_period is over (0x7FFFFFFF: never)", async () => {
    let now = Date.UTC(2025, 0, 1, 8);
    const clocked = await startBotApiEmulator({ bots: [TELEGRAM], now: () => now });
    try {
      const c = new SimClient(clocked.url);
      await c.user("telegram", { id: OFFICIAL, first_name: "Omid" });
      const short = await c.send("telegram", {
        from: OFFICIAL,
        location: { latitude: 35.8, longitude: 51, live_period: 900 },
      });
      const forever = await c.send("telegram", {
        from: OFFICIAL,
        location: { latitude: 35.8, longitude: 51, live_period: 0x7fffffff },
      });
      now += 899_000;
      await c.edit("telegram", {
        from: OFFICIAL,
        message_id: short.message.message_id,
        location: { latitude: 35.801, longitude: 51 },
      });
      now += 1_000;
      expect(
        (
          await refused(
            c.edit("telegram", {
              from: OFFICIAL,
              message_id: short.message.message_id,
              location: { latitude: 35.802, longitude: 51 },
            }),
          )
        ).error,
      ).toBe(`the live location of message ${short.message.message_id} has expired`);
      now += 30 * 86_400_000;
      expect(
        (
          await c.edit("telegram", {
            from: OFFICIAL,
            message_id: forever.message.message_id,
            location: { latitude: 35.81, longitude: 51 },
          })
        ).message.edit_date,
      ).toBe(now / 1000);
    } finally {
      await clocked.stop();
    }
  });
});

describe("buttons, transcripts, current messages", () => {
  it("press: only a button the message really has; the query reaches the bot with the message", async () => {
    const card = await telegram.sendMessage(STAFF, "Case 1", {
      reply_markup: new InlineKeyboard().text("Take", "take:1"),
    });
    expect(
      (
        await refused(
          sim.press("telegram", { from: OFFICIAL, chat: STAFF, message_id: card.message_id, data: "close:1" }),
        )
      ).status,
    ).toBe(400);
    const pressed = await sim.press("telegram", {
      from: OFFICIAL,
      chat: STAFF,
      message_id: card.message_id,
      data: "take:1",
    });
    const updates = await telegram.getUpdates({ timeout: 0 });
    expect(updates.at(-1)).toEqual({
      update_id: pressed.update_id,
      callback_query: {
        id: pressed.callback_query_id,
        from: { id: OFFICIAL, is_bot: false, first_name: "Omid" },
        message: card,
        chat_instance: expect.any(String),
        data: "take:1",
      },
    });
  });

  it("transcript: both directions in order, edits and deletes as items, ?since= for increments; messages: the current state", async () => {
    const asked = await sim.send("telegram", { from: CITIZEN, text: "/start" });
    await telegram.sendMessage(CITIZEN, "Choose", {
      reply_markup: new Keyboard().text("New report").resized().oneTime(),
    });
    const t1 = await sim.transcript("telegram", { chat: CITIZEN });
    expect(t1.items.map((i) => [i.kind, i.from, i.text])).toEqual([
      ["message", "user", "/start"],
      ["message", "bot", "Choose"],
    ]);
    expect(t1.items[0]).toMatchObject({ chat_id: CITIZEN, message_id: asked.message.message_id, user_id: CITIZEN });
    expect(t1.keyboard).toEqual({
      keyboard: [[{ text: "New report" }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    });
    // A one-time keyboard hides once the user answers.
    await sim.send("telegram", { from: CITIZEN, text: "New report" });
    const card = await telegram.sendMessage(CITIZEN, "<b>Case</b> new", {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text("Rate", "rate"),
    });
    await telegram.editMessageText(CITIZEN, card.message_id, "<b>Case</b> resolved", { parse_mode: "HTML" });
    await telegram.deleteMessage(CITIZEN, asked.message.message_id);
    const t2 = await sim.transcript("telegram", { chat: CITIZEN, since: t1.seq });
    expect(t2.keyboard).toBeNull();
    expect(t2.items.map((i) => [i.kind, i.message_id])).toEqual([
      ["message", asked.message.message_id + 2],
      ["message", card.message_id],
      ["edit", card.message_id],
      ["delete", asked.message.message_id],
    ]);
    expect(t2.items[1]).toMatchObject({
      from: "bot",
      text: "<b>Case</b> new",
      parse_mode: "HTML",
      reply_markup: { inline_keyboard: [[{ text: "Rate", callback_data: "rate" }]] },
    });
    expect(t2.items[2]).toMatchObject({ text: "<b>Case</b> resolved", edit_date: expect.any(Number) });
    expect(t2.items[2]!.reply_markup).toBeUndefined();
    expect(t2.seq).toBe(t2.items.at(-1)!.seq);
    const current = await sim.messages("telegram", CITIZEN);
    expect(current.messages.map((m) => [m.message_id, m.text])).toEqual([
      [asked.message.message_id + 1, "Choose"],
      [asked.message.message_id + 2, "New report"],
      [card.message_id, "<b>Case</b> resolved"],
    ]);
  });

  it("photos in transcripts carry a URL the page can show; callback answers appear as events", async () => {
    const photo = await telegram.sendPhoto(
      STAFF,
      (
        await sim.send("telegram", {
          from: OFFICIAL,
          chat: STAFF,
          photo: (await sim.file("telegram", JPEG, "image/jpeg")).file_id,
        })
      ).message.photo!.at(-1)!.file_id,
    );
    const card = await telegram.sendMessage(STAFF, "card", { reply_markup: new InlineKeyboard().text("Take", "take") });
    const { callback_query_id } = await sim.press("telegram", {
      from: OFFICIAL,
      chat: STAFF,
      message_id: card.message_id,
      data: "take",
    });
    await telegram.answerCallbackQuery(callback_query_id, { text: "Assigned to you" });
    const t = await sim.transcript("telegram", { chat: STAFF });
    const shown = t.items.find((i) => i.message_id === photo.message_id)!;
    expect(Buffer.from(await (await fetch(shown.photo!.url)).arrayBuffer())).toEqual(JPEG);
    expect(t.items.at(-1)).toMatchObject({
      kind: "callback_answer",
      message_id: card.message_id,
      alert: { text: "Assigned to you", show_alert: false },
    });
  });

  it("transcript ?wait= holds until something new happens", async () => {
    const { seq } = await sim.transcript("telegram");
    const waiting = sim.transcript("telegram", { since: seq, wait: 20 });
    await sim.send("telegram", { from: CITIZEN, text: "hello" });
    expect((await waiting).items.map((i) => i.text)).toEqual(["hello"]);
  });
});

describe("faults and reset", () => {
  it("POST adds, GET lists, DELETE clears; bad specs are refused", async () => {
    expect(await sim.fault({ platform: "bale", method: "sendMessage", kind: "429", count: 3, retry_after: 4 })).toEqual(
      { faults: [{ platform: "bale", method: "sendMessage", kind: "429", count: 3, retry_after: 4 }] },
    );
    await sim.fault({ kind: "timeout", count: 1 });
    expect((await sim.faults()).faults).toHaveLength(2);
    expect(await sim.clearFaults()).toEqual({ faults: [] });
    expect((await refused(sim.fault({ kind: "503" as never }))).error).toBe("kind must be one of 429, 500, timeout");
    expect((await refused(sim.fault({ kind: "500", platform: "icq" }))).status).toBe(404);
  });

  it("reset clears users, chats, messages and faults; update ids keep increasing for pollers", async () => {
    const before = await sim.send("telegram", { from: CITIZEN, text: "one" });
    await sim.fault({ kind: "500", count: 5 });
    await sim.reset();
    expect(await sim.state()).toMatchObject({ users: [], chats: [] });
    expect((await sim.transcript("telegram")).items).toEqual([]);
    expect((await sim.faults()).faults).toEqual([]);
    await sim.user("telegram", { id: CITIZEN, first_name: "Ali" });
    const after = await sim.send("telegram", { from: CITIZEN, text: "two" });
    expect(after.update_id).toBeGreaterThan(before.update_id);
    expect(after.message.message_id).toBe(1);
  });
});

describe("real grammY bots long-polling the emulator", () => {
  it("bot.start(): '/start' from a simulated user gets the bot's reply into the transcript; a button press gets its answer", async () => {
    const bots = [TELEGRAM, BALE].map((cfg) => {
      const bot = new Bot(cfg.token, { client: { apiRoot: emu.url } });
      bot.command("start", (ctx) =>
        ctx.reply(`Welcome to ${cfg.platform}, ${ctx.from?.first_name}`, {
          reply_markup: new InlineKeyboard().text("Report", "report"),
        }),
      );
      bot.callbackQuery("report", (ctx) => ctx.answerCallbackQuery({ text: "Send a photo" }));
      return bot;
    });
    const started = bots.map(
      (bot) => new Promise<void>((resolve, reject) => void bot.start({ onStart: () => resolve() }).catch(reject)),
    );
    try {
      await Promise.all(started);
      await sim.user("bale", { id: CITIZEN, first_name: "Sara" });
      await sim.send("telegram", { from: CITIZEN, text: "/start" });
      await sim.send("bale", { from: CITIZEN, text: "/start" });
      const reply = await sim.waitFor("telegram", (i) => i.from === "bot" && i.kind === "message", { chat: CITIZEN });
      expect(reply.text).toBe("Welcome to telegram, Ali");
      const baleReply = await sim.waitFor("bale", (i) => i.from === "bot" && i.kind === "message", { chat: CITIZEN });
      expect(baleReply.text).toBe("Welcome to bale, Sara");
      await sim.press("telegram", { from: CITIZEN, message_id: reply.message_id, data: "report" });
      const answer = await sim.waitFor("telegram", (i) => i.kind === "callback_answer", {
        chat: CITIZEN,
        since: reply.seq,
      });
      expect(answer.alert).toEqual({ text: "Send a photo", show_alert: false });
      // Each platform's transcript holds only its own bot's conversation.
      expect((await sim.transcript("bale")).items.map((i) => i.text)).toEqual(["/start", "Welcome to bale, Sara"]);
    } finally {
      await Promise.all(bots.map((bot) => bot.stop()));
    }
  });
});

interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with headers fetch will not let us set (Host) or a browser would add (Origin, Sec-Fetch-Site). */
function raw(
  base: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawReply> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: opts.method ?? "GET",
        headers: opts.headers ?? {},
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

describe("the sandbox answers this machine only (no DNS rebinding, no cross-site requests)", () => {
  const send = JSON.stringify({ from: CITIZEN, text: "forged" });
  const json = { "content-type": "application/json" };
  const queued = async () => (await sim.transcript("telegram")).items.length;

  it("a Host other than the loopback address gets 403 on /sim, the Bot API and file downloads", async () => {
    const before = await queued();
    for (const host of [
      "evil.example",
      `evil.example:${emu.port}`,
      `127.0.0.1.evil.example:${emu.port}`,
      `10.0.0.5:${emu.port}`,
    ]) {
      expect((await raw(emu.url, "/sim/state", { headers: { host } })).status).toBe(403);
      expect(
        (await raw(emu.url, "/sim/telegram/send", { method: "POST", headers: { host, ...json }, body: send })).status,
      ).toBe(403);
      const getMe = await raw(emu.url, `/bot${TELEGRAM.token}/getMe`, { headers: { host } });
      expect([getMe.status, JSON.parse(getMe.body)]).toEqual([
        403,
        {
          ok: false,
          error_code: 403,
          description: "Forbidden: the sandbox answers requests for 127.0.0.1 and localhost only (Host header)",
        },
      ]);
      expect((await raw(emu.url, `/file/bot${TELEGRAM.token}/photos/x`, { headers: { host } })).status).toBe(403);
    }
    expect(await queued()).toBe(before);
    for (const host of [`127.0.0.1:${emu.port}`, `localhost:${emu.port}`, `LOCALHOST:${emu.port}`])
      expect((await raw(emu.url, "/sim/state", { headers: { host } })).status).toBe(200);
  });

  it("a POST from another origin gets 403 and changes nothing; the sandbox's own origin is served", async () => {
    const before = await queued();
    for (const origin of [
      "http://evil.example",
      `http://localhost:${emu.port + 1}`,
      "null",
      `https://127.0.0.1:${emu.port}`,
    ]) {
      const reply = await raw(emu.url, "/sim/telegram/send", {
        method: "POST",
        headers: { origin, ...json },
        body: send,
      });
      expect([origin, reply.status]).toEqual([origin, 403]);
    }
    expect(await queued()).toBe(before);
    const own = await raw(emu.url, "/sim/telegram/send", {
      method: "POST",
      headers: { origin: emu.url, ...json },
      body: send,
    });
    expect(own.status).toBe(200);
    expect(await queued()).toBe(before + 1);
  });

  it("a form post (urlencoded, multipart, text/plain) gets 403 even without an Origin header", async () => {
    const before = await queued();
    for (const type of [
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "text/plain;charset=UTF-8",
      "TEXT/PLAIN",
    ]) {
      const reply = await raw(emu.url, "/sim/telegram/send", {
        method: "POST",
        headers: { "content-type": type },
        body: send,
      });
      expect([type, reply.status]).toEqual([type, 403]);
    }
    expect(await queued()).toBe(before);
  });

  it("a request a browser marks cross-site (Sec-Fetch-Site) gets 403, a same-origin one is served", async () => {
    expect((await raw(emu.url, "/sim/state", { headers: { "sec-fetch-site": "cross-site" } })).status).toBe(403);
    expect((await raw(emu.url, "/sim/state", { headers: { "sec-fetch-site": "same-site" } })).status).toBe(403);
    expect((await raw(emu.url, "/sim/state", { headers: { "sec-fetch-site": "same-origin" } })).status).toBe(200);
  });

  it("no Access-Control-Allow-Origin: * on any answer, preflights included", async () => {
    const answers = [
      await raw(emu.url, "/sim/state"),
      await raw(emu.url, "/sim/state", { headers: { origin: "http://evil.example" } }),
      await raw(emu.url, "/sim/telegram/send", {
        method: "OPTIONS",
        headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
      }),
      await raw(emu.url, "/sim/telegram/send", { method: "OPTIONS" }),
      await raw(emu.url, `/bot${TELEGRAM.token}/getMe`),
    ];
    for (const a of answers) expect(a.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("corsOrigins: a page served elsewhere (sandbox/web simBaseUrl) is let in by name, and only it", async () => {
    const page = "http://127.0.0.1:8999";
    const other = await startBotApiEmulator({ bots: [TELEGRAM], corsOrigins: [page] });
    try {
      const got = await raw(other.url, "/sim/state", { headers: { origin: page } });
      expect([got.status, got.headers["access-control-allow-origin"], got.headers.vary]).toEqual([200, page, "Origin"]);
      const preflight = await raw(other.url, "/sim/telegram/send", {
        method: "OPTIONS",
        headers: { origin: page, "access-control-request-method": "POST" },
      });
      expect([preflight.status, preflight.headers["access-control-allow-origin"]]).toEqual([204, page]);
      expect((await raw(other.url, "/sim/state", { headers: { origin: "http://127.0.0.1:8998" } })).status).toBe(403);
    } finally {
      await other.stop();
    }
  });

  it("npm start's front (sandbox/services.ts): the page and /sim answer Host 127.0.0.1:<its own port> only, and no cross-origin post", async () => {
    // MONGODB_URI set: no embedded store is started (nothing here touches the database).
    const services = await startSandboxServices(
      loadConfig({ MONGODB_URI: "mongodb://127.0.0.1:1/unused", SANDBOX_DATA_DIR: "data" }),
      createLogger("silent"),
    );
    const server = http.createServer(
      (req, res) => void Promise.resolve(services.routes(req, res)).then((done) => done || res.writeHead(404).end()),
    );
    const port = await listen(server, "127.0.0.1", 0);
    const front = `http://127.0.0.1:${port}`;
    try {
      expect((await raw(front, "/")).status).toBe(200);
      expect((await raw(front, "/sim/state")).status).toBe(200);
      expect((await raw(front, "/sim/state", { headers: { host: `localhost:${port}` } })).status).toBe(200);
      for (const host of ["evil.example", `evil.example:${port}`, `127.0.0.1:${port + 1}`]) {
        expect([host, (await raw(front, "/", { headers: { host } })).status]).toEqual([host, 403]);
        expect([host, (await raw(front, "/sim/state", { headers: { host } })).status]).toEqual([host, 403]);
      }
      const forged = { method: "POST", body: JSON.stringify({ id: 1, first_name: "x" }) };
      expect(
        (
          await raw(front, "/sim/telegram/users", {
            ...forged,
            headers: { origin: "http://evil.example", "content-type": "application/json" },
          })
        ).status,
      ).toBe(403);
      expect(
        (await raw(front, "/sim/telegram/users", { ...forged, headers: { "content-type": "text/plain" } })).status,
      ).toBe(403);
      // The page's own post, through the front to the emulator behind it.
      expect(
        (
          await raw(front, "/sim/telegram/users", {
            ...forged,
            headers: { origin: front, "content-type": "application/json" },
          })
        ).status,
      ).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.stop();
    }
  });

  it("the front (npm start's one origin) also insists on its own port: Host 127.0.0.1:<another port> is refused there", () => {
    const req = (host: string, extra: Record<string, string> = {}) =>
      ({
        method: "GET",
        url: "/sim/state",
        headers: { host, ...extra },
        socket: { localPort: 8137 },
      }) as unknown as http.IncomingMessage;
    expect(localRequestRefusal(req("127.0.0.1:8137"), { port: "socket" })).toBeNull();
    expect(localRequestRefusal(req("localhost:8137"), { port: "socket" })).toBeNull();
    expect(localRequestRefusal(req("127.0.0.1:8138"), { port: "socket" })).toMatch(/Host/);
    expect(localRequestRefusal(req("127.0.0.1:8138"), { port: "any" })).toBeNull();
    expect(
      localRequestRefusal(req("127.0.0.1:8137", { origin: "http://127.0.0.1:8137" }), { port: "socket" }),
    ).toBeNull();
    expect(localRequestRefusal(req("127.0.0.1:8137", { origin: "http://127.0.0.1:8138" }), { port: "socket" })).toMatch(
      /Origin/,
    );
  });
});
