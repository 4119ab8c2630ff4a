import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { ltr } from "../../core/format.ts";
import { createTestBot, STAFF_CHAT, type TestBot } from "../support/test-bot.ts";
import { fileReport, KARAJ } from "../support/intake-steps.ts";
import { drainCardRedraws } from "../support/card-redraws.ts";
import { Report } from "../../models/report/report.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { generateCode } from "../../models/report/tracking-code.ts";
import mongoose, { type Types } from "mongoose";
import sharp from "sharp";
import { readPhoto } from "../../models/report/photos.ts";
import { tinyPhoto } from "../support/photo-bytes.ts";

useTestDb({ cleanEach: true });

const OMID = 900;
const persian = (code: string) => code.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
const fmt = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
/** A code as Persian text shows it: between LRM marks, so it reads as typed. */
const shown = (code: string) => ltr(fmt(code));

async function setup(): Promise<{ tb: TestBot; omid: ReturnType<TestBot["member"]> }> {
  // No region chats configured: cards fall back to STAFF_CHAT_ID.
  await upsertStaff({ platform: "telegram", userId: OMID, name: "Omid", role: "official", regions: ["r1", "r3"] });
  const tb = createTestBot();
  return { tb, omid: tb.member(OMID, STAFF_CHAT, { firstName: "Omid" }) };
}

