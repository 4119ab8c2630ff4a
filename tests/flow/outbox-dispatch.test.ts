import { Api } from "grammy";
import { beforeEach, describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { API_ROOT, createTestBot, STAFF_CHAT, TOKEN, type TestBot } from "../support/test-bot.ts";
import { fileReport } from "../support/intake-steps.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { OutboxDispatcher, backoffMs } from "../../bot/outbox/dispatcher.ts";
import { Report, type ReportDoc } from "../../models/report/report.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { relayReportOutbox } from "../../models/infra/outbox-relay.ts";
import { Citizen } from "../../models/people/citizen.ts";
import { submitReport } from "../../models/report/report-submit.ts";
import { changeStatus, type Actor } from "../../models/report/report-transition.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { ltr } from "../../core/format.ts";
import type { Locale } from "../../models/common/platform.ts";
import { tinyPhoto } from "../support/photo-bytes.ts";

useTestDb();

const T0 = new Date("2025-06-01T09:00:00Z");
const SECOND = 1_000;
const OFFICIAL: Actor = { kind: "staff", platform: "telegram", id: 9001, name: "Official" };

let seq = 0;

/** A report filed straight through the domain (no staff chat, so only citizen rows reach the outbox). */
async function reportFor(userId: number, locale: Locale = "fa"): Promise<ReportDoc> {
  seq++;
  const { report } = await submitReport({
    submissionKey: `dispatch-${seq}`,
    platform: "telegram",
    citizen: { userId, chatId: userId, name: "Sara", username: "sara_k", phone: "", locale },
    categoryKey: "water",
    description: "لوله آب جلوی مدرسه شکسته است",
    location: null,
    address: "خیابان آزادی، کوچه ۵",
    venueTitle: "",
    photos: [],
    route: routeTo(null),
    now: T0,
  });
  return report;
}

function at(ms: number): Date {
  return new Date(T0.getTime() + ms);
}

function dispatcherFor(tb: TestBot, workerId: string, maxAttempts?: number): OutboxDispatcher {
  const rawApi = new Api(TOKEN, { apiRoot: API_ROOT, fetch: tb.api.fetch as never });
  return new OutboxDispatcher({
    apis: { telegram: rawApi },
    i18n: tb.app.i18n,
    config: tb.config,
    logger: tb.app.logger,
    now: () => tb.clock.now,
    workerId,
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
  });
}

function callsTo(tb: TestBot, chatId: number): ApiCall[] {
  return tb.api.calls.filter((c) => Number(c.payload.chat_id) === chatId);
}

async function rowsFor(chatId: number) {
  return Outbox.find({ chatId }).sort({ createdAt: 1 }).lean();
}

beforeEach(async () => {
  await Promise.all([Report.deleteMany({}), Outbox.deleteMany({}), Citizen.deleteMany({})]);
});

describe("status notifications", () => {
  it("tells a Persian reporter the new status and the public note", async () => {
    const tb = createTestBot();
    tb.clock.now = at(0);
    const report = await reportFor(6001, "fa");
    await changeStatus(report._id, "in_progress", OFFICIAL, "تیم فنی اعزام شد", { now: at(0) });

    expect(await tb.dispatcher.drainOnce()).toBe(1);
    expect(tb.api.calls).toHaveLength(1);
    const call = tb.api.calls[0]!;
    expect(call.method).toBe("sendMessage");
    expect(call.payload.chat_id).toBe(6001);
    expect(call.payload.text).toBe(
      `خبر تازه درباره گزارش ${ltr(formatCode(report.code))}: در حال رسیدگی.\nیادداشت شهرداری: تیم فنی اعزام شد`,
    );
    expect(call.payload.parse_mode).toBeUndefined();
    const [row] = await rowsFor(6001);
    expect(row).toMatchObject({ status: "sent", attempts: 1, sentAt: at(0), lastError: "" });
  });

  it("tells an English reporter in English, and leaves an internal note out", async () => {
    const tb = createTestBot();
    tb.clock.now = at(0);
    const report = await reportFor(6002, "en");
    await changeStatus(report._id, "resolved", OFFICIAL, "The pipe was replaced", { now: at(0) });
    await changeStatus(
      report._id,
      "reopened",
      { kind: "citizen", platform: "telegram", id: 6002 },
      "contractor #442 owes us",
      { now: at(SECOND), public: false },
    );
    tb.clock.now = at(SECOND);

    expect(await tb.dispatcher.drainOnce()).toBe(2);
    expect(tb.api.calls.map((c) => [c.method, c.payload.chat_id, c.payload.text])).toEqual([
      [
        "sendMessage",
        6002,
        `Update on report ${formatCode(report.code)}: resolved.\nNote from the city: The pipe was replaced`,
      ],
      ["sendMessage", 6002, `Update on report ${formatCode(report.code)}: reopened.`],
    ]);
  });
});

describe("429 Too Many Requests", () => {
  it("keeps the row pending until retry_after, holds the chat's later rows too, and then sends them in order, once each", async () => {
    const tb = createTestBot();
    const report = await reportFor(6101, "fa");
    await changeStatus(report._id, "assigned", OFFICIAL, "", { now: at(0) });
    await changeStatus(report._id, "in_progress", OFFICIAL, "", { now: at(1 * SECOND) });
    await changeStatus(report._id, "resolved", OFFICIAL, "", { now: at(2 * SECOND) });
    const other = await reportFor(6102, "fa");
    await changeStatus(other._id, "assigned", OFFICIAL, "", { now: at(500) });

    tb.clock.now = at(3 * SECOND);
    const retryAt = at(10 * SECOND);
    tb.api.fail("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 7", retry_after: 7 });

    expect(await tb.dispatcher.drainOnce()).toBe(2);
    expect(tb.api.calls.map((c) => [c.method, c.payload.chat_id])).toEqual([
      ["!sendMessage", 6101],
      ["sendMessage", 6102],
    ]);
    const rows = await rowsFor(6101);
    // A 429 is not a failed attempt (the Bot API asked us to wait): attempts stay 0.
    expect(rows.map((r) => [r.status, r.attempts, r.nextAttemptAt.toISOString()])).toEqual([
      ["pending", 0, retryAt.toISOString()],
      ["pending", 0, retryAt.toISOString()],
      ["pending", 0, retryAt.toISOString()],
    ]);
    expect(rows[0]!.lastError).toContain("Too Many Requests");

    // Nothing for that chat before retry_after has passed.
    expect(await tb.dispatcher.drainOnce()).toBe(0);
    tb.clock.now = new Date(retryAt.getTime() - 1);
    expect(await tb.dispatcher.drainOnce()).toBe(0);
    expect(tb.api.calls).toHaveLength(2);

    tb.clock.now = retryAt;
    expect(await tb.dispatcher.drainOnce()).toBe(3);
    const code = ltr(formatCode(report.code));
    const delivered = callsTo(tb, 6101).filter((c) => c.method === "sendMessage");
    expect(delivered.map((c) => c.payload.text)).toEqual([
      `خبر تازه درباره گزارش ${code}: به کارشناس واگذار شد.`,
      `خبر تازه درباره گزارش ${code}: در حال رسیدگی.`,
      `خبر تازه درباره گزارش ${code}: رسیدگی شد.`,
    ]);
    // The 429'd claim was given back: each row took one counted attempt.
    expect((await rowsFor(6101)).map((r) => [r.status, r.attempts])).toEqual([
      ["sent", 1],
      ["sent", 1],
      ["sent", 1],
    ]);

    tb.clock.now = at(3_600 * SECOND);
    expect(await tb.dispatcher.drainOnce()).toBe(0);
    expect(tb.api.calls.filter((c) => c.method === "sendMessage")).toHaveLength(4);
  });

  it("holds a row queued for the chat while it waits out a 429 behind the waiting row", async () => {
    const tb = createTestBot();
    const report = await reportFor(6111, "fa");
    await changeStatus(report._id, "assigned", OFFICIAL, "", { now: at(0) });

    tb.clock.now = at(1 * SECOND);
    tb.api.fail("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 7", retry_after: 7 });
    expect(await tb.dispatcher.drainOnce()).toBe(1);
    const retryAt = at(8 * SECOND);

    // A new status change for the same chat while it is rate limited.
    await changeStatus(report._id, "in_progress", OFFICIAL, "", { now: at(2 * SECOND) });
    tb.clock.now = at(3 * SECOND);
    await tb.dispatcher.drainOnce();
    expect(callsTo(tb, 6111).map((c) => c.method)).toEqual(["!sendMessage"]);

    tb.clock.now = retryAt;
    await tb.dispatcher.drainOnce();
    const code = ltr(formatCode(report.code));
    expect(callsTo(tb, 6111).map((c) => [c.method, c.payload.text])).toEqual([
      ["!sendMessage", `خبر تازه درباره گزارش ${code}: به کارشناس واگذار شد.`],
      ["sendMessage", `خبر تازه درباره گزارش ${code}: به کارشناس واگذار شد.`],
      ["sendMessage", `خبر تازه درباره گزارش ${code}: در حال رسیدگی.`],
    ]);
  });
});

