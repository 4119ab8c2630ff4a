// "The phone centre files, the messenger follows up": a report POSTed to Open311 with a phone
// belongs to that number; the citizen who shares the same number as their own contact (from /my's
// "🔗 Link my reports", in the report form, or outside any flow) gets it in their chat as if they had
// filed it there. Real bot, fetch-level fake Bot API, real HttpServer with the Open311 routes.
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { createI18n, translator } from "../../core/i18n.ts";
import { createLogger } from "../../core/logger.ts";
import { useTestDb } from "../support/test-db.ts";
import { createTestDesk, type TestBot, type TestDesk } from "../support/test-bot.ts";
import type { ChatSim } from "../support/chat-sim.ts";
import { fileReport, KARAJ } from "../support/intake-steps.ts";
import { ApiKey, createApiKey } from "../../models/open311/api-keys.ts";
import { RateCounter } from "../../models/open311/rate-limit.ts";
import { Region } from "../../models/geography/region.ts";
import { Report } from "../../models/report/report.ts";
import { findActiveStaff, upsertStaff } from "../../models/people/staff.ts";
import { resolveCase } from "../../models/report/case-actions.ts";
import { requestForget } from "../../models/people/forget-request.ts";
import { applyRetention } from "../../models/ops/retention.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { serveOpen311 } from "../support/open311-server.ts";

useTestDb({ cleanEach: true });

const fa = translator(createI18n("fa"), "fa");
const R1_CHAT = -1001370000111;
const OFFICIAL = 901;
/** As the call centre types it, and as Telegram sends the same number in a contact (no "+"). */
const TYPED = "09121234567";
const TELEGRAM_STYLE = "989121234567";
const E164 = "+989121234567";
const LIGHTING_AT = { lat: 35.85, lon: 50.9 };
const DESCRIPTION = "چراغ خیابان جلوی پارک سه شب است خاموش است";

interface Served {
  desk: TestDesk;
  tb: TestBot;
  base: string;
  key: string;
  /** Every log line of the desk and the HTTP server. */
  logs: string[];
  close(): Promise<void>;
}

let open: Served | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

/** A desk with the Open311 routes, an API key, district 1's staff chat and its official; logs captured. */
async function serve(): Promise<Served> {
  const logs: string[] = [];
  const logger = createLogger("debug", { destination: { write: (s: string) => void logs.push(s) } });
  const desk = createTestDesk({ OPEN311_JURISDICTION: "karaj.ir" }, ["telegram"], {}, { logger });
  const tb = desk.on("telegram");
  const served = await serveOpen311(desk, logger);
  await ApiKey.createIndexes();
  await RateCounter.createIndexes();
  await Region.updateOne({ key: "r1" }, { $set: { chat: { platform: "telegram", chatId: R1_CHAT } } });
  await upsertStaff({ platform: "telegram", userId: OFFICIAL, name: "Omid", role: "official", regions: ["r1"] });
  const made = await createApiKey("call-centre", null);
  if (!("key" in made)) throw new Error(made.problem);
  open = {
    desk,
    tb,
    ...served,
    key: made.key,
    logs,
  };
  return open;
}

/** The call centre's operator files a street-light report for a caller; returns its code. */
async function postByPhone(s: Served, description = DESCRIPTION, phone = TYPED): Promise<string> {
  const res = await fetch(`${s.base}/requests.json`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      api_key: s.key,
      jurisdiction_id: "karaj.ir",
      service_code: "lighting",
      lat: String(LIGHTING_AT.lat),
      long: String(LIGHTING_AT.lon),
      description,
      "attribute[pole_number]": "12-345",
      first_name: "Shirin",
      phone,
    }).toString(),
  });
  expect(res.status).toBe(201);
  const [answer] = (await res.json()) as { service_request_id: string }[];
  return answer!.service_request_id;
}

/** /my, then "🔗 Link my reports": the bot asks for the contact with a request_contact keyboard. */
async function askToLink(s: Served, sim: ChatSim): Promise<void> {
  await sim.text("/my");
  await sim.press(fa("link-button"));
  expect(sim.lastReply()).toBe(fa("link-ask"));
  const ask = s.tb.api.callsOf("sendMessage").findLast((c) => Number(c.payload.chat_id) === sim.chatId);
  const keyboard = (ask!.payload.reply_markup as { keyboard: { text: string; request_contact?: boolean }[][] })
    .keyboard;
  expect(keyboard).toEqual([[{ text: fa("link-share-button"), request_contact: true }], [{ text: fa("link-back") }]]);
}

