import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, STAFF_CHAT } from "../support/test-bot.ts";
import { Report } from "../../models/report/report.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { readPhoto } from "../../models/report/photos.ts";
import { isValidCode } from "../../models/report/tracking-code.ts";
import { ltr } from "../../core/format.ts";
import sharp from "sharp";
import { tinyPhoto } from "../support/photo-bytes.ts";

useTestDb();

describe("citizen files a report (Telegram, Persian)", () => {
  it("walks category → description → location → photo → contact → summary → submit, stores it and alerts staff", async () => {
    const tb = createTestBot();
    const sara = tb.citizen(5001, { firstName: "Sara", username: "sara_k" });
    const photoBytes = tinyPhoto(1);
    tb.api.addFile("photo-1", photoBytes);

    await sara.text("/start");
    const welcome = tb.api.callsOf("sendMessage").at(-1)!;
    expect(welcome.payload.text).toContain("Sara گرامی، به سامانه ۱۳۷ شهرداری خوش آمدید");
    const keyboard = (welcome.payload.reply_markup as { keyboard: { text: string }[][] }).keyboard
      .flat()
      .map((b) => b.text);
    expect(keyboard).toEqual([
      "📝 ثبت گزارش جدید",
      "🔎 پیگیری گزارش",
      "📋 گزارش‌های من",
      "❓ راهنما",
      "📍 گزارش‌های نزدیک من",
    ]);

    await sara.text("📝 ثبت گزارش جدید");
    expect(sara.lastReply()).toBe("چه نوع مشکلی را می‌خواهید گزارش کنید؟");
    await sara.press("نشت آب و فاضلاب");
    expect(tb.api.callsOf("answerCallbackQuery").at(-1)!.payload.text).toBe("نشت آب و فاضلاب");
    expect(sara.lastReply()).toContain("مشکل را در چند جمله شرح دهید");

    await sara.text("  لوله آب جلوی مدرسه شکسته و آب در خیابان جاری است  ");
    expect(sara.lastReply()).toContain("محل مشکل کجاست؟");
    const locationAsk = tb.api.callsOf("sendMessage").at(-1)!;
    expect(locationAsk.payload.reply_markup).toMatchObject({
      keyboard: [[{ text: "📍 ارسال موقعیت من", request_location: true }]],
      one_time_keyboard: true,
    });

    await sara.location(35.8327, 50.9915);
    expect(sara.lastReply()).toContain("حداکثر ۳ عکس");
    await sara.photo("photo-1", photoBytes.byteLength);
    expect(sara.lastReply()).toContain("عکس ۱ از ۳ دریافت شد");
    await sara.press("✅ تمام");
    expect(sara.lastReply()).toContain("شماره تلفن");
    await sara.contact("+989121234567");
    const summary = sara.lastReply();
    expect(summary).toContain("دسته: نشت آب و فاضلاب");
    expect(summary).toContain("شرح: لوله آب جلوی مدرسه شکسته و آب در خیابان جاری است");
    expect(summary).toContain(`موقعیت: ${ltr("35.83270")}، ${ltr("50.99150")}`);
    expect(summary).toContain("عکس‌ها: ۱");
    expect(summary).toContain(`تلفن: ${ltr("+989121234567")}`);

    await sara.press("✅ ثبت");
    const done = sara.lastReply();
    const code = /کد رهگیری: \u200e(\d{4})-(\d{4})/.exec(done);
    expect(code).not.toBeNull();
    const plainCode = `${code![1]}${code![2]}`;
    expect(isValidCode(plainCode)).toBe(true);

    // Stored in MongoDB with the platform, the photo copied to GridFS.
    const reports = await Report.find({}).lean();
    expect(reports).toHaveLength(1);
    const r = reports[0]!;
    expect(r).toMatchObject({
      code: plainCode,
      platform: "telegram",
      status: "new",
      categoryKey: "water",
      department: "water",
      description: "لوله آب جلوی مدرسه شکسته و آب در خیابان جاری است",
      hasCoordinates: true,
      citizen: { userId: 5001, chatId: 5001, name: "Sara", username: "sara_k", phone: "+989121234567", locale: "fa" },
      staffChat: { platform: "telegram", chatId: STAFF_CHAT },
    });
    expect(r.location!.coordinates).toEqual([50.9915, 35.8327]);
    expect(r.history.map((h) => h.to)).toEqual(["new"]);
    expect(r.resolveDueAt.getTime() - r.createdAt.getTime()).toBe(12 * 3_600_000);
    expect(r.photos).toHaveLength(1);
    // GridFS holds a re-encoded copy (photo-clean.ts), never the messenger's bytes.
    const storedPhoto = await readPhoto(r.photos[0]!.gridfsId!);
    expect((await sharp(storedPhoto).metadata()).format).toBe("jpeg");
    expect(storedPhoto.equals(Buffer.from(photoBytes))).toBe(false);
    expect(tb.api.downloads).toEqual(["photos/photo-1"]);

    // Staff alert queued in the outbox as one row, sent by the dispatcher: photos, the card with its buttons, the pin.
    expect(await Outbox.countDocuments({ status: "pending" })).toBe(1);
    tb.api.clearCalls();
    expect(await tb.dispatcher.drainOnce()).toBe(1);
    expect(tb.api.calls).toHaveLength(3);
    const [photos, card, pin] = tb.api.calls;
    const shown = `${code![1]}-${code![2]}`;
    expect(photos).toMatchObject({
      method: "sendPhoto",
      payload: { chat_id: STAFF_CHAT, caption: `📷 عکس‌های پرونده ${ltr(shown)}` },
    });
    // The staff chat is sent the stored copy.
    expect(Buffer.from(Object.values(photos!.files)[0]!).equals(storedPhoto)).toBe(true);
    expect(card).toMatchObject({ method: "sendMessage", payload: { chat_id: STAFF_CHAT, parse_mode: "HTML" } });
    const text = String(card!.payload.text);
    expect(text).toContain(`📋 پرونده <b>${ltr(shown)}</b> — دریافت شد`);
    expect(text).toContain("نشت آب و فاضلاب · منطقه ۱ (شمال غرب)");
    expect(text).toContain("لوله آب جلوی مدرسه شکسته و آب در خیابان جاری است");
    // The group sees the number masked; the whole number only via "📞 Contact citizen", in private.
    expect(text).toContain(`👤 Sara ${ltr("@sara_k")} ${ltr("+98 912 *** 4567")}`);
    expect(text).not.toContain("1234567");
    const buttons = (
      card!.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual([
      "🙋 برعهده می‌گیرم",
      "👥 واگذاری…",
      "🛠 در حال انجام",
      "✅ رسیدگی شد",
      "⛔ رد",
      "🔗 تکراری",
      "💬 پیام به شهروند",
      "❓ پرسش از شهروند",
      "📝 یادداشت داخلی",
      "📍 ثبت بازدید",
      "📞 تماس با شهروند",
    ]);
    expect(buttons[0]!.callback_data).toBe(`c:${r._id.toHexString()}:take`);
    expect(pin).toMatchObject({
      method: "sendLocation",
      payload: { chat_id: STAFF_CHAT, latitude: 35.8327, longitude: 50.9915 },
    });
    expect(await Outbox.countDocuments({ status: "sent" })).toBe(1);
    // The card's message id is kept, so staff actions can edit it in place; the alert row is off the report.
    const stored = await Report.findById(r._id).lean();
    expect(stored!.pendingOutbox).toEqual([]);
    expect(stored!.card).toMatchObject({ platform: "telegram", chatId: STAFF_CHAT, superseded: [] });
    expect(stored!.card!.messageId).toBeGreaterThan(0);
    expect(stored).toMatchObject({ regionKey: "r1", needsLocationCheck: false });
  });
});
