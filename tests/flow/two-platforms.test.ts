import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { BALE_API_ROOT, BALE_TOKEN, createTestDesk, STAFF_CHAT } from "../support/test-bot.ts";
import { drainCardRedraws } from "../support/card-redraws.ts";
import { fileReport, KARAJ } from "../support/intake-steps.ts";
import { NEAR_KARAJ, recordVisitInChat } from "../support/visit-steps.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { Report } from "../../models/report/report.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { ltr } from "../../core/format.ts";
import { readPhoto } from "../../models/report/photos.ts";
import sharp from "sharp";
import { tinyPhoto } from "../support/photo-bytes.ts";

useTestDb({ cleanEach: true });

const OFFICIAL = 700;
const MANAGERS = -1003000000009;
/** A tracking code as Persian texts show it: LRM-wrapped. */
const fmt = (code: string) => ltr(`${code.slice(0, 4)}-${code.slice(4)}`);
const buttons = (call: ApiCall) =>
  ((call.payload.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.text);

describe("Telegram and Bale from one desk", () => {
  it("the whole story on Bale: plain text instead of HTML, no force-reply, files from Bale's file root", async () => {
    await upsertStaff({ platform: "bale", userId: OFFICIAL, name: "Omid", role: "official", regions: ["r1"] });
    const desk = createTestDesk({ STAFF_PLATFORM: "bale", MANAGERS_CHAT_ID: String(MANAGERS) }, ["bale"]);
    const bale = desk.on("bale");
    const photo = tinyPhoto(3);
    const citizen = bale.citizen(3001, { firstName: "Ali" });
    const code = await fileReport(bale, citizen, { photos: [{ fileId: "bale-photo", bytes: photo }] });
    expect(bale.api.downloadUrls).toEqual([`${BALE_API_ROOT}/file/bot${BALE_TOKEN}/photos/bale-photo`]);
    expect((await Report.findOne({ code }).lean())!.platform).toBe("bale");

    await desk.dispatcher.drainOnce();
    const [photos, card, pin] = bale.api.calls.filter((c) => c.payload.chat_id === STAFF_CHAT);
    expect(photos!.method).toBe("sendPhoto");
    expect(card!.method).toBe("sendMessage");
    expect(card!.payload.parse_mode).toBeUndefined();
    expect(String(card!.payload.text)).toContain(`📋 پرونده ${fmt(code)} — دریافت شد`);
    expect(String(card!.payload.text)).not.toMatch(/<\/?b>|&lt;/);
    expect(pin!.method).toBe("sendLocation");

    const omid = bale.member(OFFICIAL, STAFF_CHAT, { firstName: "Omid" });
    await omid.press("🙋 برعهده می‌گیرم");
    await drainCardRedraws(desk);
    const edit = bale.api.callsOf("editMessageText").at(-1)!;
    expect(edit.payload.parse_mode).toBeUndefined();
    expect(String(edit.payload.text)).toContain("🧑‍🔧 مسئول: Omid");
    // Water leaks need an on-site visit first. Bale has no live location: the prompt says so, and
    // a location that claims a live period is still recorded as static.
    await omid.press("📍 ثبت بازدید");
    const dm = bale.citizen(OFFICIAL, { firstName: "Omid" });
    await dm.press("▶️ شروع بازدید");
    expect(dm.lastReply()).toBe(
      "موقعیت فعلی خود را با دکمه زیر بفرستید. (این پیام‌رسان موقعیت زنده ندارد؛ بازدید با موقعیت ثابت ثبت می‌شود.)",
    );
    await dm.location(NEAR_KARAJ.lat, NEAR_KARAJ.lon, { livePeriod: 900 });
    bale.api.addFile("bale-site", tinyPhoto("bale-site"));
    await dm.photo("bale-site", 3);
    await dm.press("✔️ تمام");
    await dm.press("بدون یادداشت");
    await dm.press("📣 بله، اطلاع بده");
    expect(dm.lastReply()).toBe(
      `✅ بازدید پرونده ${fmt(code)} ثبت شد: در محل، ۲۲ متر، موقعیت ثابت، ۱ عکس. به شهروند اطلاع داده شد.`,
    );
    expect((await Report.findOne({ code }).lean())!.visits[0]).toMatchObject({
      live: false,
      onSite: true,
      distanceM: 22,
      by: { platform: "bale", userId: OFFICIAL },
    });
    expect(bale.api.downloadUrls.at(-1)).toBe(`${BALE_API_ROOT}/file/bot${BALE_TOKEN}/photos/bale-site`);
    await drainCardRedraws(desk);
    const visitedCard = String(bale.api.callsOf("editMessageText").at(-1)!.payload.text);
    expect(visitedCard).toMatch(/🔎 بازدید Omid در .+، در محل، ۲۲ متر \(موقعیت ثابت\)/);
    expect(visitedCard).not.toMatch(/<\/?b>/);
    await omid.press("✅ رسیدگی شد");
    const prompt = bale.api.callsOf("sendMessage").at(-1)!;
    // Bale has no force-reply: a plain prompt, the member's next message is the answer.
    expect(prompt.payload.reply_markup).toBeUndefined();
    expect(prompt.payload.parse_mode).toBeUndefined();
    expect(String(prompt.payload.text)).toContain("Omid، شرح رسیدگی پرونده");
    await omid.text("آسفالت ترمیم شد");
    await omid.press("بدون عکس");
    expect((await Report.findOne({ code }).lean())!.status).toBe("resolved");
    bale.api.clearCalls();
    await desk.dispatcher.drainOnce();
    expect(citizen.replies()).toEqual([
      `خبر تازه درباره گزارش ${fmt(code)}: به کارشناس واگذار شد.`,
      expect.stringMatching(
        new RegExp(`^🔎 کارشناس شهرداری در .+ از محل گزارش شما \\(کد ${fmt(code)}\\) بازدید کرد\\.$`),
      ),
      `✅ گزارش ${fmt(code)} رسیدگی شد.\nآسفالت ترمیم شد\n\nآیا مشکل برطرف شد؟ لطفاً نظر خود را اعلام کنید و به نحوه رسیدگی امتیاز دهید.`,
    ]);
  });

  it("a Telegram citizen with Bale staff: photos cross through GridFS, actions reach the citizen on Telegram", async () => {
    await upsertStaff({ platform: "bale", userId: OFFICIAL, name: "Omid", role: "official", regions: ["r1"] });
    const desk = createTestDesk({ STAFF_PLATFORM: "bale", MANAGERS_CHAT_ID: String(MANAGERS) }, ["telegram", "bale"]);
    const tg = desk.on("telegram");
    const bale = desk.on("bale");
    const photo = tinyPhoto(7);
    const sara = tg.citizen(3100, { firstName: "Sara" });
    const code = await fileReport(tg, sara, { photos: [{ fileId: "tg-photo", bytes: photo }], location: KARAJ });
    expect(tg.api.downloads).toEqual(["photos/tg-photo"]);

    await desk.dispatcher.drainOnce();
    // Nothing for staff went to Telegram; the card and the photo (uploaded, not a Telegram file_id) are on Bale.
    expect(tg.api.calls.filter((c) => c.payload.chat_id === STAFF_CHAT)).toEqual([]);
    const upload = bale.api.callsOf("sendPhoto").find((c) => c.payload.chat_id === STAFF_CHAT)!;
    // Bale staff get the copy GridFS holds: re-encoded (photo-clean.ts), not the Telegram bytes.
    const storedPhoto = await readPhoto((await Report.findOne({ code }).lean())!.photos[0]!.gridfsId!);
    expect((await sharp(storedPhoto).metadata()).format).toBe("jpeg");
    expect(storedPhoto.equals(Buffer.from(photo))).toBe(false);
    expect(Buffer.from(Object.values(upload.files)[0]!).equals(storedPhoto)).toBe(true);
    expect(JSON.stringify(upload.payload)).not.toContain("tg-photo");

    const omid = bale.member(OFFICIAL, STAFF_CHAT, { firstName: "Omid" });
    await omid.press("🙋 برعهده می‌گیرم");
    const after = tinyPhoto(8);
    bale.api.addFile("after-bale", after);
    await omid.press("📍 ثبت بازدید");
    await recordVisitInChat(bale, bale.citizen(OFFICIAL, { firstName: "Omid" }), { photos: ["bale-visit"] });
    await omid.press("✅ رسیدگی شد");
    await omid.text("لوله تعویض شد");
    await omid.photo("after-bale", after.byteLength);
    // The after photo was fetched from Bale's file root with Bale's token.
    expect(bale.api.downloadUrls).toEqual([
      `${BALE_API_ROOT}/file/bot${BALE_TOKEN}/photos/bale-visit`,
      `${BALE_API_ROOT}/file/bot${BALE_TOKEN}/photos/after-bale`,
    ]);
    tg.api.clearCalls();
    await desk.dispatcher.drainOnce();
    const resolution = tg.api.callsOf("sendPhoto").find((c) => c.payload.chat_id === 3100)!;
    const storedAfter = await readPhoto((await Report.findOne({ code }).lean())!.afterPhotoId!);
    expect((await sharp(storedAfter).metadata()).format).toBe("jpeg");
    expect(storedAfter.equals(Buffer.from(after))).toBe(false);
    expect(Buffer.from(Object.values(resolution.files)[0]!).equals(storedAfter)).toBe(true);
    expect(buttons(resolution)).toContain("رفع نشد ❌");
    expect(sara.replies()[0]).toBe(`خبر تازه درباره گزارش ${fmt(code)}: به کارشناس واگذار شد.`);

    // "Not fixed" pressed on Telegram redraws the card on Bale.
    bale.api.clearCalls();
    await sara.press("رفع نشد ❌");
    await drainCardRedraws(desk);
    const redraw = bale.api.callsOf("editMessageText").at(-1)!;
    expect(redraw.payload.chat_id).toBe(STAFF_CHAT);
    expect(String(redraw.payload.text)).toContain("— دوباره باز شد");
    await desk.dispatcher.drainOnce();
    expect(bale.api.callsOf("sendMessage").map((c) => c.payload.chat_id)).toEqual(
      expect.arrayContaining([STAFF_CHAT, MANAGERS]),
    );
    expect(tg.api.calls.some((c) => c.payload.chat_id === MANAGERS)).toBe(false);
  });

  it("one citizen id on both platforms is two people", async () => {
    const desk = createTestDesk({}, ["telegram", "bale"]);
    const onTelegram = await fileReport(desk.on("telegram"), desk.on("telegram").citizen(4000));
    const onBale = desk.on("bale").citizen(4000);
    await onBale.text("/my");
    expect(onBale.lastReply()).toBe("هنوز گزارشی ثبت نکرده‌اید. برای شروع \u200e/new را بفرستید.");
    await onBale.text(`/status ${onTelegram}`);
    expect(onBale.lastReply()).toContain("وضعیت: دریافت شد");
    expect(onBale.lastReply()).not.toContain("شرح:");
  });
});
