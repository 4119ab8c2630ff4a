import { describe, expect, it } from "vitest";
import { Types } from "mongoose";
import { useTestDb } from "../support/test-db.ts";
import { ltr } from "../../core/format.ts";
import { createTestBot, STAFF_CHAT, type TestBot } from "../support/test-bot.ts";
import { fileReport, KARAJ } from "../support/intake-steps.ts";
import { recordVisitInChat } from "../support/visit-steps.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { drainCardRedraws } from "../support/card-redraws.ts";
import { Report } from "../../models/report/report.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { Region } from "../../models/geography/region.ts";
import { deactivateStaff, upsertStaff } from "../../models/people/staff.ts";
import { readPhoto } from "../../models/report/photos.ts";
import sharp from "sharp";
import { tinyPhoto } from "../support/photo-bytes.ts";

useTestDb({ cleanEach: true });

const REGION_CHAT = -1002000000001;
const MANAGERS = -1003000000001;
const OMID = 900; // official of region r1
const MINA = 901; // manager of region r1
const STRANGER = 902; // in the chat, not staff
const REZA = 903; // official of region r2

async function setup(): Promise<{ tb: TestBot; code: string; reportId: string }> {
  await Region.updateOne({ key: "r1" }, { $set: { chat: { platform: "telegram", chatId: REGION_CHAT } } });
  await upsertStaff({ platform: "telegram", userId: OMID, name: "Omid", role: "official", regions: ["r1"] });
  await upsertStaff({ platform: "telegram", userId: MINA, name: "Mina", role: "manager", regions: ["r1"] });
  await upsertStaff({ platform: "telegram", userId: REZA, name: "Reza", role: "official", regions: ["r2"] });
  const tb = createTestBot({ MANAGERS_CHAT_ID: String(MANAGERS) });
  const sara = tb.citizen(5100, { firstName: "Sara" });
  const code = await fileReport(tb, sara, { description: "لوله آب جلوی مدرسه شکسته است", location: KARAJ });
  const report = await Report.findOne({ code }).lean();
  await tb.dispatcher.drainOnce();
  return { tb, code, reportId: report!._id.toHexString() };
}