describe("403 bot blocked", () => {
  it("marks the row and the chat's other pending rows unreachable, flags the citizen, and never tries again", async () => {
    const tb = createTestBot();
    tb.clock.now = at(0);
    const sim = tb.citizen(6201);
    await sim.text("/start");
    expect(await Citizen.findOne({ userId: 6201 }).lean()).toMatchObject({ chatId: 6201, unreachableAt: null });
    tb.api.clearCalls();

    const report = await reportFor(6201, "fa");
    await changeStatus(report._id, "assigned", OFFICIAL, "", { now: at(0) });
    await changeStatus(report._id, "in_progress", OFFICIAL, "", { now: at(1 * SECOND) });
    await changeStatus(report._id, "resolved", OFFICIAL, "", { now: at(2 * SECOND) });
    const other = await reportFor(6202, "fa");
    await changeStatus(other._id, "assigned", OFFICIAL, "", { now: at(3 * SECOND) });

    tb.clock.now = at(5 * SECOND);
    tb.api.fail("sendMessage", { error_code: 403, description: "Forbidden: bot was blocked by the user" });
    expect(await tb.dispatcher.drainOnce()).toBe(2);
    expect(tb.api.calls.map((c) => [c.method, c.payload.chat_id])).toEqual([
      ["!sendMessage", 6201],
      ["sendMessage", 6202],
    ]);

    const rows = await rowsFor(6201);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["unreachable", 1],
      ["unreachable", 0],
      ["unreachable", 0],
    ]);
    for (const r of rows) expect(r.lastError).toContain("bot was blocked by the user");
    const citizen = await Citizen.findOne({ platform: "telegram", userId: 6201 }).lean();
    expect(citizen!.unreachableAt).toEqual(at(5 * SECOND));
    expect((await rowsFor(6202))[0]!.status).toBe("sent");

    for (const later of [60 * SECOND, 3_600 * SECOND, 86_400 * SECOND]) {
      tb.clock.now = at(later);
      expect(await tb.dispatcher.drainOnce()).toBe(0);
    }
    expect(callsTo(tb, 6201)).toHaveLength(1);
  });
});

