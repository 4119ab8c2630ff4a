import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot } from "../support/test-bot.ts";
import { KARAJ } from "../support/intake-steps.ts";
import { Report } from "../../models/report/report.ts";
import { ltr } from "../../core/format.ts";
import { readPhoto } from "../../models/report/photos.ts";
import { tinyPhoto } from "../support/photo-bytes.ts";

useTestDb({ cleanEach: true });

/** Every wrong answer gets a clear message and the same step again; nothing crashes or is dropped. */
describe("intake validation", () => {
  it("category: text, stickers and forged buttons get the hint or an alert", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(6001);
    await sim.text("/new");
    await sim.text("آب");
    expect(sim.lastReply()).toBe("لطفاً یکی از دسته‌ها را با دکمه‌های بالا انتخاب کنید.");
    await sim.sticker();
    expect(sim.lastReply()).toBe("لطفاً یکی از دسته‌ها را با دکمه‌های بالا انتخاب کنید.");
    const real = sim.findButton("نشت آب و فاضلاب")!;
    // Same form key, unknown category: a forged button.
    await sim.callback(real.replace(/cat:\w+$/, "cat:nuclear"));
    expect(tb.api.callsOf("answerCallbackQuery").at(-1)!.payload).toMatchObject({});
    expect(sim.lastReply()).toBe("لطفاً یکی از دسته‌ها را با دکمه‌های بالا انتخاب کنید.");
    // Another form's key: stale.
    await sim.callback("r:0000000000:cat:water");
    expect(tb.api.callsOf("answerCallbackQuery").at(-1)!.payload).toMatchObject({
      text: "این دکمه مربوط به پیام قدیمی‌تری است.",
      show_alert: true,
    });
    await sim.callback("garbage-data");
    expect(tb.api.callsOf("answerCallbackQuery").at(-1)!.payload).toMatchObject({ show_alert: true });
    await sim.press("نشت آب و فاضلاب");
    expect(sim.lastReply()).toContain("مشکل را در چند جمله شرح دهید");
  });

  it("a live location shared at the location step keeps updating: the updates are not answered, the form goes on", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(6010);
    await sim.text("/new");
    await sim.press("زباله و نظافت");
    await sim.text("سطل زباله سر کوچه چند روز است خالی نشده");
    const locationMessage = sim.nextMessageId;
    await sim.location(KARAJ.lat, KARAJ.lon, { livePeriod: 3600 });
    const asked = sim.replies().length;
    const now = Math.floor(Date.now() / 1000);
    for (let i = 1; i <= 5; i++)
      await sim.editLocation(locationMessage, KARAJ.lat + i / 10_000, KARAJ.lon, now + i * 30);
    expect(sim.replies()).toHaveLength(asked);
    // An edited text is not an answer either.
    await sim.send({
      edited_message: {
        message_id: 1,
        date: now,
        edit_date: now + 5,
        chat: { id: 6010, type: "private", first_name: "Sara" },
        from: sim.user,
        text: "edited",
      },
    });
    expect(sim.replies()).toHaveLength(asked);
    await sim.press("⏭ بدون عکس");
    expect(sim.lastReply()).toContain("شماره تلفن");
  });

  it("description: too short, too long, not text, commands and menu presses", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(6002);
    await sim.text("/new");
    await sim.press("زباله و نظافت");
    await sim.text("   کوتاه  ");
    expect(sim.lastReply()).toBe("این متن کوتاه است (۵ حرف). لطفاً دست‌کم ۱۰ حرف بنویسید.");
    await sim.text("x".repeat(1001));
    expect(sim.lastReply()).toBe("این متن بلند است (۱٬۰۰۱ حرف). لطفاً کمتر از ۱۰۰۰ حرف بنویسید.");
    await sim.voice();
    expect(sim.lastReply()).toBe("لطفاً شرح مشکل را به‌صورت متن بفرستید.");
    await sim.photo("p");
    expect(sim.lastReply()).toBe("لطفاً شرح مشکل را به‌صورت متن بفرستید.");
    await sim.text("/status 12345678");
    expect(sim.lastReply()).toBe(
      "شما در میانه ثبت یک گزارش هستید. این مرحله را کامل کنید یا برای توقف \u200e/cancel را بفرستید.\nلطفاً شرح مشکل را به‌صورت متن بفرستید.",
    );
    await sim.text("📝 ثبت گزارش جدید");
    expect(sim.lastReply()).toContain("شما در میانه ثبت یک گزارش هستید");
    await sim.text("x".repeat(1000));
    expect(sim.lastReply()).toContain("محل مشکل کجاست؟");
  });

  it("location: outside the service area is refused, short address refused, venue and typed address accepted", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(6003);
    await sim.text("/new");
    await sim.press("روشنایی معابر");
    await sim.text("چراغ‌های کوچه سوم خاموش است");
    await sim.press("⏭ رد شدن"); // street lighting's optional pole number
    await sim.location(35.6892, 51.389); // Tehran: outside Karaj's box
    expect(sim.lastReply()).toBe(
      "این موقعیت خارج از محدوده خدمات شهر است. لطفاً موقعیتی داخل شهر بفرستید یا نشانی را تایپ کنید.",
    );
    // The one-time location keyboard comes back with the retry.
    expect(tb.api.callsOf("sendMessage").at(-1)!.payload.reply_markup).toMatchObject({
      keyboard: [[{ request_location: true }]],
    });
    await sim.text("کوچه");
    expect(sim.lastReply()).toBe("لطفاً نشانی کامل‌تری بنویسید (دست‌کم ۵ حرف) یا موقعیت را بفرستید.");
    await sim.sticker();
    expect(sim.lastReply()).toBe("لطفاً موقعیت را بفرستید یا نشانی را به‌صورت متن بنویسید.");
    await sim.venue(KARAJ.lat, KARAJ.lon, "پارک ارم", "خیابان بهار");
    expect(sim.lastReply()).toContain("حداکثر ۳ عکس");
    await sim.press("⏭ بدون عکس");
    await sim.text("رد شدن");
    expect(sim.lastReply()).toContain(`موقعیت: پارک ارم — ${ltr("35.83270")}، ${ltr("50.99150")}`);
  });

  it("typed address is kept and flagged as having no coordinates", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(6004);
    await sim.text("/new");
    await sim.press("سایر موارد");
    await sim.text("تابلو خیابان افتاده و خطرناک است");
    await sim.text("کرج، گوهردشت، بلوار موذن");
    await sim.press("⏭ بدون عکس");
    await sim.text("رد شدن");
    expect(sim.lastReply()).toContain("موقعیت: کرج، گوهردشت، بلوار موذن (فقط نشانی، بدون مختصات)");
    await sim.press("✅ ثبت");
    const r = await Report.findOne({ "citizen.userId": 6004 }).lean();
    expect(r).toMatchObject({ hasCoordinates: false, address: "کرج، گوهردشت، بلوار موذن" });
    expect(r!.location).toBeUndefined();
  });

  it("photos: too large, not an image, image documents count, at most three", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(6005);
    for (const id of ["a", "b", "c"]) tb.api.addFile(id, tinyPhoto(id));
    await sim.text("/new");
    await sim.press("فضای سبز و درختان");
    await sim.text("درخت بزرگ روی پیاده‌رو افتاده است");
    await sim.location(KARAJ.lat, KARAJ.lon);
    await sim.document("pdf", "application/pdf");
    expect(sim.lastReply()).toBe("این فایل تصویر نیست. لطفاً عکس بفرستید.");
    await sim.document("huge", "image/png", 11 * 1024 * 1024);
    expect(sim.lastReply()).toBe("حجم این عکس بیش از ۱۰ مگابایت است. لطفاً عکس کوچک‌تری بفرستید.");
    await sim.text("سلام");
    expect(sim.lastReply()).toBe("لطفاً عکس بفرستید یا «تمام» / «بدون عکس» را بزنید.");
    await sim.photo("a", 100);
    await sim.document("b", "image/png", 100);
    expect(sim.lastReply()).toContain("عکس ۲ از ۳ دریافت شد");
    await sim.photo("c", 100);
    // The third photo ends the step by itself.
    expect(sim.lastReply()).toContain("شماره تلفن");
    await sim.contact("+989120000000", 999); // someone else's contact card
    expect(sim.lastReply()).toBe("لطفاً شماره خودتان را با دکمه زیر بفرستید یا «رد شدن» را بزنید.");
    await sim.voice();
    expect(sim.lastReply()).toBe("لطفاً دکمه «📞 ارسال شماره من» یا «رد شدن» را بزنید.");
    await sim.contact("+989120000005");
    expect(sim.lastReply()).toContain("عکس‌ها: ۳");
    await sim.press("✅ ثبت");
    const r = await Report.findOne({ "citizen.userId": 6005 }).lean();
    // The report describes what GridFS holds: the cleaned JPEG, whatever type and size was sent (the PNG file too).
    expect(r!.photos.map((p) => [p.fileId, p.mime])).toEqual([
      ["a", "image/jpeg"],
      ["b", "image/jpeg"],
      ["c", "image/jpeg"],
    ]);
    for (const p of r!.photos) {
      const stored = await readPhoto(p.gridfsId!);
      expect(p.size).toBe(stored.byteLength);
      expect(stored.equals(Buffer.from(tinyPhoto(p.fileId)))).toBe(false);
    }
  });

  it("summary: edit goes back to the chosen step and returns to the summary", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(6006);
    await sim.text("/new");
    await sim.press("چاله و خرابی آسفالت");
    await sim.text("چاله بزرگ وسط خیابان اصلی");
    await sim.location(KARAJ.lat, KARAJ.lon);
    await sim.press("⏭ بدون عکس");
    await sim.text("رد شدن");
    await sim.sticker();
    expect(sim.lastReply()).toBe("لطفاً با دکمه‌های بالا «ثبت»، «ویرایش» یا «لغو» را انتخاب کنید.");
    await sim.press("✏️ ویرایش");
    expect(sim.lastReply()).toBe("کدام بخش را می‌خواهید تغییر دهید؟");
    await sim.press("شرح");
    await sim.text("چاله بسیار بزرگ وسط خیابان اصلی، خطر تصادف");
    expect(sim.lastReply()).toContain("شرح: چاله بسیار بزرگ وسط خیابان اصلی، خطر تصادف");
    await sim.press("✏️ ویرایش");
    await sim.press("دسته");
    await sim.press("علائم و چراغ راهنمایی");
    expect(sim.lastReply()).toContain("دسته: علائم و چراغ راهنمایی");
    await sim.press("✏️ ویرایش");
    await sim.press("↩️ بازگشت به خلاصه");
    await sim.press("✅ ثبت");
    const r = await Report.findOne({ "citizen.userId": 6006 }).lean();
    expect(r).toMatchObject({ categoryKey: "traffic", description: "چاله بسیار بزرگ وسط خیابان اصلی، خطر تصادف" });
  });

  it("English citizens get the whole form in English", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(6007, { languageCode: "en" });
    await sim.text("/new");
    expect(sim.lastReply()).toBe("What kind of problem do you want to report?");
    await sim.press("Street lighting");
    await sim.text("short");
    expect(sim.lastReply()).toBe("That is too short (5 characters). Please write at least 10 characters.");
    await sim.text("The lamp post at the corner is dark");
    await sim.press("⏭ Skip"); // street lighting's optional pole number
    await sim.location(KARAJ.lat, KARAJ.lon);
    await sim.press("⏭ Skip photos");
    await sim.text("Skip");
    expect(sim.lastReply()).toContain("Category: Street lighting");
    await sim.press("✅ Submit");
    expect(sim.lastReply()).toMatch(/Tracking code: \d{4}-\d{4}/);
  });
});