const lastAlert = (tb: TestBot) => tb.api.callsOf("answerCallbackQuery").at(-1)!.payload;
const buttons = (call: ApiCall) =>
  ((call.payload.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.text);

describe("the staff side of a case", () => {
  it("routes to the region chat; an official takes it, asks the citizen, resolves with a photo; 'not fixed' reopens and escalates", async () => {
    const { tb, code, reportId } = await setup();
    // As the fa translator shows a code: between LRM marks.
    const shown = ltr(`${code.slice(0, 4)}-${code.slice(4)}`);
    // Routed by point-in-polygon to region r1's chat, not the fallback STAFF_CHAT.
    const card = tb.api.callsOf("sendMessage").find((c) => c.payload.chat_id === REGION_CHAT)!;
    expect(card).toBeDefined();
    expect(tb.api.calls.some((c) => c.payload.chat_id === STAFF_CHAT)).toBe(false);
    let r = await Report.findById(reportId).lean();
    expect(r).toMatchObject({
      regionKey: "r1",
      staffChat: { platform: "telegram", chatId: REGION_CHAT },
      card: { chatId: REGION_CHAT },
    });
    const cardMessageId = r!.card!.messageId;

    // Omid takes it: card edited in place, citizen told.
    const omid = tb.member(OMID, REGION_CHAT, { firstName: "Omid" });
    tb.clock.now = new Date(tb.clock.now.getTime() + 30 * 60_000);
    await omid.press("🙋 برعهده می‌گیرم");
    expect(lastAlert(tb)).toMatchObject({ text: `پرونده ${shown} را برعهده گرفتید.` });
    await drainCardRedraws(tb);
    const edit = tb.api.callsOf("editMessageText").at(-1)!;
    expect(edit.payload).toMatchObject({ chat_id: REGION_CHAT, message_id: cardMessageId, parse_mode: "HTML" });
    expect(String(edit.payload.text)).toContain(`📋 پرونده <b>${shown}</b> — به کارشناس واگذار شد`);
    expect(String(edit.payload.text)).toContain("🧑‍🔧 مسئول: Omid");
    r = await Report.findById(reportId).lean();
    expect(r).toMatchObject({
      status: "assigned",
      assignee: { platform: "telegram", userId: OMID, name: "Omid" },
      firstResponseAt: tb.clock.now,
    });
    expect(r!.history.map((h) => [h.kind, h.to, h.by.name])).toEqual([
      ["status", "new", "Sara"],
      ["assign", "assigned", "Omid"],
    ]);

    // Omid asks the citizen a question through a force-reply prompt.
    tb.api.clearCalls();
    await omid.press("❓ پرسش از شهروند");
    const prompt = tb.api.callsOf("sendMessage").at(-1)!;
    expect(prompt.payload).toMatchObject({
      chat_id: REGION_CHAT,
      parse_mode: "HTML",
      reply_markup: { force_reply: true, selective: true },
    });
    expect(String(prompt.payload.text)).toContain(
      `<a href="tg://user?id=${OMID}">Omid</a>، پرسش خود از شهروند پرونده ${shown}`,
    );
    await omid.text("دقیقاً کدام ورودی مدرسه؟");
    expect(omid.lastReply()).toBe(`پرسش برای شهروند پرونده ${shown} فرستاده شد. پاسخش همین‌جا نمایش داده می‌شود.`);
    await drainCardRedraws(tb);
    r = await Report.findById(reportId).lean();
    expect(r!.infoRequest).toMatchObject({ question: "دقیقاً کدام ورودی مدرسه؟", askedBy: "Omid" });
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    // The "assigned" update from the take, then the question, in order.
    expect(tb.api.calls.map((c) => [c.method, c.payload.chat_id])).toEqual([
      ["sendMessage", 5100],
      ["sendMessage", 5100],
    ]);
    expect(tb.api.calls[0]!.payload.text).toBe(`خبر تازه درباره گزارش ${shown}: به کارشناس واگذار شد.`);
    expect(String(tb.api.calls[1]!.payload.text)).toContain("دقیقاً کدام ورودی مدرسه؟");

    // Sara answers: attached to the case, posted under the card.
    const sara = tb.citizen(5100, { firstName: "Sara" });
    await sara.text("ورودی شمالی، کنار دکه روزنامه");
    expect(sara.lastReply()).toBe(`سپاس، پاسخ شما به گزارش ${shown} افزوده و برای کارکنان فرستاده شد.`);
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    const answer = tb.api.calls.find((c) => c.payload.chat_id === REGION_CHAT)!;
    expect(answer.payload).toMatchObject({ reply_parameters: { message_id: cardMessageId } });
    expect(String(answer.payload.text)).toContain("پاسخ: ورودی شمالی، کنار دکه روزنامه");
    r = await Report.findById(reportId).lean();
    expect(r!.infoRequest).toBeNull();
    expect(r!.history.at(-1)).toMatchObject({
      kind: "citizen_reply",
      note: "ورودی شمالی، کنار دکه روزنامه",
      public: false,
    });

    // A water leak needs an on-site visit before Resolve: Omid records one from his private chat.
    await omid.press("📍 ثبت بازدید");
    expect(await recordVisitInChat(tb, tb.citizen(OMID, { firstName: "Omid" }))).toBe(
      `✅ بازدید پرونده ${shown} ثبت شد: در محل، ۲۲ متر، موقعیت زنده، ۱ عکس.`,
    );

    // Omid resolves with a note and an "after" photo.
    const after = tinyPhoto("after-1");
    tb.api.addFile("after-1", after);
    await omid.press("✅ رسیدگی شد");
    await omid.text("لوله تعویض شد و آسفالت ترمیم شد");
    expect(omid.lastReply()).toContain("عکس «پس از رسیدگی»");
    await omid.photo("after-1", after.byteLength);
    expect(omid.lastReply()).toBe(`پرونده ${shown} رسیدگی‌شده ثبت شد؛ به شهروند خبر داده شد و نظرش پرسیده شد.`);
    r = await Report.findById(reportId).lean();
    expect(r).toMatchObject({ status: "resolved", resolvedAt: tb.clock.now });
    // GridFS holds a re-encoded copy (photo-clean.ts), never the messenger's bytes.
    const storedAfter = await readPhoto(r!.afterPhotoId as Types.ObjectId);
    expect((await sharp(storedAfter).metadata()).format).toBe("jpeg");
    expect(storedAfter.equals(Buffer.from(after))).toBe(false);
    await drainCardRedraws(tb);
    const resolvedCard = tb.api.callsOf("editMessageText").at(-1)!;
    expect(String(resolvedCard.payload.text)).toContain("— رسیدگی شد");
    expect(buttons(resolvedCard)).toEqual([]);
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    const resolution = tb.api.callsOf("sendPhoto").find((c) => c.payload.chat_id === 5100)!;
    expect(String(resolution.payload.caption)).toContain(
      `✅ گزارش ${shown} رسیدگی شد.\nلوله تعویض شد و آسفالت ترمیم شد`,
    );
    expect(Buffer.from(Object.values(resolution.files)[0]!).equals(storedAfter)).toBe(true);
    expect(buttons(resolution)).toEqual(["رفع شد ✅", "رفع نشد ❌", "۱⭐", "۲⭐", "۳⭐", "۴⭐", "۵⭐"]);

    // Sara: not fixed → reopened, priority up, escalated to managers, card redrawn.
    tb.api.clearCalls();
    await sara.press("رفع نشد ❌");
    // One message: the apology and the question what is still wrong (no second "update on report …: reopened").
    expect(sara.replies().slice(-1)).toEqual([
      `پوزش می‌خواهیم. گزارش ${shown} با اولویت بالاتر دوباره باز شد و به مدیران ارجاع شد.\n\nچه چیزی هنوز درست نیست؟ اگر مایلید توضیح یا عکسی بفرستید تا به پرونده و مدیران برسد.`,
    ]);
    r = await Report.findById(reportId).lean();
    expect(r).toMatchObject({
      status: "reopened",
      priority: 1,
      escalationLevel: 1,
      feedback: { fixed: false },
      resolvedAt: null,
    });
    await drainCardRedraws(tb);
    const reopenedCard = tb.api.callsOf("editMessageText").at(-1)!;
    expect(String(reopenedCard.payload.text)).toContain("— دوباره باز شد");
    expect(String(reopenedCard.payload.text)).toContain("🔺 اولویت ۱");
    expect(buttons(reopenedCard)).toContain("✅ رسیدگی شد");
    const queued = await Outbox.find({ status: "pending" }).lean();
    expect(queued.map((q) => [q.kind, q.chatId]).sort()).toEqual(
      [
        ["escalation", MANAGERS],
        ["staff_reopened", REGION_CHAT],
      ].sort(),
    );
    // Pressing again changes nothing.
    await sara.press("رفع نشد ❌");
    expect(lastAlert(tb)).toMatchObject({ text: "شما قبلاً پاسخ داده‌اید.", show_alert: true });
    expect((await Report.findById(reportId).lean())!.priority).toBe(1);
    await sara.press("۲⭐");
    expect(lastAlert(tb)).toMatchObject({ text: "از امتیاز شما سپاسگزاریم (۲ از ۵)." });
    expect((await Report.findById(reportId).lean())!.feedback!.rating).toBe(2);
  });

  it("presses by people who may not act change nothing; forged and stale buttons get an alert", async () => {
    const { tb, reportId } = await setup();
    const before = await Report.findById(reportId).lean();
    const stranger = tb.member(STRANGER, REGION_CHAT);
    await stranger.press("🙋 برعهده می‌گیرم");
    expect(lastAlert(tb)).toEqual({
      callback_query_id: expect.any(String),
      text: "این کار فقط برای کارکنان ثبت‌شده مجاز است.",
      show_alert: true,
    });
    const reza = tb.member(REZA, REGION_CHAT);
    await reza.press("🙋 برعهده می‌گیرم");
    expect(lastAlert(tb)).toMatchObject({ text: "این پرونده در منطقه یا واحد شما نیست.", show_alert: true });
    const omid = tb.member(OMID, REGION_CHAT);
    await omid.press("👥 واگذاری…");
    expect(lastAlert(tb)).toMatchObject({ text: "نقش شما اجازه این کار را نمی‌دهد.", show_alert: true });
    await omid.callback(`c:${new Types.ObjectId().toHexString()}:take`);
    expect(lastAlert(tb)).toMatchObject({ text: "این پرونده دیگر وجود ندارد.", show_alert: true });
    await omid.callback(`c:${reportId}:explode`);
    expect(lastAlert(tb)).toMatchObject({ text: "این دکمه مربوط به پیام قدیمی‌تری است.", show_alert: true });
    await omid.callback(`ca:${reportId}:${OMID}`);
    expect(lastAlert(tb)).toMatchObject({ text: "نقش شما اجازه این کار را نمی‌دهد.", show_alert: true });
    const after = await Report.findById(reportId).lean();
    expect(after!.status).toBe("new");
    expect(after!.history).toHaveLength(before!.history.length);
    expect(await Outbox.countDocuments({ status: "pending" })).toBe(0);
  });

  it("a manager assigns; a removed official can no longer act; a stale press after resolution is refused", async () => {
    const { tb, reportId, code } = await setup();
    const mina = tb.member(MINA, REGION_CHAT, { firstName: "Mina" });
    await mina.press("👥 واگذاری…");
    expect(tb.api.callsOf("sendMessage").at(-1)!.payload.text).toBe(
      `واگذاری پرونده ${ltr(`${code.slice(0, 4)}-${code.slice(4)}`)} به:`,
    );
    await mina.press("Omid");
    let r = await Report.findById(reportId).lean();
    expect(r).toMatchObject({ status: "assigned", assignee: { userId: OMID } });
    expect(r!.history.at(-1)).toMatchObject({ kind: "assign", note: "Omid", public: false, by: { name: "Mina" } });

    const omid = tb.member(OMID, REGION_CHAT);
    await omid.press("🛠 در حال انجام");
    r = await Report.findById(reportId).lean();
    expect(r!.status).toBe("in_progress");
    // Removed a moment ago: the DB says no, whatever chat they are in.
    await deactivateStaff("telegram", MINA);
    await mina.press("🙋 برعهده می‌گیرم");
    expect(lastAlert(tb)).toMatchObject({ text: "این کار فقط برای کارکنان ثبت‌شده مجاز است.", show_alert: true });
    expect((await Report.findById(reportId).lean())!.assignee).toMatchObject({ userId: OMID });

    await omid.press("⛔ رد");
    await omid.text("/cancel");
    expect(omid.lastReply()).toBe("لغو شد.");
    expect((await Report.findById(reportId).lean())!.status).toBe("in_progress");

    await omid.press("⛔ رد");
    await omid.text("x".repeat(1001));
    expect(omid.lastReply()).toBe("این متن ۱٬۰۰۱ نویسه است؛ سقف ۱٬۰۰۰ نویسه است.");
    await omid.text("خارج از حوزه شهرداری است");
    expect((await Report.findById(reportId).lean())!.status).toBe("rejected");
    // A button from the card before the rejection: the case is closed now.
    await omid.callback(`c:${reportId}:take`);
    expect(lastAlert(tb)).toMatchObject({ text: "اکنون ممکن نیست: وضعیت پرونده «رد شد» است.", show_alert: true });
  });
});
