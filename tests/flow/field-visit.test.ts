import { describe, expect, it, vi } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { ltr } from "../../core/format.ts";

const LRM = "\u200E";
import { createTestBot, type TestBot } from "../support/test-bot.ts";
import { fileReport, KARAJ } from "../support/intake-steps.ts";
import { NEAR_KARAJ, recordVisitInChat } from "../support/visit-steps.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { drainCardRedraws } from "../support/card-redraws.ts";
import { Report } from "../../models/report/report.ts";
import { Region } from "../../models/geography/region.ts";
import { readPhoto } from "../../models/report/photos.ts";
import { findActiveStaff, upsertStaff } from "../../models/people/staff.ts";
import { recordVisit } from "../../models/report/visit.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import mongoose, { Types } from "mongoose";
import sharp from "sharp";
import { tinyPhoto } from "../support/photo-bytes.ts";

useTestDb({ cleanEach: true });

const REGION_CHAT = -1002000000001;
const OMID = 900; // official of region r1
const REZA = 903; // official of region r2

async function setup(env: Record<string, string> = {}, category?: string) {
  await Region.updateOne({ key: "r1" }, { $set: { chat: { platform: "telegram", chatId: REGION_CHAT } } });
  await upsertStaff({ platform: "telegram", userId: OMID, name: "Omid", role: "official", regions: ["r1"] });
  await upsertStaff({ platform: "telegram", userId: REZA, name: "Reza", role: "official", regions: ["r2"] });
  const tb = createTestBot(env);
  const sara = tb.citizen(5100, { firstName: "Sara" });
  const code = await fileReport(tb, sara, { location: KARAJ, ...(category ? { category } : {}) });
  await tb.dispatcher.drainOnce();
  const omid = tb.member(OMID, REGION_CHAT, { firstName: "Omid" });
  const dm = tb.citizen(OMID, { firstName: "Omid" });
  // As the fa translator shows a code: between LRM marks, so it reads as typed in right-to-left text.
  return { tb, sara, code, shown: ltr(`${code.slice(0, 4)}-${code.slice(4)}`), omid, dm };
}