describe("transient failures (5xx, network)", () => {
  it("backs off exponentially and gives the row up as dead after maxAttempts", async () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(40)).toBe(30 * 60_000);

    const tb = createTestBot();
    const dispatcher = dispatcherFor(tb, "retrying-worker", 3);
    const report = await reportFor(6301, "fa");
    await changeStatus(report._id, "assigned", OFFICIAL, "", { now: at(0) });
    await changeStatus(report._id, "in_progress", OFFICIAL, "", { now: at(1 * SECOND) });
    const [first, second] = (await rowsFor(6301)).map((r) => r._id);

    tb.api.fail("sendMessage", { error_code: 500, description: "Internal Server Error" });
    tb.api.fail("sendMessage", "network");
    tb.api.fail("sendMessage", { error_code: 502, description: "Bad Gateway" });

    // Attempt 1: 500 → retry after backoffMs(1); the chat's next row waits with it.
    let now = at(2 * SECOND);
    tb.clock.now = now;
    expect(await dispatcher.drainOnce()).toBe(1);
    let rowA = (await Outbox.findById(first).lean())!;
    expect(rowA).toMatchObject({ status: "pending", attempts: 1, lockedUntil: null });
    expect(rowA.nextAttemptAt).toEqual(new Date(now.getTime() + backoffMs(1)));
    expect(rowA.lastError).toContain("Internal Server Error");
    expect((await Outbox.findById(second).lean())!.nextAttemptAt).toEqual(new Date(now.getTime() + backoffMs(1)));
    expect(await dispatcher.drainOnce()).toBe(0);

    // Attempt 2: network error → retry after backoffMs(2).
    now = new Date(now.getTime() + backoffMs(1));
    tb.clock.now = now;
    expect(await dispatcher.drainOnce()).toBe(1);
    rowA = (await Outbox.findById(first).lean())!;
    expect(rowA).toMatchObject({ status: "pending", attempts: 2 });
    expect(rowA.nextAttemptAt).toEqual(new Date(now.getTime() + backoffMs(2)));
    expect(rowA.lastError).toContain("Network request for 'sendMessage' failed");

    // Attempt 3 = maxAttempts: 502 → dead (given up, alerted); the row behind it goes out.
    now = new Date(now.getTime() + backoffMs(2));
    tb.clock.now = now;
    expect(await dispatcher.drainOnce()).toBe(2);
    rowA = (await Outbox.findById(first).lean())!;
    expect(rowA).toMatchObject({ status: "dead", attempts: 3, sentAt: null, deadAt: now });
    expect(rowA.lastError).toContain("Bad Gateway");
    expect((await Outbox.findById(second).lean())!).toMatchObject({ status: "sent", attempts: 1 });

    tb.clock.now = new Date(now.getTime() + 3_600 * SECOND);
    expect(await dispatcher.drainOnce()).toBe(0);
    expect(callsTo(tb, 6301).map((c) => c.method)).toEqual(["!sendMessage", "!sendMessage", "sendMessage"]);
  });
});