/** A contact message as the sim would send it, with extra fields (a forward, no user_id). */
function contactMessage(sim: ChatSim, contact: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return sim.send({
    message: {
      message_id: 10_000 + Math.floor(Math.random() * 10_000),
      date: Math.floor(Date.now() / 1000),
      chat: { id: sim.chatId, type: "private", first_name: sim.user.first_name },
      from: sim.user,
      contact: { phone_number: TELEGRAM_STYLE, first_name: "Someone", ...contact },
      ...extra,
    } as Update["message"] & object,
  });
}

const resolutionsTo = (s: Served, chatId: number, code: string) =>
  s.tb.api.textsTo(chatId).filter((t) => t.startsWith(`✅ گزارش \u200e${formatCode(code)}\u200e رسیدگی شد.`));

async function takeAndResolve(s: Served, code: string, note: string): Promise<void> {
  await s.desk.dispatcher.drainOnce();
  const omid = s.tb.member(OFFICIAL, R1_CHAT, { firstName: "Omid" });
  await omid.press("🙋 برعهده می‌گیرم");
  const r = (await Report.findOne({ code }).lean())!;
  await resolveCase(r._id, (await findActiveStaff("telegram", OFFICIAL))!, note, null, s.desk.clock.now);
  await s.desk.dispatcher.drainOnce();
}