describe("case card actions", () => {
  it("when the messenger refuses to edit the card, a new card is posted and the old one marked superseded", async () => {
    const { tb, omid } = await setup();
    const code = await fileReport(tb, tb.citizen(5200));
    await tb.dispatcher.drainOnce();
    const oldId = (await Report.findOne({ code }).lean())!.card!.messageId;
    tb.api.fail("editMessageText", { error_code: 400, description: "Bad Request: message to edit not found" });
    tb.api.clearCalls();
    await omid.press("🙋 برعهده می‌گیرم");
    await drainCardRedraws(tb);
    const fresh = tb.api.callsOf("sendMessage").at(-1)!;
    expect(fresh.payload.chat_id).toBe(STAFF_CHAT);
    expect(String(fresh.payload.text)).toContain("🧑‍🔧 مسئول: Omid");
    const r = await Report.findOne({ code }).lean();
    expect(r!.card!.messageId).not.toBe(oldId);
    expect(r!.card!.superseded).toEqual([oldId]);
    expect(tb.api.callsOf("editMessageText").at(-1)!.payload).toMatchObject({
      message_id: oldId,
      text: "⤵️ این کارت قدیمی است؛ کارت جدیدتر را در پایین ببینید.",
    });
    // The next action edits the new card.
    await omid.press("🛠 در حال انجام");
    await drainCardRedraws(tb);
    expect(tb.api.callsOf("editMessageText").at(-1)!.payload).toMatchObject({ message_id: r!.card!.messageId });
  });

  it("duplicate of another open case: linked, closed, and its reporter follows the original", async () => {
    const { tb, omid } = await setup();
    const original = await fileReport(tb, tb.citizen(5201), {
      category: "زباله و نظافت",
      location: { lat: KARAJ.lat, lon: KARAJ.lon },
    });
    const second = tb.citizen(5202);
    // Far enough apart for no duplicate hint at intake; staff know better.
    const dup = await fileReport(tb, second, {
      category: "زباله و نظافت",
      location: { lat: KARAJ.lat + 0.01, lon: KARAJ.lon },
    });
    await tb.dispatcher.drainOnce();
    await omid.press("🔗 تکراری");
    await omid.text("کد ۱۲");
    expect(omid.lastReply()).toBe(`این کد رهگیری معتبر نیست. کدی مانند ${ltr("1234-5678")} بنویسید.`);
    await omid.text(generateCode(() => 0.999));
    expect(omid.lastReply()).toBe("پرونده بازی با این کد وجود ندارد.");
    await omid.press("🔗 تکراری");
    await omid.text(persian(fmt(original)));
    expect(omid.lastReply()).toBe(`پرونده ${shown(dup)} تکراری ثبت شد؛ دنبال‌کنندگانش به پرونده اصلی منتقل شدند.`);
    const d = await Report.findOne({ code: dup }).lean();
    expect(d).toMatchObject({ status: "duplicate", duplicateOf: original });
    const o = await Report.findOne({ code: original }).lean();
    expect(o!.followers).toEqual([{ platform: "telegram", userId: 5202, chatId: 5202, locale: "fa" }]);
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    expect(second.replies()).toEqual([
      `خبر تازه درباره گزارش ${shown(dup)}: به‌عنوان تکراری ادغام شد.\nاین همان مشکل گزارش ${shown(original)} است؛ از این پس خبرهای آن گزارش را دریافت می‌کنید.`,
    ]);
    // From now on the second citizen hears about the original: as its follower, not its reporter.
    await omid.callback(`c:${o!._id.toHexString()}:take`);
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    expect(second.replies()).toEqual([
      `خبر تازه درباره گزارشی که دنبال می‌کنید (کد ${shown(original)}): به کارشناس واگذار شد.`,
    ]);
  });

  it("a note to the citizen reaches them; an internal note stays inside", async () => {
    const { tb, omid } = await setup();
    const sara = tb.citizen(5203);
    const code = await fileReport(tb, sara);
    await tb.dispatcher.drainOnce();
    await omid.press("💬 پیام به شهروند");
    await omid.text("تیم فنی فردا صبح اعزام می‌شود");
    await omid.press("📝 یادداشت داخلی");
    await omid.text("پیمانکار: شرکت آبرسان، قرارداد ۴۴۲");
    const r = await Report.findOne({ code }).lean();
    expect(r!.history.slice(-2).map((h) => [h.kind, h.note, h.public])).toEqual([
      ["note", "تیم فنی فردا صبح اعزام می‌شود", true],
      ["note", "پیمانکار: شرکت آبرسان، قرارداد ۴۴۲", false],
    ]);
    expect(r!.status).toBe("new");
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    expect(sara.replies()).toEqual([`💬 پیام شهرداری درباره گزارش ${shown(code)}: تیم فنی فردا صبح اعزام می‌شود`]);
    expect(await Outbox.countDocuments({ "payload.note": /پیمانکار/ })).toBe(0);
    // The citizen's /status shows the public note only.
    await sara.text(`/status ${code}`);
    expect(sara.lastReply()).toContain("تیم فنی فردا صبح اعزام می‌شود");
    expect(sara.lastReply()).not.toContain("پیمانکار");
  });

  it("an 'after' photo that is no picture: the case is not resolved, the official is told why, nothing is stored; another photo then resolves it", async () => {
    const { tb, omid } = await setup();
    const sara = tb.citizen(5204);
    const code = await fileReport(tb, sara, { category: "زباله و نظافت", location: KARAJ });
    await tb.dispatcher.drainOnce();
    const files = () => mongoose.connection.db!.collection("photos.files").countDocuments({});
    const before = await files(); // the report's own photos, if any

    await omid.press("✅ رسیدگی شد");
    await omid.text("سطل‌ها تخلیه و محل شسته شد");
    // Sent as a PNG file, but the bytes are text.
    const notAPicture = Buffer.from("minutes of the meeting, saved as after.png");
    tb.api.addFile("after-fake", notAPicture);
    await omid.document("after-fake", "image/png", notAPicture.byteLength);
    expect(omid.lastReply()).toBe(
      "عکس «پس از رسیدگی» به‌صورت تصویر باز نشد؛ پرونده رسیدگی‌شده ثبت نشد. دوباره «✅ رسیدگی شد» را بزنید و عکس دیگری بفرستید یا «بدون عکس» را بزنید.",
    );
    let r = await Report.findOne({ code }).lean();
    expect(r!.status).toBe("new");
    expect(r!.afterPhotoId ?? null).toBeNull();
    expect(r!.history.some((h) => h.to === "resolved")).toBe(false);
    expect(await files()).toBe(before);
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    expect(sara.replies()).toEqual([]);

    const after = tinyPhoto("after-real");
    tb.api.addFile("after-real", after);
    await omid.press("✅ رسیدگی شد");
    await omid.text("سطل‌ها تخلیه و محل شسته شد");
    await omid.photo("after-real", after.byteLength);
    expect(omid.lastReply()).toBe(`پرونده ${shown(code)} رسیدگی‌شده ثبت شد؛ به شهروند خبر داده شد و نظرش پرسیده شد.`);
    r = await Report.findOne({ code }).lean();
    expect(r!.status).toBe("resolved");
    const stored = await readPhoto(r!.afterPhotoId as Types.ObjectId);
    expect((await sharp(stored).metadata()).format).toBe("jpeg");
    expect(stored.equals(Buffer.from(after))).toBe(false);
    expect(await files()).toBe(before + 1);
  });
});
