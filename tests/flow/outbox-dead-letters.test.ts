import { Writable } from "node:stream";
import { Api, InputFile } from "grammy";
import pino from "pino";
import { beforeEach, describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import {
  API_ROOT,
  BALE_API_ROOT,
  BALE_TOKEN,
  createTestDesk,
  STAFF_CHAT,
  TOKEN,
  type TestDesk,
} from "../support/test-bot.ts";
import { fileReport } from "../support/intake-steps.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { runScript, uriFor } from "../scripts/run-script.ts";
import { OutboxDispatcher, OUTBOX_TIMEOUT_SECONDS } from "../../bot/outbox/dispatcher.ts";
import { inSendMode, installSendMode } from "../../bot/outbox/send-mode.ts";
import { htmlToPlain } from "../../core/capabilities.ts";
import { setupApi } from "../../bot/api-setup.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { Report } from "../../models/report/report.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { ltr } from "../../core/format.ts";
import { DEAD_ALERT_KIND } from "../../models/infra/job-outbox.ts";
import { submitReport } from "../../models/report/report-submit.ts";
import { changeStatus } from "../../models/report/report-transition.ts";

const { uri, dbName } = useTestDb({ cleanEach: true });

const T0 = new Date("2025-06-01T09:00:00Z");
const MANAGERS = -1001370000099;
/** Admins (alerted in private), an official and a manager (not alerted in private). */
const AZAR = 7101; // admin, Telegram
const BAHRAM = 7102; // admin, Bale
const OMID = 7103; // official
const MINA = 7104; // manager
const SARA = 8001; // the citizen
const LRM = "\u200E";
const DESCRIPTION = "لوله <آب> & فاضلاب جلوی مدرسه شکسته است";

function desk(env: Record<string, string> = {}): TestDesk {
  const d = createTestDesk({ MANAGERS_CHAT_ID: String(MANAGERS), ...env }, ["telegram", "bale"]);
  d.clock.now = T0;
  return d;
}

/** Sara files a report through the bot; its staff card waits in the outbox for STAFF_CHAT. */
async function cardQueued(d: TestDesk): Promise<string> {
  const tb = d.on("telegram");
  const code = await fileReport(tb, tb.citizen(SARA, { firstName: "Sara" }), {
    description: DESCRIPTION,
    location: { address: "خیابان آزادی، کوچه ۵" },
  });
  tb.api.clearCalls();
  return code;
}

async function cardRow() {
  return (await Outbox.findOne({ kind: "staff_card" }).lean())!;
}

/** Every sendMessage the desk made (both platforms), as [platform, chat, text]. */
function sent(d: TestDesk): [string, number, string][] {
  return (["telegram", "bale"] as const).flatMap((p) =>
    d
      .on(p)
      .api.calls.filter((c) => c.method === "sendMessage")
      .map((c): [string, number, string] => [p, Number(c.payload.chat_id), String(c.payload.text)]),
  );
}

beforeEach(async () => {
  await upsertStaff({ platform: "telegram", userId: AZAR, name: "Azar", role: "admin" });
  await upsertStaff({ platform: "bale", userId: BAHRAM, name: "Bahram", role: "admin" });
  await upsertStaff({ platform: "telegram", userId: OMID, name: "Omid", role: "official", regions: ["r1"] });
  await upsertStaff({ platform: "telegram", userId: MINA, name: "Mina", role: "manager" });
});

describe("a staff card the Bot API refuses (4xx)", () => {
  it("one 400: the card is retried at once as plain text without buttons, sent, and nobody is alerted", async () => {
    const d = desk();
    const tb = d.on("telegram");
    const code = await cardQueued(d);
    tb.api.fail("sendMessage", {
      error_code: 400,
      description: `Bad Request: can't parse entities: Unsupported start tag "x" at byte offset 12`,
    });

    expect(await d.dispatcher.drainOnce()).toBe(1);
    expect(tb.api.calls.map((c) => [c.method, c.payload.chat_id])).toEqual([
      ["!sendMessage", STAFF_CHAT],
      ["sendMessage", STAFF_CHAT],
    ]);
    const [refused, plain] = tb.api.calls as [ApiCall, ApiCall];
    expect(refused.payload.parse_mode).toBe("HTML");
    expect(refused.payload.reply_markup).toBeDefined();
    expect(String(refused.payload.text)).toContain(`<b>${ltr(formatCode(code))}</b>`);
    // The same card, as the staff would read it, with no markup and no buttons.
    expect(plain.payload.parse_mode).toBeUndefined();
    expect(plain.payload.reply_markup).toBeUndefined();
    expect(plain.payload.text).toBe(htmlToPlain(String(refused.payload.text)));
    expect(String(plain.payload.text)).toContain(DESCRIPTION);
    expect(String(plain.payload.text)).toContain(ltr(formatCode(code)));
    expect(String(plain.payload.text)).not.toMatch(/<b>|&amp;|&lt;/);

    expect(await cardRow()).toMatchObject({ status: "sent", attempts: 1, lastError: "" });
    // The plain card is the case's card now: later actions edit that message.
    expect((await Report.findOne({ code }).lean())!.card).toMatchObject({ platform: "telegram", chatId: STAFF_CHAT });
    expect(await Outbox.countDocuments({ kind: DEAD_ALERT_KIND })).toBe(0);
    expect(sent(d).filter(([, chat]) => chat !== STAFF_CHAT)).toEqual([]);
  });

  it(
    "a second 400: the card is dead, the managers chat and every admin are told (not the official, not the manager), and doctor lists it",
    { timeout: 60_000 },
    async () => {
      const d = desk();
      const tb = d.on("telegram");
      const code = await cardQueued(d);
      tb.api.fail("sendMessage", { error_code: 400, description: "Bad Request: chat not found" }, 2);

      // The card (dead), then the three alerts it raised: managers chat, Azar (Telegram), Bahram (Bale).
      expect(await d.dispatcher.drainOnce()).toBe(4);
      const card = await cardRow();
      expect(card).toMatchObject({
        status: "dead",
        attempts: 1,
        lastError: "400 Bad Request: chat not found",
        deadAt: T0,
        sentAt: null,
      });
      const [first, second] = tb.api.calls;
      expect([first!.method, second!.method]).toEqual(["!sendMessage", "!sendMessage"]);
      expect(first!.payload.parse_mode).toBe("HTML");
      expect(second!.payload.parse_mode).toBeUndefined();
      expect(second!.payload.reply_markup).toBeUndefined();

      const alerts = sent(d);
      expect(alerts.map(([p, chat]) => [p, chat])).toEqual([
        ["telegram", MANAGERS],
        ["telegram", AZAR],
        ["bale", BAHRAM],
      ]);
      const text = [
        "⚠️ پیامی به مقصد نرسید و کنار گذاشته شد",
        "پیام: کارت پرونده",
        `پرونده: ${LRM}${formatCode(code)}${LRM}`,
        `گیرنده: گروه کارکنان ${LRM}${STAFF_CHAT}${LRM} در تلگرام`,
        `خطا: ${LRM}400 Bad Request: chat not found${LRM}`,
        "پیام‌رسان آن را نپذیرفت؛ فرستادن دوباره به‌صورت متن ساده و بی‌دکمه هم پذیرفته نشد.",
        `فهرست پیام‌های کنارگذاشته: ${LRM}npm run doctor${LRM} را روی سرور اجرا کنید.`,
      ].join("\n");
      for (const [, , body] of alerts) {
        expect(body).toBe(text);
        // Nothing of the citizen's: not their chat id, name or words.
        expect(body).not.toContain(String(SARA));
        expect(body).not.toContain("Sara");
        expect(body).not.toContain("لوله");
      }
      const rows = await Outbox.find({ kind: DEAD_ALERT_KIND }).sort({ _id: 1 }).lean();
      expect(rows.map((r) => [r.platform, r.chatId, r.status])).toEqual(
        expect.arrayContaining([
          ["telegram", MANAGERS, "sent"],
          ["telegram", AZAR, "sent"],
          ["bale", BAHRAM, "sent"],
        ]),
      );
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r._id.includes(card._id))).toBe(true);

      // A replay (a crash after the alerts were queued, before they were recorded): the same ids, no second alert.
      await Outbox.updateOne({ _id: card._id }, { $set: { alertedAt: null } });
      d.clock.now = new Date(T0.getTime() + 60_000);
      expect(await d.dispatcher.drainOnce()).toBe(0);
      expect(sent(d)).toHaveLength(3);
      expect(await Outbox.countDocuments({ kind: DEAD_ALERT_KIND })).toBe(3);
      expect((await cardRow()).alertedAt).not.toBeNull();

      const doctor = await runScript("doctor", [], { MONGODB_URI: uriFor(uri, dbName) });
      expect(doctor.code).toBe(1);
      expect(doctor.output.split("\n")).toContain(
        `✗ dead letters: 1 given up: ${card._id} (staff_card, telegram, ${T0.toISOString()}): 400 Bad Request: chat not found`,
      );
    },
  );

  it("in English when DEFAULT_LOCALE is en, naming a citizen's chat only as 'a citizen'", async () => {
    const d = desk({ DEFAULT_LOCALE: "en" });
    const tb = d.on("telegram");
    const { report } = await submitReport({
      submissionKey: "dead-en-1",
      platform: "telegram",
      citizen: { userId: SARA, chatId: SARA, name: "Sara", username: "sara_k", phone: "", locale: "fa" },
      categoryKey: "water",
      description: DESCRIPTION,
      location: null,
      address: "خیابان آزادی، کوچه ۵",
      venueTitle: "",
      photos: [],
      // No staff chat: only Sara's notification reaches the outbox.
      route: { regionKey: "", chat: null, needsLocationCheck: true },
      now: T0,
    });
    await changeStatus(report._id, "in_progress", { kind: "staff", platform: "telegram", id: OMID, name: "Omid" }, "", {
      now: T0,
    });
    tb.api.fail("sendMessage", { error_code: 400, description: "Bad Request: message is too long" }, 2);

    expect(await d.dispatcher.drainOnce()).toBe(4);
    expect((await Outbox.findOne({ kind: "status_changed" }).lean())!).toMatchObject({
      status: "dead",
      lastError: "400 Bad Request: message is too long",
    });
    const alerts = sent(d);
    expect(alerts.map(([p, chat]) => [p, chat])).toEqual([
      ["telegram", MANAGERS],
      ["telegram", AZAR],
      ["bale", BAHRAM],
    ]);
    expect(alerts[0]![2]).toBe(
      [
        "⚠️ A message could not be delivered and was given up",
        "Message: status update to the citizen",
        `Case: ${formatCode(report.code)}`,
        "To: a citizen on Telegram",
        "Error: 400 Bad Request: message is too long",
        "The messenger refused it, again when it was resent as plain text without buttons.",
        "See npm run doctor on the server for the messages given up.",
      ].join("\n"),
    );
    for (const [, , body] of alerts) expect(body).not.toContain(String(SARA));
  });

  it("an alert that dies too raises no further alert: the other alerts still go out", async () => {
    const d = desk();
    const tb = d.on("telegram");
    await cardQueued(d);
    // The card twice (markup, plain), then the managers' alert twice (it is plain already: one retry as plain).
    tb.api.fail("sendMessage", { error_code: 400, description: "Bad Request: chat not found" }, 4);

    expect(await d.dispatcher.drainOnce()).toBe(4);
    const alerts = await Outbox.find({ kind: DEAD_ALERT_KIND }).lean();
    expect(alerts).toHaveLength(3);
    expect(alerts.find((r) => r.chatId === MANAGERS)).toMatchObject({
      status: "dead",
      lastError: "400 Bad Request: chat not found",
    });
    expect(
      alerts
        .filter((r) => r.status === "sent")
        .map((r) => r.chatId)
        .sort(),
    ).toEqual([AZAR, BAHRAM].sort());
    expect(await Outbox.countDocuments({})).toBe(4);
    d.clock.now = new Date(T0.getTime() + 3_600_000);
    expect(await d.dispatcher.drainOnce()).toBe(0);
    expect(await Outbox.countDocuments({})).toBe(4);
  });
});

