import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot } from "../support/test-bot.ts";
import { fileReport, fillReport, KARAJ } from "../support/intake-steps.ts";
import { Report } from "../../models/report/report.ts";
import { BotState } from "../../models/infra/kv-store.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { ltr } from "../../core/format.ts";
import { readPhoto } from "../../models/report/photos.ts";
import { tinyPhoto } from "../support/photo-bytes.ts";
import { submitDraft } from "../../scenes/report/submit.ts";
import type { Draft } from "../../scenes/report/draft.ts";

useTestDb({ cleanEach: true });

const STEPS_BEFORE_CANCEL: [
  string,
  (sim: ReturnType<ReturnType<typeof createTestBot>["citizen"]>) => Promise<unknown>,
][] = [
  ["category", async () => undefined],
  ["description", async (s) => s.press("زباله و نظافت")],
  ["location", async (s) => s.text("زباله‌ها سه روز است جمع نشده")],
  ["photos", async (s) => s.location(KARAJ.lat, KARAJ.lon)],
  ["contact", async (s) => s.press("⏭ بدون عکس")],
  ["summary", async (s) => s.text("رد شدن")],
];

describe("intake lifecycle", () => {
  it("/cancel works at every step, stores nothing and clears the form state", async () => {
    const tb = createTestBot();
    for (const [i, [step]] of STEPS_BEFORE_CANCEL.entries()) {
      const sim = tb.citizen(7000 + i);
      await sim.text("/new");
      for (const [, advance] of STEPS_BEFORE_CANCEL.slice(0, i + 1)) await advance(sim);
      await sim.text("/cancel");
      expect(sim.lastReply(), `cancel at ${step}`).toBe("ثبت گزارش لغو شد. چیزی ارسال نشد.");
      expect(await BotState.countDocuments({ _id: `conversation:telegram:${sim.chatId}` }), `state at ${step}`).toBe(0);
      // After cancelling, the bot is out of the form: a text gets the ordinary menu answer.
      await sim.text("سلام");
      expect(sim.lastReply()).toBe("لطفاً از منوی زیر استفاده کنید یا \u200e/help را بفرستید.");
    }
    const sim = tb.citizen(7100);
    await sim.text("/cancel");
    expect(sim.lastReply()).toBe("چیزی برای لغو وجود ندارد.");
    await sim.text("/new");
    await sim.press("زباله و نظافت");
    await sim.text("/cancel");
    // The Cancel button on the summary does the same.
    const other = tb.citizen(7101);
    await fillReport(tb, other);
    await other.press("❌ لغو");
    expect(other.lastReply()).toBe("ثبت گزارش لغو شد. چیزی ارسال نشد.");
    expect(await Report.countDocuments({})).toBe(0);
  });

  it("a restart mid-form (new Bot instance, same DB) continues where the citizen was", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(7200);
    await sim.text("/new");
    await sim.press("نشت آب و فاضلاب");
    await sim.text("آب از زیر آسفالت بیرون می‌زند");
    const stored = await BotState.findById(`conversation:telegram:${sim.chatId}`).lean();
    expect(stored).not.toBeNull();
    expect(stored!.value!.length).toBeGreaterThan(100);

    tb.restart();
    await sim.location(KARAJ.lat, KARAJ.lon);
    expect(sim.lastReply()).toContain("حداکثر ۳ عکس");
    // A button drawn before the restart still works: its form key is in the stored state.
    await sim.press("⏭ بدون عکس");
    tb.restart();
    await sim.text("رد شدن");
    expect(sim.lastReply()).toContain("شرح: آب از زیر آسفالت بیرون می‌زند");
    tb.restart();
    await sim.press("✅ ثبت");
    expect(sim.lastReply()).toMatch(/کد رهگیری: \u200e\d{4}-\d{4}/);
    expect(await Report.countDocuments({ "citizen.userId": 7200 })).toBe(1);
  });

  it("a double tap on Submit and a redelivered update make one report", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(7300);
    await fillReport(tb, sim);
    const submit = sim.findButton("✅ ثبت")!;
    const first = await sim.callback(submit);
    const code = /کد رهگیری: \u200e(\d{4}-\d{4})/.exec(sim.lastReply())![1]!;
    await sim.callback(submit);
    expect(tb.api.callsOf("answerCallbackQuery").at(-1)!.payload).toMatchObject({
      text: `این گزارش قبلاً ثبت شده است. کد رهگیری: ${ltr(code)}`,
      show_alert: true,
    });
    // The very same update again (webhook retry, runner redelivery).
    await tb.bot.handleUpdate(first);
    expect(tb.api.callsOf("answerCallbackQuery").at(-1)!.payload).toMatchObject({ show_alert: true });
    expect(await Report.countDocuments({ "citizen.userId": 7300 })).toBe(1);
    expect(await Outbox.countDocuments({ kind: "staff_card" })).toBe(1);
  });

  it("an open report of the same kind within 50 m: the citizen may follow it instead", async () => {
    const tb = createTestBot();
    const first = tb.citizen(7400);
    const code = await fileReport(tb, first, {
      category: "چاله و خرابی آسفالت",
      description: "چاله عمیق جلوی نانوایی",
    });
    const second = tb.citizen(7401);
    await fillReport(tb, second, {
      category: "چاله و خرابی آسفالت",
      description: "یک چاله خطرناک در خیابان",
      location: { lat: KARAJ.lat + 0.0002, lon: KARAJ.lon },
    });
    const hint = second.lastReply();
    expect(hint).toContain(
      `گزارشی از همین نوع با کد ${ltr(`${code.slice(0, 4)}-${code.slice(4)}`)} در فاصله ۲۲ متری این محل باز است`,
    );
    await second.press("🔔 دنبال کردن آن گزارش");
    expect(second.lastReply()).toBe(
      `اکنون گزارش ${ltr(`${code.slice(0, 4)}-${code.slice(4)}`)} را دنبال می‌کنید و از تغییراتش باخبر می‌شوید.`,
    );
    const followed = await Report.findOne({ code }).lean();
    expect(followed!.followers).toEqual([{ platform: "telegram", userId: 7401, chatId: 7401, locale: "fa" }]);
    expect(await Report.countDocuments({})).toBe(1);

    // A different category, or farther than 50 m, files normally without a hint.
    const third = tb.citizen(7402);
    await fillReport(tb, third, {
      category: "چاله و خرابی آسفالت",
      location: { lat: KARAJ.lat + 0.001, lon: KARAJ.lon },
    });
    expect(third.lastReply()).toContain("لطفاً گزارش خود را بررسی کنید");
    const fourth = tb.citizen(7403);
    await fillReport(tb, fourth, { category: "نشت آب و فاضلاب" });
    expect(fourth.lastReply()).toContain("لطفاً گزارش خود را بررسی کنید");
    // At the very spot (under 10 m) the hint says so instead of "0 m away"; "File a separate report"
    // goes on to the summary and files a second report.
    const fifth = tb.citizen(7404);
    await fillReport(tb, fifth, { category: "چاله و خرابی آسفالت" });
    expect(fifth.lastReply()).toContain(`با کد ${ltr(`${code.slice(0, 4)}-${code.slice(4)}`)} در همین محل باز است`);
    await fifth.press("گزارش جداگانه ثبت می‌کنم");
    await fifth.press("✅ ثبت");
    expect(await Report.countDocuments({ categoryKey: "road" })).toBe(2);
  });

  it("Submit run again under the same key (a crash after the report was written, before the form was saved): that report, its photo stored once, and on the daily limit's last place still that report, not a refusal", async () => {
    const tb = createTestBot({ REPORTS_PER_DAY: "2" });
    tb.api.addFile("again-photo", tinyPhoto("again-photo"));
    const draft: Draft = {
      categoryKey: "garbage",
      description: "سطل زباله شکسته است و زباله پخش شده",
      location: KARAJ,
      address: "",
      venueTitle: "",
      photos: [{ fileId: "again-photo", fileUniqueId: "again-photo-u", mime: "image/jpeg", size: 500 }],
      phone: "",
    };
    const who = { userId: 7350, chatId: 7350, name: "Sara", username: "", locale: "fa" as const };
    const download = { api: tb.bot.api, fetch: tb.app.fetch, apiRoot: tb.app.apiRoot, token: tb.app.token };
    const photoFiles = () => mongoose.connection.db!.collection("photos.files").countDocuments({});
    const submit = (key: string) => submitDraft(tb.app, download, key, draft, who, { recountLimit: true });

    const first = await submit("again-key1");
    expect(first).toMatchObject({ ok: true, created: true });
    expect(await photoFiles()).toBe(1);
    // Room left (1 of 2): the photo is copied again before the write finds the key; that copy goes.
    expect(await submit("again-key1")).toEqual({ ...first, created: false });
    expect(await photoFiles()).toBe(1);
    const photoId = (await Report.findOne({ submissionKey: "again-key1" }).lean())!.photos[0]!.gridfsId!;
    expect(await readPhoto(photoId)).toBeInstanceOf(Buffer);

    // The second report takes the last place; run again, it counts itself against the limit and is still that report.
    const second = await submit("again-key2");
    expect(second).toMatchObject({ ok: true, created: true });
    expect(await submit("again-key2")).toEqual({ ...second, created: false });
    expect(await Report.countDocuments({ "citizen.userId": 7350 })).toBe(2);
    expect(await photoFiles()).toBe(2);
    // A new form is refused by the limit as before.
    expect(await submit("again-key3")).toEqual({ ok: false, reason: "rate_limited" });
  });

  it("the daily limit: the sixth report in 24 hours is refused with a clear message", async () => {
    const tb = createTestBot({ REPORTS_PER_DAY: "2" });
    const sim = tb.citizen(7500);
    await fileReport(tb, sim, { location: { address: "کرج، میدان آزادی" } });
    await fillReport(tb, sim, { location: { address: "کرج، میدان شهدا" } });
    // Another tab/device files meanwhile: the limit is checked again at submission.
    await Report.create({
      ...(await Report.findOne({ "citizen.userId": 7500 }).lean())!,
      _id: new mongoose.Types.ObjectId(),
      code: "19999994",
      submissionKey: "zzzzzzzzzz",
    });
    await sim.press("✅ ثبت");
    expect(sim.lastReply()).toBe(
      "شما در ۲۴ ساعت گذشته ۲ گزارش ثبت کرده‌اید که سقف روزانه است. لطفاً بعداً تلاش کنید یا برای موارد فوری با ۱۳۷ تماس بگیرید.",
    );
    await sim.text("/new");
    expect(sim.lastReply()).toContain("سقف روزانه");
    tb.clock.now = new Date(tb.clock.now.getTime() + 25 * 3_600_000);
    await sim.text("/new");
    expect(sim.lastReply()).toBe("چه نوع مشکلی را می‌خواهید گزارش کنید؟");
  });

  it("a failed photo download keeps the form; Submit again works once the file is there", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(7600);
    await sim.text("/new");
    await sim.press("زباله و نظافت");
    await sim.text("سطل زباله شکسته است و زباله پخش شده");
    await sim.location(KARAJ.lat, KARAJ.lon);
    await sim.photo("not-yet-there", 500);
    await sim.press("✅ تمام");
    await sim.text("رد شدن");
    await sim.press("✅ ثبت");
    expect(sim.lastReply()).toBe(
      "نتوانستیم یکی از عکس‌ها را از پیام‌رسان دریافت کنیم. برای تلاش دوباره «ثبت» را بزنید یا با «ویرایش» عکس‌ها را عوض کنید.",
    );
    expect(await Report.countDocuments({})).toBe(0);
    tb.api.addFile("not-yet-there", tinyPhoto("not-yet-there"));
    await sim.press("✅ ثبت");
    expect(sim.lastReply()).toMatch(/کد رهگیری: \u200e\d{4}-\d{4}/);
    expect(await Report.countDocuments({})).toBe(1);
  });

  it("a compressed photo whose bytes are no picture: Submit says so, stores nothing (not the good photo either), and Edit → Photos mends the form", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(7700);
    const gridFsFiles = () => mongoose.connection.db!.collection("photos.files").countDocuments({});
    await sim.text("/new");
    await sim.press("زباله و نظافت");
    await sim.text("سطل زباله شکسته است و زباله پخش شده");
    await sim.location(KARAJ.lat, KARAJ.lon);
    // Sent as photos, so not downloaded (nor checked) until Submit.
    tb.api.addFile("good", tinyPhoto("good"));
    await sim.photo("good", 60);
    tb.api.addFile("not-a-picture", Buffer.from("a messenger that handed over the wrong file"));
    await sim.photo("not-a-picture", 43);
    expect(sim.lastReply()).toContain("عکس ۲ از ۳ دریافت شد");
    await sim.press("✅ تمام");
    await sim.text("رد شدن");
    await sim.press("✅ ثبت");
    expect(sim.lastReply()).toBe("یکی از عکس‌ها به‌صورت تصویر باز نشد. با «ویرایش» عکس‌ها را عوض کنید.");
    expect(await Report.countDocuments({})).toBe(0);
    expect(await gridFsFiles()).toBe(0);
    // Submit again: refused again, still nothing stored.
    await sim.press("✅ ثبت");
    expect(sim.lastReply()).toBe("یکی از عکس‌ها به‌صورت تصویر باز نشد. با «ویرایش» عکس‌ها را عوض کنید.");
    expect(await gridFsFiles()).toBe(0);

    // The form is still there: Edit → Photos, another photo, and Submit files it.
    await sim.press("✏️ ویرایش");
    await sim.press("عکس‌ها");
    expect(sim.lastReply()).toContain("حداکثر ۳ عکس");
    tb.api.addFile("better", tinyPhoto("better"));
    await sim.photo("better", 60);
    await sim.press("✅ تمام");
    expect(sim.lastReply()).toContain("عکس‌ها: ۱");
    expect(sim.lastReply()).toContain("شرح: سطل زباله شکسته است و زباله پخش شده");
    await sim.press("✅ ثبت");
    expect(sim.lastReply()).toMatch(/کد رهگیری: \u200e\d{4}-\d{4}/);
    const r = (await Report.findOne({ "citizen.userId": 7700 }).lean())!;
    expect(r.photos.map((p) => [p.fileId, p.mime])).toEqual([["better", "image/jpeg"]]);
    expect(r.photos[0]!.size).toBe((await readPhoto(r.photos[0]!.gridfsId!)).byteLength);
    expect(await gridFsFiles()).toBe(1);
  });
});