const lastAlert = (tb: TestBot) => tb.api.callsOf("answerCallbackQuery").at(-1)!.payload;
const buttons = (call: ApiCall) =>
  ((call.payload.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.text);
/** The card as the staff chat shows it now: its waiting redraws sent first (they go through the outbox). */
async function lastCard(tb: TestBot): Promise<string> {
  await drainCardRedraws(tb);
  return String(
    tb.api
      .callsOf("editMessageText")
      .filter((c) => c.payload.chat_id === REGION_CHAT)
      .at(-1)!.payload.text,
  );
}
const report = async (code: string) => (await Report.findOne({ code }).lean())!;

describe("field visits", () => {
  it("on site with a live location and a photo: invited to private chat, recorded with distance and photo, shown on the card and in /case, the citizen told", async () => {
    const { tb, sara, code, shown, omid, dm } = await setup();
    const card = tb.api.callsOf("sendMessage").find((c) => c.payload.chat_id === REGION_CHAT && buttons(c).length > 0)!;
    expect(buttons(card)).toContain("📍 ثبت بازدید");
    expect(String(card.payload.text)).toContain("📍 پیش از «رسیدگی شد» بازدید در محل لازم است");

    await omid.press("📍 ثبت بازدید");
    expect(lastAlert(tb)).toMatchObject({
      text: `در گفتگوی خصوصی برایتان پیام فرستادم؛ بازدید ${shown} را آنجا ثبت کنید.`,
      show_alert: true,
    });
    const invite = tb.api.callsOf("sendMessage").at(-1)!;
    expect(invite.payload.chat_id).toBe(OMID);
    expect(buttons(invite)).toEqual(["▶️ شروع بازدید"]);

    await dm.press("▶️ شروع بازدید");
    expect(dm.replies().slice(-2)).toEqual([
      `📍 ثبت بازدید میدانی برای پرونده ${shown}. در هر مرحله با ${LRM}/cancel می‌توانید متوقف کنید.`,
      "موقعیت فعلی خود را بفرستید. بهترین حالت: موقعیت زنده (📎 ← مکان ← اشتراک‌گذاری مکان زنده). یا دکمه زیر را برای موقعیت لحظه‌ای بزنید.",
    ]);
    // A wrong kind of message gets the step's hint; the visit goes on.
    await dm.text("سلام");
    expect(dm.lastReply()).toContain("در حال ثبت بازدید میدانی هستید");
    await dm.location(NEAR_KARAJ.lat, NEAR_KARAJ.lon, { livePeriod: 900 });
    expect(dm.replies().slice(-2)[0]).toBe("✅ در محل: ۲۲ متر تا نقطه گزارش (مجاز ۱۵۰ متر).");
    const sitePhoto = tinyPhoto("site-1");
    tb.api.addFile("site-1", sitePhoto);
    await dm.photo("site-1", sitePhoto.byteLength);
    expect(dm.lastReply()).toBe("📷 عکس ۱ از حداکثر ۵ رسید. عکس دیگری بفرستید یا «تمام» را بزنید.");
    await dm.press("✔️ تمام");
    await dm.text("لوله اصلی ترکیده؛ اکیپ فردا");
    await dm.press("📣 بله، اطلاع بده");
    expect(dm.lastReply()).toBe(
      `✅ بازدید پرونده ${shown} ثبت شد: در محل، ۲۲ متر، موقعیت زنده، ۱ عکس. به شهروند اطلاع داده شد.`,
    );

    const r = await report(code);
    expect(r.visits).toHaveLength(1);
    const v = r.visits[0]!;
    expect(v).toMatchObject({
      by: { platform: "telegram", userId: OMID, name: "Omid" },
      live: true,
      distanceM: 22,
      onSite: true,
      offSiteReason: "",
      note: "لوله اصلی ترکیده؛ اکیپ فردا",
      public: true,
      at: tb.clock.now,
    });
    expect(v.location!.coordinates).toEqual([NEAR_KARAJ.lon, NEAR_KARAJ.lat]);
    expect(v.photos).toHaveLength(1);
    // GridFS holds a re-encoded copy (photo-clean.ts), never the messenger's bytes.
    const storedPhoto = await readPhoto(v.photos[0]!);
    expect((await sharp(storedPhoto).metadata()).format).toBe("jpeg");
    expect(storedPhoto.equals(Buffer.from(sitePhoto))).toBe(false);
    expect(r.firstVisitAt).toEqual(tb.clock.now);
    // The distance is a fact on the entry, worded per reader; the note is only ever typed text.
    expect(r.history.at(-1)).toMatchObject({
      kind: "visit",
      public: true,
      note: "",
      facts: { distanceM: 22 },
      by: { kind: "staff", id: OMID },
    });

    // The card: who, when, how far, live; the "needs a visit" line is gone.
    const text = await lastCard(tb);
    expect(text).toMatch(/🔎 بازدید Omid در .+، در محل، ۲۲ متر \(موقعیت زنده\)/);
    expect(text).not.toContain("بازدید در محل لازم است");

    // The citizen hears of it (Jalali date), and /status shows it without the distance.
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    expect(sara.lastReply()).toMatch(
      new RegExp(`^🔎 کارشناس شهرداری در .+ از محل گزارش شما \\(کد ${shown}\\) بازدید کرد\\.$`),
    );
    // The proof goes under the card in the region chat: the photo itself (from GridFS), who, how far.
    const proof = tb.api.callsOf("sendPhoto").find((c) => c.payload.chat_id === REGION_CHAT)!;
    expect(proof.payload).toMatchObject({ parse_mode: "HTML", reply_parameters: { message_id: r.card!.messageId } });
    expect(String(proof.payload.caption)).toBe(
      `🔎 بازدید میدانی پرونده <b>${shown}</b> توسط Omid: در محل، ۲۲ متر (موقعیت زنده)\n↳ یادداشت: لوله اصلی ترکیده؛ اکیپ فردا`,
    );
    expect(Buffer.from(Object.values(proof.files)[0]!).equals(storedPhoto)).toBe(true);
    await sara.text(`/status ${code}`);
    expect(sara.lastReply()).toContain("🔎 بازرس از محل بازدید کرد");
    expect(sara.lastReply()).not.toContain("22 m");

    // /case: every visit with its note.
    await omid.text(`/case ${code}`);
    const view = omid.lastReply();
    expect(view).toContain("🔎 بازدیدهای میدانی (۱):");
    expect(view).toMatch(/▫️ .+ · Omid · در محل، ۲۲ متر · موقعیت زنده · 📷 ۱\n↳ یادداشت: لوله اصلی ترکیده؛ اکیپ فردا/);
  });

  it("off site: told the distance, may share again, or record it as off site with a reason; an off-site visit does not allow Resolve", async () => {
    const { tb, code, shown, omid, dm } = await setup();
    await omid.press("📍 ثبت بازدید");
    await dm.press("▶️ شروع بازدید");
    const far = { lat: KARAJ.lat + 0.009, lon: KARAJ.lon }; // ≈ 1 km north
    await dm.location(far.lat, far.lon);
    expect(dm.replies().slice(-2)).toEqual([
      "شما ۱٬۰۰۱ متر از نقطه گزارش فاصله دارید؛ بازدید تا ۱۵۰ متر «در محل» حساب می‌شود.",
      "این بازدید «خارج از محل» (با ذکر دلیل) ثبت شود یا دوباره موقعیت می‌فرستید؟",
    ]);
    await dm.press("📍 ارسال دوباره موقعیت");
    expect(dm.lastReply()).toContain("موقعیت فعلی خود را بفرستید");
    await dm.location(far.lat, far.lon);
    await dm.press("ثبت به‌عنوان خارج از محل");
    expect(dm.lastReply()).toBe("چرا بازدید خارج از محل است؟ (مثلاً: مسیر بسته است.) دلیل را بنویسید.");
    await dm.text("x".repeat(501));
    expect(dm.lastReply()).toBe("متن شما ۵۰۱ حرف است؛ حداکثر ۵۰۰ حرف مجاز است.");
    await dm.text("خیابان برای تعمیرات بسته است");
    tb.api.addFile("far-1", tinyPhoto("far-1"));
    await dm.photo("far-1", 1);
    await dm.press("✔️ تمام");
    await dm.press("بدون یادداشت");
    await dm.press("خیر");
    expect(dm.lastReply()).toBe(`✅ بازدید پرونده ${shown} ثبت شد: خارج از محل، ۱٬۰۰۱ متر فاصله، موقعیت ثابت، ۱ عکس.`);
    const r = await report(code);
    expect(r.visits[0]).toMatchObject({
      onSite: false,
      distanceM: 1001,
      offSiteReason: "خیابان برای تعمیرات بسته است",
      live: false,
      public: false,
    });
    expect(r.history.at(-1)).toMatchObject({ kind: "visit", public: false });
    expect(await lastCard(tb)).toContain("خارج از محل، ۱٬۰۰۱ متر فاصله (موقعیت ثابت)");
    // The citizen was not told.
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    expect(tb.api.callsOf("sendMessage")).toHaveLength(0);
    // Water leaks need an ON-site visit.
    await omid.press("✅ رسیدگی شد");
    expect(lastAlert(tb)).toMatchObject({
      text: `📍 پرونده ${shown} پیش از «رسیدگی شد» به بازدید در محل نیاز دارد. ابتدا بازدید را ثبت کنید.`,
      show_alert: true,
    });
  });

  it("refuses forwarded photos and locations, a picked place, a repeated photo, and photos outside the time window", async () => {
    const { tb, code, omid, dm } = await setup();
    await omid.press("📍 ثبت بازدید");
    await dm.press("▶️ شروع بازدید");
    const forwarded = {
      forward_origin: {
        type: "user" as const,
        date: 1_700_000_000,
        sender_user: { id: 77, is_bot: false, first_name: "X" },
      },
    };
    await dm.location(NEAR_KARAJ.lat, NEAR_KARAJ.lon, forwarded);
    expect(dm.lastReply()).toBe("موقعیتِ بازارسال‌شده نشان حضور شما نیست. موقعیت فعلی خودتان را بفرستید.");
    await dm.venue(NEAR_KARAJ.lat, NEAR_KARAJ.lon, "مدرسه", "خیابان آزادی");
    expect(dm.lastReply()).toBe(
      "این مکانی است که روی نقشه انتخاب شده، نه جایی که شما هستید. موقعیت فعلی خود را بفرستید.",
    );
    const now = Math.floor(Date.now() / 1000);
    await dm.location(NEAR_KARAJ.lat, NEAR_KARAJ.lon, { date: now });
    tb.api.addFile("old", tinyPhoto("old"));
    await dm.photo("old", 1, forwarded);
    expect(dm.lastReply()).toBe("عکسِ بازارسال‌شده مدرک بازدید نیست. در محل عکس بگیرید و بفرستید.");
    tb.api.addFile("p1", tinyPhoto("p1"));
    await dm.photo("p1", 1, { date: now + 60 });
    await dm.photo("p1", 1, { date: now + 61 });
    expect(dm.lastReply()).toBe("این عکس را قبلاً فرستاده‌اید. عکس دیگری بفرستید یا «تمام» را بزنید.");
    // 16 minutes after the location: the window (15) closed; the location is asked again.
    tb.api.addFile("p2", tinyPhoto("p2"));
    await dm.photo("p2", 1, { date: now + 16 * 60 });
    expect(dm.replies().slice(-2)).toEqual([
      "⏱ موقعیت شما بیش از ۱۵ دقیقه از این عکس قدیمی‌تر است. دوباره موقعیت فعلی را بفرستید؛ عکس‌های قبلی نگه داشته نشد.",
      "موقعیت فعلی خود را بفرستید. بهترین حالت: موقعیت زنده (📎 ← مکان ← اشتراک‌گذاری مکان زنده). یا دکمه زیر را برای موقعیت لحظه‌ای بزنید.",
    ]);
    // A live location that keeps updating from the site keeps the window open.
    const liveId = dm.nextMessageId;
    await dm.location(NEAR_KARAJ.lat, NEAR_KARAJ.lon, { livePeriod: 3600, date: now + 20 * 60 });
    await dm.editLocation(liveId, NEAR_KARAJ.lat, NEAR_KARAJ.lon + 0.0001, now + 40 * 60);
    await dm.photo("p2", 1, { date: now + 50 * 60 });
    expect(dm.lastReply()).toBe("📷 عکس ۱ از حداکثر ۵ رسید. عکس دیگری بفرستید یا «تمام» را بزنید.");
    // A live update from far away does not: the next photo is 31 minutes after the last on-site fix.
    await dm.editLocation(liveId, KARAJ.lat + 0.05, KARAJ.lon, now + 60 * 60);
    tb.api.addFile("p3", tinyPhoto("p3"));
    await dm.photo("p3", 1, { date: now + 71 * 60 });
    expect(dm.replies().at(-2)).toContain("⏱ موقعیت شما بیش از ۱۵ دقیقه");
    expect((await report(code)).visits).toHaveLength(0);
    // /cancel leaves the visit; nothing was recorded.
    await dm.text("/cancel");
    expect(dm.lastReply()).toBe("ثبت بازدید لغو شد. چیزی ثبت نشد.");
    // The location keyboard goes; staff get no citizen menu in its place.
    expect(tb.api.callsOf("sendMessage").at(-1)!.payload.reply_markup).toEqual({ remove_keyboard: true });
    expect((await report(code)).visits).toHaveLength(0);
  });

  it("a visit left open for more than two hours is abandoned: the official's next message is handled as usual", async () => {
    const { code, omid, dm } = await setup();
    await omid.press("📍 ثبت بازدید");
    await dm.press("▶️ شروع بازدید");
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 2 * 3_600_000 + 60_000);
      await dm.text("/help");
      expect(dm.lastReply()).not.toContain("در حال ثبت بازدید میدانی هستید");
      expect(dm.lastReply()).toContain("/new");
    } finally {
      vi.useRealTimers();
    }
    expect((await report(code)).visits).toHaveLength(0);
  });

  it("in the group, /visit <code> invites by a reply; live-location updates during later steps are not answered; a long note with HTML characters still fits the photo caption", async () => {
    const { tb, code, shown, omid, dm } = await setup();
    await omid.text(`/visit ${code}`);
    expect(omid.lastReply()).toBe(`در گفتگوی خصوصی برایتان پیام فرستادم؛ بازدید ${shown} را آنجا ثبت کنید.`);
    await dm.press("▶️ شروع بازدید");
    const liveId = dm.nextMessageId;
    const now = Math.floor(Date.now() / 1000);
    await dm.location(NEAR_KARAJ.lat, NEAR_KARAJ.lon, { livePeriod: 3600, date: now });
    tb.api.addFile("amp", tinyPhoto("amp"));
    await dm.photo("amp", 1, { date: now + 30 });
    await dm.press("✔️ تمام");
    const asked = dm.replies().length;
    // The location keeps moving while the note and the "tell the citizen?" questions wait.
    await dm.editLocation(liveId, NEAR_KARAJ.lat, NEAR_KARAJ.lon, now + 60);
    expect(dm.replies()).toHaveLength(asked);
    await dm.text(`<b>&</b> ${"&".repeat(990)}`);
    await dm.editLocation(liveId, NEAR_KARAJ.lat, NEAR_KARAJ.lon, now + 90);
    expect(dm.replies()).toHaveLength(asked + 1);
    await dm.press("خیر");
    expect(dm.lastReply()).toContain(`✅ بازدید پرونده ${shown} ثبت شد`);
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    const proof = tb.api.callsOf("sendPhoto").find((c) => c.payload.chat_id === REGION_CHAT)!;
    const caption = String(proof.payload.caption);
    expect(caption.length).toBeLessThanOrEqual(1024);
    expect(caption).toContain("↳ یادداشت: &lt;b&gt;&amp;&lt;/b&gt; &amp;&amp;");
    // Every entity whole: no "&am" cut short.
    expect(caption.replace(/&(amp|lt|gt|quot|#39);/g, "")).not.toContain("&");
  });

  it("saving the same visit twice (a replay after a crash) records it once", async () => {
    const { code } = await setup();
    const r = await report(code);
    const omidMember = (await findActiveStaff("telegram", OMID))!;
    const visitId = new Types.ObjectId();
    const input = {
      lat: NEAR_KARAJ.lat,
      lon: NEAR_KARAJ.lon,
      live: false,
      locationAt: new Date(),
      site: { distanceM: 22, radiusM: 150, onSite: true },
      photos: [new Types.ObjectId()],
      note: "",
      offSiteReason: "",
      tellCitizen: true,
      visitId,
    };
    await recordVisit(r._id, omidMember, input, new Date());
    const again = await recordVisit(r._id, omidMember, input, new Date());
    expect(again.visits).toHaveLength(1);
    const stored = await report(code);
    expect(stored.visits).toHaveLength(1);
    expect(stored.history.filter((h) => h.kind === "visit")).toHaveLength(1);
    expect(stored.pendingOutbox).toHaveLength(0);
    expect(await Outbox.countDocuments({ kind: "site_visit" })).toBe(1);
  });

  it("a photo file that is no picture: the visit is not recorded, the official is told to send another, and no photo of it stays in GridFS", async () => {
    const { tb, code, omid, dm } = await setup();
    await omid.press("📍 ثبت بازدید");
    await dm.press("▶️ شروع بازدید");
    await dm.location(NEAR_KARAJ.lat, NEAR_KARAJ.lon, { livePeriod: 900 });
    tb.api.addFile("good-1", tinyPhoto("good-1"));
    await dm.photo("good-1", 60);
    // Named and typed as a JPEG, but its bytes are text.
    const notAPicture = Buffer.from("this is a shopping list, not a picture of the site");
    tb.api.addFile("fake-jpeg", notAPicture);
    await dm.document("fake-jpeg", "image/jpeg", notAPicture.byteLength);
    expect(dm.lastReply()).toBe("📷 عکس ۲ از حداکثر ۵ رسید. عکس دیگری بفرستید یا «تمام» را بزنید.");
    await dm.press("✔️ تمام");
    await dm.press("بدون یادداشت");
    await dm.press("خیر");
    expect(dm.lastReply()).toBe("یکی از عکس‌ها باز نشد؛ عکس دیگری بفرستید. بازدید ثبت نشد.");
    const r = await report(code);
    expect(r.visits).toHaveLength(0);
    expect(r.history.filter((h) => h.kind === "visit")).toHaveLength(0);
    // The good photo, stored before the bad one was reached, is removed again.
    expect(await mongoose.connection.db!.collection("photos.files").countDocuments({})).toBe(0);
    expect(await mongoose.connection.db!.collection("photos.chunks").countDocuments({})).toBe(0);
    expect(await Outbox.countDocuments({ kind: "site_visit" })).toBe(0);
  });

  it("Resolve is blocked without a required visit and allowed after one", async () => {
    const { tb, code, shown, omid, dm } = await setup();
    await omid.press("🙋 برعهده می‌گیرم");
    await omid.press("✅ رسیدگی شد");
    expect(lastAlert(tb)).toMatchObject({
      text: `📍 پرونده ${shown} پیش از «رسیدگی شد» به بازدید در محل نیاز دارد. ابتدا بازدید را ثبت کنید.`,
      show_alert: true,
    });
    const offer = tb.api.callsOf("sendMessage").at(-1)!;
    expect(offer.payload.chat_id).toBe(REGION_CHAT);
    expect(buttons(offer)).toEqual(["📍 ثبت بازدید"]);
    // No resolution prompt was opened: the group chat is not waiting for Omid's text.
    await omid.text("این یک پیام معمولی در گروه است");
    expect((await report(code)).status).toBe("assigned");

    await omid.press("📍 ثبت بازدید");
    await recordVisitInChat(tb, dm);
    await omid.press("✅ رسیدگی شد");
    expect(omid.lastReply()).toContain(`شرح رسیدگی پرونده ${shown} را در پاسخ بنویسید`);
    await omid.text("لوله تعویض شد");
    await omid.press("بدون عکس");
    expect((await report(code)).status).toBe("resolved");
  });

  it("a reopened case ('not fixed') needs a new visit before it can be resolved again", async () => {
    const { tb, sara, code, shown, omid, dm } = await setup();
    await omid.press("📍 ثبت بازدید");
    await recordVisitInChat(tb, dm);
    await omid.press("✅ رسیدگی شد");
    await omid.text("تعمیر شد");
    await omid.press("بدون عکس");
    await tb.dispatcher.drainOnce();
    tb.clock.now = new Date(tb.clock.now.getTime() + 3_600_000);
    await sara.press("رفع نشد ❌");
    let r = await report(code);
    expect(r.status).toBe("reopened");
    expect(r.reopenedAt).toEqual(tb.clock.now);
    expect(await lastCard(tb)).toContain("📍 بازگشایی شده: پیش از «رسیدگی شد» بازدید تازه در محل لازم است");

    await omid.press("✅ رسیدگی شد");
    expect(lastAlert(tb)).toMatchObject({
      text: `📍 پرونده ${shown} را شهروند دوباره باز کرده است: پیش از رسیدگی دوباره، بازدید تازه در محل لازم است.`,
    });
    tb.clock.now = new Date(tb.clock.now.getTime() + 3_600_000);
    await omid.press("📍 ثبت بازدید");
    await recordVisitInChat(tb, dm, { photos: ["site-2"] });
    r = await report(code);
    expect(r.visits).toHaveLength(2);
    expect(r.firstVisitAt).toEqual(r.visits[0]!.at); // the first visit stays the first
    await omid.press("✅ رسیدگی شد");
    await omid.text("این بار کامل تعمیر شد");
    await omid.press("بدون عکس");
    expect((await report(code)).status).toBe("resolved");
  });

  it("categories without the policy resolve without a visit; /visit <code> starts one in private; an official who never opened the bot is told how", async () => {
    const { tb, code, shown, omid, dm } = await setup({}, "زباله و نظافت");
    const card = tb.api.callsOf("sendMessage").find((c) => c.payload.chat_id === REGION_CHAT && buttons(c).length > 0)!;
    expect(String(card.payload.text)).not.toContain("بازدید در محل لازم است");
    // Never opened a private chat with the bot: Telegram answers 403.
    tb.api.fail("sendMessage", {
      error_code: 403,
      description: "Forbidden: bot can't initiate conversation with a user",
    });
    await omid.press("📍 ثبت بازدید");
    expect(lastAlert(tb)).toMatchObject({
      text: `بازدید در گفتگوی خصوصی ثبت می‌شود. گفتگو با ${LRM}@${ltr("citizen137_bot")} را باز کنید، «شروع» را بزنید و دوباره «ثبت بازدید» را بزنید.`,
      show_alert: true,
    });
    // Reza (region r2) may not visit an r1 case.
    const rezaDm = tb.citizen(REZA);
    await rezaDm.text(`/visit ${code}`);
    expect(rezaDm.lastReply()).toBe("این پرونده در منطقه یا واحد شما نیست.");
    await dm.text("/visit");
    expect(dm.lastReply()).toBe(`پس از ${LRM}/visit کد پرونده را بفرستید، مثلاً: ${LRM}/visit 1234-5678`);
    await dm.text(`/visit ${shown}`);
    expect(dm.replies().at(-2)).toContain(`📍 ثبت بازدید میدانی برای پرونده ${shown}`);
    await dm.location(NEAR_KARAJ.lat, NEAR_KARAJ.lon);
    tb.api.addFile("g1", tinyPhoto("g1"));
    await dm.photo("g1", 1);
    await dm.press("✔️ تمام");
    await dm.press("بدون یادداشت");
    await dm.press("خیر");
    expect((await report(code)).visits).toHaveLength(1);
    // A Start button from a finished visit no longer starts anything by itself: it starts a new visit only while the case is open.
    await omid.press("✅ رسیدگی شد");
    await omid.text("جمع‌آوری شد");
    await omid.press("بدون عکس");
    await dm.callback(`v:${(await report(code))._id.toHexString()}`);
    expect(lastAlert(tb)).toMatchObject({ text: "اکنون ممکن نیست: وضعیت پرونده «رسیدگی شد» است.", show_alert: true });
  });
});