describe("transient failures that never end", () => {
  it("a 5xx until maxAttempts: the row is dead (no plain retry: nothing was refused) and the admins are told how many attempts it took", async () => {
    const d = desk();
    const tb = d.on("telegram");
    await cardQueued(d);
    const dispatcher = new OutboxDispatcher({
      apis: { telegram: outboxApi(tb.api.fetch), bale: outboxApi(d.on("bale").api.fetch, true) },
      i18n: tb.app.i18n,
      config: tb.config,
      logger: tb.app.logger,
      now: () => d.clock.now,
      workerId: "two-attempts",
      maxAttempts: 2,
    });
    tb.api.fail("sendMessage", { error_code: 502, description: "Bad Gateway" }, 2);

    expect(await dispatcher.drainOnce()).toBe(1);
    expect((await cardRow()).status).toBe("pending");
    d.clock.now = new Date(T0.getTime() + 10 * 60_000);
    expect(await dispatcher.drainOnce()).toBe(4);
    expect(await cardRow()).toMatchObject({ status: "dead", attempts: 2, lastError: "502 Bad Gateway" });
    expect(tb.api.calls.filter((c) => c.method === "!sendMessage").map((c) => c.payload.parse_mode)).toEqual([
      "HTML",
      "HTML",
    ]);
    const managers = sent(d).find(([, chat]) => chat === MANAGERS)!;
    expect(managers[2]).toContain(`خطا: ${LRM}502 Bad Gateway${LRM}`);
    expect(managers[2]).toContain("پس از ۲ بار تلاش فرستاده نشد.");
  });
});

