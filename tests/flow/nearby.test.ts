import { describe, expect, it } from "vitest";
import { Types } from "mongoose";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, type TestBot } from "../support/test-bot.ts";
import { fileReport, fillReport, KARAJ } from "../support/intake-steps.ts";
import { seedReport } from "../support/seed-reports.ts";
import { drainCardRedraws } from "../support/card-redraws.ts";
import type { ChatSim } from "../support/chat-sim.ts";
import { createI18n, translator } from "../../core/i18n.ts";
import { Report, type ReportDoc } from "../../models/report/report.ts";
import type { ReportStatus } from "../../models/report/report-status.ts";
import { Region } from "../../models/geography/region.ts";
import { findActiveStaff, upsertStaff } from "../../models/people/staff.ts";
import { takeCase } from "../../models/report/case-actions.ts";
import { performanceFor } from "../../models/report/stats.ts";
import { formatCode } from "../../models/report/tracking-code.ts";

useTestDb({ cleanEach: true });

const fa = translator(createI18n("fa"), "fa");
const REGION_CHAT = -1002000000001;
const OMID = 900; // official of region r1
const SARA = 5100;
const NIMA = 5300;
const PHONE = "+989121234567";
const DESCRIPTION = "لوله آب جلوی مدرسه شکسته است";

const NEARBY = fa("menu-nearby");
const meToo = (n: number) => fa("nearby-me-too", { n });
/** Metres north of Karaj centre, in degrees of latitude (1° ≈ 111.2 km). */
const north = (metres: number) => ({ lat: KARAJ.lat + metres / 111_195, lon: KARAJ.lon });

const callsTo = (tb: TestBot, chatId: number) => tb.api.calls.filter((c) => Number(c.payload.chat_id) === chatId);
const lastAlert = (tb: TestBot) => tb.api.callsOf("answerCallbackQuery").at(-1)!.payload;
const markupOf = (tb: TestBot, chatId: number) =>
  callsTo(tb, chatId).at(-1)!.payload.reply_markup as {
    keyboard?: { text: string; request_location?: boolean }[][];
    inline_keyboard?: { text: string; callback_data: string }[][];
  };
const menuKeyboard = (tb: TestBot, chatId: number) =>
  markupOf(tb, chatId)
    .keyboard?.flat()
    .map((b) => b.text);

/** Filed three days before `now`. */
async function seedOpen(now: Date, where: { lat: number; lon: number }, status: ReportStatus, categoryKey = "water") {
  const r = await seedReport({ createdAt: new Date(now.getTime() - 3 * 86_400_000), status, categoryKey });
  await Report.updateOne(
    { _id: r._id },
    { $set: { location: { type: "Point", coordinates: [where.lon, where.lat] }, hasCoordinates: true } },
  );
  return r;
}

/** Sara's case through the bot (its card posted in the region chat), and open, closed and far cases around it. */
async function desk() {
  await Region.updateOne({ key: "r1" }, { $set: { chat: { platform: "telegram", chatId: REGION_CHAT } } });
  await upsertStaff({ platform: "telegram", userId: OMID, name: "Omid", role: "official", regions: ["r1"] });
  const tb = createTestBot();
  tb.clock.now = new Date();
  const sara = tb.citizen(SARA, { firstName: "Sara", username: "sara_k" });
  const code = await fileReport(tb, sara, { description: DESCRIPTION, location: KARAJ, phone: PHONE });
  await tb.dispatcher.drainOnce();
  const own = (await Report.findOne({ code }).lean<ReportDoc>())!;
  expect(own.card?.messageId).toBeGreaterThan(0);
  const b = await seedOpen(tb.clock.now, north(110), "assigned", "road");
  const c = await seedOpen(tb.clock.now, north(220), "in_progress");
  const d = await seedOpen(tb.clock.now, north(300), "new", "lighting");
  const g = await seedOpen(tb.clock.now, north(-370), "reopened");
  const sixth = await seedOpen(tb.clock.now, north(470), "new"); // within 500 m, but the list stops at five
  const closed = await seedOpen(tb.clock.now, north(55), "resolved");
  const far = await seedOpen(tb.clock.now, north(700), "new");
  return { tb, sara, code, own, b, c, d, g, sixth, closed, far };
}

async function shareNearby(sim: ChatSim, at: { lat: number; lon: number }) {
  await sim.text(NEARBY);
  await sim.location(at.lat, at.lon);
}