describe("several dispatchers", () => {
  it("two dispatchers draining at once send each of 30 rows exactly once", async () => {
    const tb = createTestBot();
    const other = dispatcherFor(tb, "second-instance");
    const expected = new Map<string, number>();
    for (let i = 0; i < 15; i++) {
      const userId = 6400 + i;
      const report = await reportFor(userId, i % 2 === 0 ? "fa" : "en");
      await changeStatus(report._id, "assigned", OFFICIAL, "", { now: at(i * 10) });
      await changeStatus(report._id, "in_progress", OFFICIAL, `step ${i}`, { now: at(i * 10 + 5) });
      for (const to of ["assigned", "in_progress"]) expected.set(`${userId}|${report.code}|${to}`, 0);
    }
    expect(await Outbox.countDocuments({ status: "pending" })).toBe(30);
    tb.clock.now = at(60 * SECOND);

    const [a, b] = await Promise.all([tb.dispatcher.drainOnce(), other.drainOnce()]);
    expect(a + b).toBe(30);

    const sends = tb.api.calls.filter((c) => c.method === "sendMessage");
    expect(sends).toHaveLength(30);
    const rows = await Outbox.find({}).lean();
    const keyOf = (chatId: number, text: string) => {
      const row = rows.find(
        (r) =>
          r.chatId === chatId &&
          text.includes(formatCode(String((r.payload as { code: string }).code))) &&
          text.includes(tb.app.i18n.t(r.locale as Locale, `status-${(r.payload as { to: string }).to}`)),
      );
      return row
        ? `${chatId}|${(row.payload as { code: string }).code}|${(row.payload as { to: string }).to}`
        : `unknown ${chatId}: ${text}`;
    };
    const counts = new Map<string, number>();
    for (const c of sends) {
      const key = keyOf(Number(c.payload.chat_id), String(c.payload.text));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...expected.keys()].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });
});