describe("plain mode on the outbox Api", () => {
  it("turns a media group's HTML caption into plain text and drops parse_mode and buttons from every item", async () => {
    const d = desk();
    const tb = d.on("telegram");
    // Installed by the dispatcher on the Apis it is given; here by hand, to drive the Api directly.
    const api = installSendMode(outboxApi(tb.api.fetch));
    const bytes = new Uint8Array([1, 2, 3, 4]);
    await inSendMode({ plain: true, signal: null }, () =>
      api.sendMediaGroup(STAFF_CHAT, [
        {
          type: "photo",
          media: new InputFile(bytes, "a.jpg"),
          caption: "📍 <b>1234-5678</b> &amp; co &lt;ok&gt;",
          parse_mode: "HTML",
        },
        { type: "photo", media: new InputFile(bytes, "b.jpg") },
      ]),
    );
    const media = tb.api.callsOf("sendMediaGroup")[0]!.payload.media as Record<string, unknown>[];
    expect(media.map((m) => [m.caption, m.parse_mode])).toEqual([
      ["📍 1234-5678 & co <ok>", undefined],
      [undefined, undefined],
    ]);
    // Outside plain mode the same Api sends what it is given.
    await api.sendMessage(STAFF_CHAT, "<b>x</b>", { parse_mode: "HTML" });
    expect(tb.api.callsOf("sendMessage")[0]!.payload).toMatchObject({ text: "<b>x</b>", parse_mode: "HTML" });
  });
});