describe("📍 Nearby and 👍 Me too", () => {
  it("lists the five nearest open cases within 500 m with no personal data; Me too counts once, redraws the card, and the supporter hears the status change", async () => {
    const { tb, code, own, sixth, closed, far } = await desk();
    const nima = tb.citizen(NIMA);
    tb.api.clearCalls();

    await nima.text(NEARBY);
    expect(nima.lastReply()).toBe(fa("nearby-ask", { radius: 500 }));
    expect(markupOf(tb, NIMA).keyboard).toEqual([
      [{ text: fa("location-button"), request_location: true }],
      [{ text: fa("nearby-back") }],
    ]);

    await nima.location(KARAJ.lat, KARAJ.lon);
    const [list, hint] = nima.replies().slice(-2) as [string, string];
    expect(list).toBe(
      [
        "📍 گزارش‌های باز تا ۵۰۰ متری شما:",
        "۱. نشت آب و فاضلاب — دریافت شد\nثبت امروز · در همین محل",
        "۲. چاله و خرابی آسفالت — به کارشناس واگذار شد\nثبت ۳ روز پیش · ۱۱۰ متر از شما",
        "۳. نشت آب و فاضلاب — در حال رسیدگی\nثبت ۳ روز پیش · ۲۲۰ متر از شما",
        "۴. روشنایی معابر — دریافت شد\nثبت ۳ روز پیش · ۳۰۰ متر از شما",
        "۵. نشت آب و فاضلاب — دوباره باز شد\nثبت ۳ روز پیش · ۳۷۰ متر از شما",
      ].join("\n\n"),
    );
    expect(hint).toBe(fa("nearby-hint"));
    const buttons = callsTo(tb, NIMA).at(-2)!.payload.reply_markup as {
      inline_keyboard: { callback_data: string }[][];
    };
    expect(buttons.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(
      expect.arrayContaining([`mt:${own._id.toHexString()}`]),
    );
    const listed = buttons.inline_keyboard.flat().map((b) => b.callback_data);
    expect(listed).toHaveLength(5);
    for (const absent of [sixth, closed, far]) expect(listed).not.toContain(`mt:${absent._id.toHexString()}`);
    // The menu comes back under the list.
    expect(menuKeyboard(tb, NIMA)).toContain(NEARBY);
    // No one's name, username, phone, words or code in anything sent to Nima.
    const sent = JSON.stringify(callsTo(tb, NIMA).map((c) => c.payload));
    for (const secret of ["Sara", "sara_k", PHONE, "912", DESCRIPTION, "خیابان آزادی", code])
      expect(sent).not.toContain(secret);

    // Me too on Sara's case: followed and counted, once.
    await nima.press(meToo(1));
    expect(nima.lastReply()).toBe(fa("nearby-supported", { code: formatCode(code) }));
    await nima.press(meToo(1));
    expect(lastAlert(tb)).toMatchObject({ text: fa("nearby-already"), show_alert: true });
    const followed = (await Report.findById(own._id).lean<ReportDoc>())!;
    expect(followed.followers).toEqual([{ platform: "telegram", userId: NIMA, chatId: NIMA, locale: "fa" }]);

    // The card in the region chat shows the supporter once the redraw is sent.
    await drainCardRedraws(tb);
    const edit = tb.api.callsOf("editMessageText").find((c) => c.payload.message_id === own.card!.messageId);
    expect(String(edit?.payload.text)).toContain("👥 ۱ شهروند از این درخواست حمایت می‌کنند");

    // A status change reaches the supporter.
    const omid = (await findActiveStaff("telegram", OMID))!;
    await takeCase(own._id, omid, tb.clock.now);
    await tb.dispatcher.drainOnce();
    expect(nima.lastReply()).toBe(
      fa("notify-status-follower", { code: formatCode(code), status: fa("status-assigned") }),
    );

    // The weekly table counts the supporters of the cases received in the period.
    const week = { from: new Date(tb.clock.now.getTime() - 7 * 86_400_000), to: new Date(tb.clock.now.getTime() + 1) };
    const table = await performanceFor(week, tb.clock.now);
    expect(table.total.supporters).toBe(1);
    expect(table.regions.find((r) => r.key === own.regionKey)?.supporters).toBe(1);
  });

  it("refuses your own report, a closed case, an unknown or garbled button, with an alert", async () => {
    const { tb, sara, own, closed } = await desk();
    await shareNearby(sara, KARAJ);
    await sara.press(meToo(1));
    expect(lastAlert(tb)).toMatchObject({ text: fa("nearby-own"), show_alert: true });

    const nima = tb.citizen(NIMA);
    await nima.callback(`mt:${closed._id.toHexString()}`);
    expect(lastAlert(tb)).toMatchObject({ text: fa("nearby-closed"), show_alert: true });
    await nima.callback(`mt:${new Types.ObjectId().toHexString()}`);
    expect(lastAlert(tb)).toMatchObject({ text: fa("stale-button"), show_alert: true });
    await nima.callback("mt:not-an-id");
    expect(lastAlert(tb)).toMatchObject({ text: fa("stale-button"), show_alert: true });
    for (const r of [own, closed]) expect((await Report.findById(r._id).lean<ReportDoc>())!.followers).toEqual([]);
  });

  it("the duplicate hint's follow counts as support too: /case shows it (in the card it draws)", async () => {
    const { tb, code, own } = await desk();
    const nima = tb.citizen(NIMA);
    await shareNearby(nima, KARAJ);
    await nima.press(meToo(1));
    const ali = tb.citizen(5400);
    await fillReport(tb, ali, { description: "آب از لوله جلوی مدرسه بیرون می‌زند", location: north(5) });
    await ali.press(fa("duplicate-follow"));
    expect((await Report.findById(own._id).lean<ReportDoc>())!.followers.map((f) => f.userId)).toEqual([NIMA, 5400]);

    const omid = tb.member(OMID, REGION_CHAT, { firstName: "Omid" });
    await omid.text(`/case ${code}`);
    expect(omid.lastReply()).toContain("👥 ۲ شهروند از این درخواست حمایت می‌کنند");
  });

  it("anything but a location at that step gets a clear answer and the menu; a menu press or command is handled as usual", async () => {
    const { tb } = await desk();
    const nima = tb.citizen(NIMA);
    await nima.text(NEARBY);
    await nima.text("کنار پارک شهر");
    expect(nima.lastReply()).toBe(fa("nearby-not-location"));
    expect(menuKeyboard(tb, NIMA)).toContain(NEARBY);
    // The question was answered: the next text is an ordinary message again.
    await nima.text("سلام");
    expect(nima.lastReply()).not.toBe(fa("nearby-not-location"));

    // Pressed twice: the second press asks again, and the location answers it.
    await nima.text(NEARBY);
    await nima.text(NEARBY);
    expect(nima.lastReply()).toBe(fa("nearby-ask", { radius: 500 }));
    await nima.location(KARAJ.lat, KARAJ.lon);
    expect(nima.lastReply()).toBe(fa("nearby-hint"));

    await nima.text(NEARBY);
    await nima.text(fa("nearby-back"));
    expect(nima.lastReply()).toBe(fa("nearby-back-done"));

    await nima.text(NEARBY);
    await nima.text(fa("menu-my"));
    expect(nima.lastReply()).toBe(fa("my-empty"));
    await nima.text(NEARBY);
    await nima.text("/help");
    expect(nima.lastReply().startsWith("کارهایی که می‌توانم انجام دهم:")).toBe(true);
    // Neither left the question open.
    await nima.sticker();
    expect(nima.lastReply()).not.toBe(fa("nearby-not-location"));
  });

  it("nothing open within 500 m: says so and offers a new report; a venue or a location sent without pressing Nearby is answered too", async () => {
    const { tb } = await desk();
    const nima = tb.citizen(NIMA);
    const empty = north(2_000);
    await shareNearby(nima, empty);
    expect(nima.lastReply()).toBe(fa("nearby-empty", { radius: 500 }));
    expect(menuKeyboard(tb, NIMA)).toContain(fa("menu-new"));

    await nima.venue(KARAJ.lat, KARAJ.lon, "پارک", "خیابان");
    expect(nima.replies().at(-2)?.startsWith("📍 گزارش‌های باز تا ۵۰۰ متری شما:")).toBe(true);
    await nima.location(40, 40);
    expect(nima.lastReply()).toBe(fa("nearby-outside-area"));
  });

  it("on Bale too: the location answers the list; bale:5100 is not telegram:5100, so Sara's case is not their own", async () => {
    const { code, own } = await desk();
    const bale = createTestBot({}, "bale");
    const sameId = bale.citizen(SARA);
    await shareNearby(sameId, KARAJ);
    expect(sameId.replies().at(-2)?.startsWith("📍 گزارش‌های باز تا ۵۰۰ متری شما:")).toBe(true);
    await sameId.press(meToo(1));
    expect(sameId.lastReply()).toBe(fa("nearby-supported", { code: formatCode(code) }));
    expect((await Report.findById(own._id).lean<ReportDoc>())!.followers).toEqual([
      { platform: "bale", userId: SARA, chatId: SARA, locale: "fa" },
    ]);
  });
});