describe("reports filed by phone follow the citizen who shares that number", () => {
  it("POST with a phone → /my → 🔗 → own contact → /my lists it → staff resolve → the citizen gets the resolution and the question; /forgetme erases it", async () => {
    const s = await serve();
    const code = await postByPhone(s);
    const sara = s.tb.citizen(5301);

    await askToLink(s, sara);
    // Before the link nothing of it is theirs: the empty /my answer carried the button.
    expect(s.tb.api.textsTo(sara.chatId)).toContain(fa("my-empty"));
    await sara.contact(TELEGRAM_STYLE);
    expect(sara.lastReply()).toBe(
      [
        fa("link-done", { count: 1 }),
        fa("link-line", { code: formatCode(code), status: fa("status-new") }),
        fa("link-see-my"),
      ].join("\n"),
    );

    const r = (await Report.findOne({ code }).lean())!;
    expect(r).toMatchObject({
      platform: "telegram",
      source: "call-centre",
      citizen: { userId: 5301, chatId: 5301, phone: E164, name: "Shirin", locale: "fa" },
    });
    expect(r.history.at(-1)).toMatchObject({
      kind: "messenger_linked",
      public: false,
      by: { kind: "citizen", platform: "telegram", id: 5301, name: "" },
    });

    await sara.text("/my");
    expect(sara.lastReply()).toContain(formatCode(code));
    // /status shows the reporter's view: the description is theirs to see.
    await sara.text(`/status ${code}`);
    expect(sara.replies().join("\n")).toContain(DESCRIPTION);

    await takeAndResolve(s, code, "لامپ تعویض شد");
    const texts = s.tb.api.textsTo(sara.chatId);
    expect(texts).toContain(fa("notify-status", { code: formatCode(code), status: fa("status-assigned") }));
    expect(resolutionsTo(s, sara.chatId, code)).toHaveLength(1);
    expect(resolutionsTo(s, sara.chatId, code)[0]).toContain("لامپ تعویض شد");
    expect(sara.findButton(fa("feedback-fixed"))).toBeDefined();
    await sara.press(fa("feedback-fixed"));
    expect((await Report.findOne({ code }).lean())!.feedback).toMatchObject({ fixed: true });

    // /forgetme reaches the linked report: it scopes by platform and user, which it now has.
    await requestForget("telegram", 5301, s.desk.clock.now);
    await applyRetention({ days: 365, now: s.desk.clock.now });
    const erased = (await Report.findOne({ code }).lean())!;
    expect(erased.erasedAt).not.toBeNull();
    expect(erased.citizen).toMatchObject({ userId: 0, chatId: 0, phone: "", name: "" });
    expect(erased.description).toBe("");

    // No form of the number reached a log line.
    const out = s.logs.join("");
    expect(out.length).toBeGreaterThan(0);
    for (const piece of [TYPED, TELEGRAM_STYLE, E164, "9121234567", "912 123 4567"]) expect(out).not.toContain(piece);
  });

  it("someone else's contact, a forwarded contact and a contact without user_id link nothing; a wrong answer gets a clear message", async () => {
    const s = await serve();
    const code = await postByPhone(s);
    const sara = s.tb.citizen(5302);
    const unlinked = async () => expect((await Report.findOne({ code }).lean())!).toMatchObject({ platform: "" });

    await askToLink(s, sara);
    await sara.contact(TELEGRAM_STYLE, 999); // someone else's card
    expect(sara.lastReply()).toBe(fa("link-not-own"));
    await unlinked();

    await askToLink(s, sara);
    await contactMessage(
      sara,
      { user_id: sara.user.id },
      { forward_origin: { type: "user", date: 0, sender_user: { id: 999, is_bot: false, first_name: "Reza" } } },
    );
    expect(sara.lastReply()).toBe(fa("link-not-own"));
    await unlinked();

    // What a messenger that leaves out user_id sends: it proves nothing.
    await askToLink(s, sara);
    await contactMessage(sara, {});
    expect(sara.lastReply()).toBe(fa("link-not-own"));
    await unlinked();

    await askToLink(s, sara);
    await sara.text("سلام");
    expect(sara.lastReply()).toBe(fa("link-not-contact"));
    await askToLink(s, sara);
    await sara.text(fa("link-back"));
    expect(sara.lastReply()).toBe(fa("link-back-done"));
    await unlinked();
    await sara.text("/my");
    expect(sara.lastReply()).toBe(fa("my-empty"));

    // Outside any flow the citizen's own contact links too; someone else's is refused the same way.
    await contactMessage(sara, { user_id: 999 });
    expect(sara.lastReply()).toBe(fa("link-not-own"));
    await unlinked();
    await sara.contact(`+${TELEGRAM_STYLE}`);
    expect(sara.lastReply()).toContain(fa("link-done", { count: 1 }));
    expect((await Report.findOne({ code }).lean())!.citizen).toMatchObject({ userId: 5302 });
  });

  it("reports another account linked first stay theirs: only unlinked ones move", async () => {
    const s = await serve();
    const first = await postByPhone(s);
    await s.tb.citizen(5303).contact(TELEGRAM_STYLE);
    const second = await postByPhone(s, "لامپ تیر دوم کوچه هم سوخته است");
    const other = s.tb.citizen(5304);
    await askToLink(s, other);
    await other.contact(TELEGRAM_STYLE);
    expect(other.lastReply()).toContain(formatCode(second));
    expect(other.lastReply()).not.toContain(formatCode(first));
    expect((await Report.findOne({ code: first }).lean())!.citizen.userId).toBe(5303);
    expect((await Report.findOne({ code: second }).lean())!.citizen.userId).toBe(5304);
  });

  it("a report resolved before the link sends the resolution and the question at link time, once, even when linked twice", async () => {
    const s = await serve();
    const code = await postByPhone(s);
    await takeAndResolve(s, code, "لامپ سوخته عوض شد");
    const sara = s.tb.citizen(5305);
    expect(resolutionsTo(s, sara.chatId, code)).toHaveLength(0);

    s.desk.clock.now = new Date(s.desk.clock.now.getTime() + 5 * 3_600_000);
    await askToLink(s, sara);
    await sara.contact(TELEGRAM_STYLE);
    expect(sara.lastReply()).toContain(fa("link-line", { code: formatCode(code), status: fa("status-resolved") }));
    expect(sara.lastReply()).toContain(fa("link-resolved-follow", { count: 1 }));
    const r = (await Report.findOne({ code }).lean())!;
    // The question is asked now: the reminder job counts from here.
    expect(r.feedback.askedAt).toEqual(s.desk.clock.now);
    expect(r.pendingOutbox).toEqual([]);
    await s.desk.dispatcher.drainOnce();
    expect(resolutionsTo(s, sara.chatId, code)).toHaveLength(1);
    expect(resolutionsTo(s, sara.chatId, code)[0]).toContain("لامپ سوخته عوض شد");
    expect(sara.findButton(fa("feedback-notfixed"))).toBeDefined();

    await askToLink(s, sara);
    await sara.contact(TELEGRAM_STYLE);
    expect(sara.lastReply()).toBe(fa("link-already"));
    await s.desk.dispatcher.drainOnce();
    expect(resolutionsTo(s, sara.chatId, code)).toHaveLength(1);
    expect((await Report.findOne({ code }).lean())!.history.filter((h) => h.kind === "messenger_linked")).toHaveLength(
      1,
    );
  });

  it("sharing the phone in the report form links that number's API reports, and the confirmation says so", async () => {
    const s = await serve();
    const apiCode = await postByPhone(s);
    const sara = s.tb.citizen(5306);
    const chatCode = await fileReport(s.tb, sara, { location: KARAJ, phone: TELEGRAM_STYLE });
    expect(sara.lastReply()).toContain(fa("link-also", { count: 1 }));
    expect((await Report.findOne({ code: chatCode }).lean())!.citizen.phone).toBe(E164);
    expect((await Report.findOne({ code: apiCode }).lean())!.citizen).toMatchObject({ userId: 5306, chatId: 5306 });
    await sara.text("/my");
    expect(sara.lastReply()).toContain(formatCode(apiCode));
    expect(sara.lastReply()).toContain(formatCode(chatCode));

    // Nothing left to link: the next report's confirmation is the plain one.
    await fileReport(s.tb, sara, { location: { address: "خیابان طالقانی، روبروی بانک" }, phone: TELEGRAM_STYLE });
    expect(sara.lastReply()).not.toContain("🔗");
  });
});