describe("logs", () => {
  it("a refused and a dead row are logged by id, kind, method, code and description only: no card text, no citizen", async () => {
    const d = desk();
    const tb = d.on("telegram");
    await cardQueued(d);
    const lines: string[] = [];
    const logger = pino(
      { level: "debug" },
      new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }),
    );
    const dispatcher = new OutboxDispatcher({
      apis: { telegram: outboxApi(tb.api.fetch), bale: outboxApi(d.on("bale").api.fetch, true) },
      i18n: tb.app.i18n,
      config: tb.config,
      logger,
      now: () => d.clock.now,
      workerId: "logged",
    });
    tb.api.fail("sendMessage", { error_code: 400, description: "Bad Request: chat not found" }, 2);

    await dispatcher.drainOnce();
    const card = await cardRow();
    const log = lines.join("");
    expect(log).toContain(card._id);
    expect(log).toContain('"kind":"staff_card"');
    expect(log).toContain('"method":"sendMessage"');
    expect(log).toContain('"code":400');
    expect(log).toContain("Bad Request: chat not found");
    for (const secret of ["لوله", "Sara", "خیابان آزادی", "parse_mode", "reply_markup", "payload"])
      expect(log).not.toContain(secret);
  });
});

describe("a bounded stop", () => {
  it("stop(deadline) aborts a Bot API request that hangs, returns in time and leaves the row for the next dispatcher, which sends it", async () => {
    const d = desk();
    const tb = d.on("telegram");
    await cardQueued(d);
    let started = 0;
    // A Bot API that never answers: only the request's abort signal ends the wait, as with a real fetch.
    const hanging = ((_url: string, init?: RequestInit) => {
      started++;
      return new Promise<Response>((_resolve, reject) =>
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
      );
    }) as typeof fetch;
    const stuck = new OutboxDispatcher({
      apis: { telegram: outboxApi(hanging), bale: outboxApi(d.on("bale").api.fetch, true) },
      i18n: tb.app.i18n,
      config: tb.config,
      logger: tb.app.logger,
      now: () => d.clock.now,
      workerId: "stuck",
      pollMs: 10,
    });
    stuck.start();
    await until(() => started === 1);

    const t = Date.now();
    await stuck.stop(300);
    expect(Date.now() - t).toBeGreaterThanOrEqual(250);
    expect(Date.now() - t).toBeLessThan(3_000);
    // Back in the queue, not counted as a failed attempt, nobody alerted.
    expect(await cardRow()).toMatchObject({ status: "pending", attempts: 0, lockedBy: "" });
    expect(await Outbox.countDocuments({ kind: DEAD_ALERT_KIND })).toBe(0);

    expect(await d.dispatcher.drainOnce()).toBe(1);
    expect(tb.api.callsOf("sendMessage").map((c) => c.payload.chat_id)).toEqual([STAFF_CHAT]);
    expect((await cardRow()).status).toBe("sent");
  });

  it("stop(deadline) returns in time even when the fetch ignores the abort signal (a request queued in the throttle)", async () => {
    const d = desk();
    const tb = d.on("telegram");
    await cardQueued(d);
    let started = 0;
    const deaf = (() => {
      started++;
      return new Promise<Response>(() => undefined);
    }) as typeof fetch;
    const stuck = new OutboxDispatcher({
      apis: { telegram: outboxApi(deaf), bale: outboxApi(d.on("bale").api.fetch, true) },
      i18n: tb.app.i18n,
      config: tb.config,
      logger: tb.app.logger,
      now: () => d.clock.now,
      workerId: "deaf",
      pollMs: 10,
    });
    stuck.start();
    await until(() => started === 1);
    const t = Date.now();
    await stuck.stop(200);
    expect(Date.now() - t).toBeLessThan(3_000);
    expect(await cardRow()).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("stop(deadline) lets the send in hand finish within the deadline and then claims no further row", async () => {
    const d = desk();
    const tb = d.on("telegram");
    await cardQueued(d);
    await cardQueued(d);
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    // The first send waits until stop() was called; then it succeeds.
    const slow = (async (url: string, init?: RequestInit) => {
      calls++;
      await gate;
      return tb.api.fetch(url, init);
    }) as typeof fetch;
    const worker = new OutboxDispatcher({
      apis: { telegram: outboxApi(slow), bale: outboxApi(d.on("bale").api.fetch, true) },
      i18n: tb.app.i18n,
      config: tb.config,
      logger: tb.app.logger,
      now: () => d.clock.now,
      workerId: "finishing",
      pollMs: 10,
    });
    worker.start();
    await until(() => calls === 1);
    const stopped = worker.stop(5_000);
    release();
    await stopped;
    expect(calls).toBe(1);
    expect(
      (await Outbox.find({ kind: "staff_card" }).sort({ createdAt: 1, _id: 1 }).lean()).map((r) => r.status),
    ).toEqual(["sent", "pending"]);
  });
});

/** An outbox Api over `fetch`, set up as bot/main.ts sets them up (no auto-retry). */
function outboxApi(fetchFn: typeof fetch, bale = false): Api {
  const api = new Api(bale ? BALE_TOKEN : TOKEN, {
    apiRoot: bale ? BALE_API_ROOT : API_ROOT,
    fetch: fetchFn as never,
    timeoutSeconds: OUTBOX_TIMEOUT_SECONDS,
  });
  setupApi(api, { platform: bale ? "bale" : "telegram", retry: false });
  return api;
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