describe("staff card HTML", () => {
  const EVIL = `<a href="http://evil">click</a> <b>x</b> & co`;
  const ESCAPED = "&lt;a href=&quot;http://evil&quot;&gt;click&lt;/a&gt; &lt;b&gt;x&lt;/b&gt; &amp; co";

  /** Only our own <b>code</b> may be markup; everything else is escaped text. */
  function expectOnlyEscaped(html: string, code: string): void {
    expect(html).toContain(ESCAPED);
    const rest = html.replace(`<b>${ltr(formatCode(code))}</b>`, "");
    expect(rest).not.toMatch(/[<>]/);
    expect(rest).not.toMatch(/&(?!(amp|lt|gt|quot);)/);
  }

  it("escapes a citizen's markup in a text card (no photo), sent with parse_mode HTML", async () => {
    const tb = createTestBot();
    tb.clock.now = at(0);
    const eve = tb.citizen(6501, { firstName: "<i>Eve</i>" });
    const code = await fileReport(tb, eve, {
      description: EVIL,
      location: { address: `<script>x</script> خیابان آزادی` },
    });
    tb.api.clearCalls();

    expect(await tb.dispatcher.drainOnce()).toBe(1);
    expect(tb.api.calls).toHaveLength(1);
    const card = tb.api.calls[0]!;
    expect(card.method).toBe("sendMessage");
    expect(card.payload.chat_id).toBe(STAFF_CHAT);
    expect(card.payload.parse_mode).toBe("HTML");
    const html = String(card.payload.text);
    expectOnlyEscaped(html, code);
    expect(html).toContain("&lt;script&gt;x&lt;/script&gt; خیابان آزادی");
    expect(html).toContain("&lt;i&gt;Eve&lt;/i&gt;");
    expect((await Report.findOne({ code }).lean())!.description).toBe(EVIL);
  });

  it("escapes it in a photo caption too", async () => {
    const tb = createTestBot();
    tb.clock.now = at(0);
    const eve = tb.citizen(6502, { firstName: "Eve" });
    const code = await fileReport(tb, eve, {
      description: EVIL,
      photos: [{ fileId: "evil-photo", bytes: tinyPhoto(6502) }],
    });
    tb.api.clearCalls();

    // One row: the new-case alert.
    expect(await tb.dispatcher.drainOnce()).toBe(1);
    expect(tb.api.calls.map((c) => c.method)).toEqual(["sendPhoto", "sendMessage", "sendLocation"]);
    // The photo caption carries no citizen text at all; the card beside it is escaped.
    const photo = tb.api.callsOf("sendPhoto")[0]!;
    expect(photo.payload.chat_id).toBe(STAFF_CHAT);
    expect(String(photo.payload.caption)).toBe(`📷 عکس‌های پرونده ${ltr(`${code.slice(0, 4)}-${code.slice(4)}`)}`);
    const card = tb.api.callsOf("sendMessage")[0]!;
    expect(card.payload.parse_mode).toBe("HTML");
    expectOnlyEscaped(String(card.payload.text), code);
  });
});

function routeTo(chat: { platform: "telegram" | "bale"; chatId: number } | null) {
  return { regionKey: "", chat, needsLocationCheck: chat === null };
}

describe("a restarted instance re-queues what it was sending when it died", () => {
  it("rows its earlier life held are sent at once by its next life; another instance's leased rows wait for their lease", async () => {
    const tb = createTestBot();
    tb.clock.now = T0;
    const mine = await reportFor(8801);
    const theirs = await reportFor(8802);
    // Both rows were claimed (status sending, 60 s leases) by dispatchers that then died.
    await changeStatus(mine._id, "in_progress", OFFICIAL, "", { now: at(0) });
    await changeStatus(theirs._id, "in_progress", OFFICIAL, "", { now: at(0) });
    await relayReportOutbox(mine._id);
    await relayReportOutbox(theirs._id);
    expect(await rowsFor(8801)).not.toHaveLength(0);
    await Outbox.updateMany(
      { chatId: 8801 },
      { $set: { status: "sending", lockedBy: "host-a#life-1", lockedUntil: at(60 * SECOND) } },
    );
    await Outbox.updateMany(
      { chatId: 8802 },
      { $set: { status: "sending", lockedBy: "host-b#life-1", lockedUntil: at(60 * SECOND) } },
    );
    tb.api.clearCalls();
    const rawApi = new Api(TOKEN, { apiRoot: API_ROOT, fetch: tb.api.fetch as never });
    const next = new OutboxDispatcher({
      apis: { telegram: rawApi },
      i18n: tb.app.i18n,
      config: tb.config,
      logger: tb.app.logger,
      now: () => tb.clock.now,
      instance: "host-a",
      workerId: "host-a#life-2",
      pollMs: 20,
    });
    next.start();
    await until(
      async () => (await rowsFor(8801)).every((r) => r.status === "sent"),
      "the earlier life's row to be sent",
    );
    await next.stop();
    expect(callsTo(tb, 8801).length).toBeGreaterThan(0);
    expect(callsTo(tb, 8802)).toHaveLength(0);
    expect((await rowsFor(8802)).every((r) => r.status === "sending" && r.lockedBy === "host-b#life-1")).toBe(true);
  });
});

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
