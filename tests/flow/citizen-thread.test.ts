import { describe, expect, it } from "vitest";
import { Types } from "mongoose";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, createTestDesk, type TestBot } from "../support/test-bot.ts";
import { fillReport, KARAJ, type ReportInput } from "../support/intake-steps.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import type { ChatSim } from "../support/chat-sim.ts";
import { misreadTokens } from "../support/bidi.ts";
import { persianViolations, sentTexts, summarize } from "../support/persian-checks.ts";
import { ltr } from "../../core/format.ts";
import { Report, type ReportDoc } from "../../models/report/report.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { Region } from "../../models/geography/region.ts";
import { KeptMessage } from "../../models/report/kept-message.ts";
import { readPhoto } from "../../models/report/photos.ts";
import { findActiveStaff, upsertStaff } from "../../models/people/staff.ts";
import { rejectCase, resolveCase } from "../../models/report/case-actions.ts";
import { applyRetention } from "../../models/ops/retention.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import sharp from "sharp";
import { tinyPhoto } from "../support/photo-bytes.ts";

useTestDb({ cleanEach: true });

/** What GridFS holds for a sent photo: a re-encoded JPEG (photo-clean.ts), never the messenger's bytes. */
async function expectCleanCopy(stored: Buffer, sent: Uint8Array): Promise<void> {
  expect((await sharp(stored).metadata()).format).toBe("jpeg");
  expect(stored.equals(Buffer.from(sent))).toBe(false);
}

const REGION_CHAT = -1002000000001;
const MANAGERS = -1003000000001;
const OMID = 900; // official of region r1
const SARA = 5100;

const WATER = "نشت آب و فاضلاب";
const GARBAGE = "زباله و نظافت";
const OFFER_OPEN =
  "پیام شما رسید. آن را به کدام گزارش بیفزاییم، یا با آن گزارش تازه‌ای ثبت کنیم؟\nبرای دیدن وضعیت یک گزارش، کد رهگیری آن را بفرستید یا «📋 گزارش‌های من» را بزنید.";
const OFFER_NEW = "پیام شما رسید. می‌خواهید با همین پیام گزارش تازه‌ای ثبت کنید؟";
const NEW_BUTTON = "📝 گزارش تازه با همین پیام";
const FALLBACK = "لطفاً از منوی زیر استفاده کنید یا";

const addButton = (code: string, category: string) => `➕ افزودن به گزارش ${ltr(formatCode(code))} · ${category}`;
const buttons = (call: ApiCall) =>
  ((call.payload.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.text);
const lastAlert = (tb: TestBot) => tb.api.callsOf("answerCallbackQuery").at(-1)!.payload;
const lastTo = (tb: TestBot, chatId: number) =>
  tb.api.calls.filter((c) => Number(c.payload.chat_id) === chatId).at(-1)!;

async function seedStaff(): Promise<void> {
  await Region.updateOne({ key: "r1" }, { $set: { chat: { platform: "telegram", chatId: REGION_CHAT } } });
  await upsertStaff({ platform: "telegram", userId: OMID, name: "Omid", role: "official", regions: ["r1"] });
}

async function setup(env: Record<string, string> = {}): Promise<TestBot> {
  await seedStaff();
  return createTestBot({ MANAGERS_CHAT_ID: String(MANAGERS), ...env });
}

/** Files a report through the form; the code is read from the database (the wording of "submitted" is not this test's business). */
async function file(tb: TestBot, sim: ChatSim, input: ReportInput = {}): Promise<ReportDoc> {
  await fillReport(tb, sim, input);
  await sim.press("✅ ثبت");
  const r = await Report.findOne({ "citizen.userId": sim.user.id }).sort({ createdAt: -1 }).lean<ReportDoc>();
  if (!r) throw new Error(`no report filed; replies: ${JSON.stringify(sim.replies().slice(-2))}`);
  await tb.dispatcher.drainOnce();
  return r;
}

const reload = async (id: Types.ObjectId) => (await Report.findById(id).lean<ReportDoc>())!;

describe("free text or a photo outside a form", () => {
  it("'سلام، گزارش من چه شد؟' is offered to the open report, not answered with the fallback; added, it is under the card, in /case and in /status", async () => {
    const tb = await setup();
    const sara = tb.citizen(SARA, { firstName: "Sara" });
    const report = await file(tb, sara, { category: WATER, location: KARAJ });
    const cardId = (await reload(report._id)).card!.messageId;

    tb.api.clearCalls();
    await sara.text("سلام، گزارش من چه شد؟");
    const offer = lastTo(tb, SARA);
    expect(offer.payload.text).toBe(OFFER_OPEN);
    expect(String(offer.payload.text)).not.toContain(FALLBACK);
    expect(buttons(offer)).toEqual([addButton(report.code, WATER), NEW_BUTTON]);
    // Kept until the press, outside any sentence of ours.
    expect(await KeptMessage.find({}, { kind: 1, platform: 1, userId: 1, text: 1, _id: 0 }).lean()).toEqual([
      { kind: "offer", platform: "telegram", userId: SARA, text: "سلام، گزارش من چه شد؟" },
    ]);

    await sara.press(addButton(report.code, WATER));
    expect(sara.lastReply()).toBe(
      `پیام شما به گزارش ${ltr(formatCode(report.code))} افزوده و برای کارشناسان فرستاده شد.`,
    );
    expect(await KeptMessage.countDocuments({})).toBe(0);
    const r = await reload(report._id);
    expect(r.history.at(-1)).toMatchObject({
      kind: "citizen_note",
      note: "سلام، گزارش من چه شد؟",
      public: true,
      by: { kind: "citizen", id: SARA },
      to: "new",
    });

    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    const posted = tb.api.calls.filter((c) => c.payload.chat_id === REGION_CHAT);
    expect(posted.map((c) => c.method)).toEqual(["sendMessage"]);
    expect(posted[0]!.payload).toMatchObject({ parse_mode: "HTML", reply_parameters: { message_id: cardId } });
    expect(posted[0]!.payload.text).toBe(
      `💬 پیام تازه شهروند در پرونده <b>${ltr(formatCode(report.code))}</b>:\nسلام، گزارش من چه شد؟`,
    );
    // Nothing else to the citizen: the answer to the press was the only message.
    expect(tb.api.calls.filter((c) => c.payload.chat_id === SARA)).toEqual([]);

    const omid = tb.member(OMID, REGION_CHAT, { firstName: "Omid" });
    await omid.text(`/case ${report.code}`);
    const caseText = omid.lastReply();
    expect(caseText).toContain("پیام شهروند");
    expect(caseText).toContain("↳ سلام، گزارش من چه شد؟");

    await sara.text(`/status ${report.code}`);
    expect(sara.lastReply()).toContain("سلام، گزارش من چه شد؟");
    // Every Persian text of the thread, to her, the staff chat and Omid, reads right (issue 14 §1–2).
    expect(
      summarize(
        persianViolations(sentTexts(tb.api.log, new Set([SARA, REGION_CHAT, OMID])), {
          names: ["Sara", "Omid"],
          botUsername: tb.api.botInfo.username,
        }),
      ),
    ).toEqual([]);
  });

  it("a photo with a caption becomes a note with the photo: stored in GridFS on the report and sent under the card", async () => {
    const tb = await setup();
    const sara = tb.citizen(SARA, { firstName: "Sara" });
    const report = await file(tb, sara, { category: WATER, location: KARAJ });
    const cardId = (await reload(report._id)).card!.messageId;
    const bytes = tinyPhoto(7);
    tb.api.addFile("leak-2", bytes);

    await sara.photo("leak-2", bytes.byteLength, { caption: "امروز صبح آب بیشتر شده" });
    expect(buttons(lastTo(tb, SARA))).toEqual([addButton(report.code, WATER), NEW_BUTTON]);
    await sara.press(addButton(report.code, WATER));
    const r = await reload(report._id);
    expect(r.history.at(-1)).toMatchObject({ kind: "citizen_note", note: "امروز صبح آب بیشتر شده", public: true });
    expect(r.replyPhotos).toHaveLength(1);
    const stored = await readPhoto(r.replyPhotos[0] as Types.ObjectId);
    await expectCleanCopy(stored, bytes);

    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    const photo = tb.api.callsOf("sendPhoto").find((c) => c.payload.chat_id === REGION_CHAT)!;
    expect(photo.payload).toMatchObject({ parse_mode: "HTML", reply_parameters: { message_id: cardId } });
    expect(String(photo.payload.caption)).toContain("امروز صبح آب بیشتر شده");
    expect(Buffer.from(Object.values(photo.files)[0]!).equals(stored)).toBe(true);

    const omid = tb.member(OMID, REGION_CHAT, { firstName: "Omid" });
    await omid.text(`/case ${report.code}`);
    expect(omid.lastReply()).toContain("↳ امروز صبح آب بیشتر شده");
    await sara.text(`/status ${report.code}`);
    expect(sara.lastReply()).toContain("امروز صبح آب بیشتر شده");
  });

  it("offers the newest three open reports, newest first, never a closed one or someone else's", async () => {
    const tb = await setup();
    const sara = tb.citizen(SARA, { firstName: "Sara" });
    const filed: ReportDoc[] = [];
    // Typed addresses: no map point, so no "same problem nearby" prompt between them.
    for (const [i, category] of [GARBAGE, WATER, GARBAGE, WATER].entries()) {
      tb.clock.now = new Date(tb.clock.now.getTime() + 60_000);
      filed.push(await file(tb, sara, { category, location: { address: `خیابان گلبرگ، پلاک ${i + 10}` } }));
    }
    const omid = (await findActiveStaff("telegram", OMID))!;
    await rejectCase(filed[3]!._id, omid, "خارج از حوزه", tb.clock.now);
    await file(tb, tb.citizen(5200), { category: GARBAGE, location: { address: "خیابان دیگر، پلاک ۳" } });

    await sara.text("سطل زباله‌ها دو روز است خالی نشده‌اند");
    const [a, b, c] = [filed[2]!, filed[1]!, filed[0]!];
    expect(buttons(lastTo(tb, SARA))).toEqual([
      addButton(a.code, GARBAGE),
      addButton(b.code, WATER),
      addButton(c.code, GARBAGE),
      NEW_BUTTON,
    ]);
  });

  it("with no open report: a text fit to be a description starts the form with it filled in, on from the next step", async () => {
    const tb = await setup();
    const sara = tb.citizen(SARA, { firstName: "Sara" });
    const text = "تیر چراغ برق کوچه ما سه شب است خاموش است";
    await sara.text(text);
    const offer = lastTo(tb, SARA);
    expect(offer.payload.text).toBe(OFFER_NEW);
    expect(buttons(offer)).toEqual([NEW_BUTTON]);

    await sara.press(NEW_BUTTON);
    expect(sara.lastReply()).toBe("چه نوع مشکلی را می‌خواهید گزارش کنید؟");
    await sara.press("روشنایی معابر");
    // The description step is not asked: on to street lighting's extra question, then the location.
    expect(sara.replies().slice(-2)[0]).toBe(
      "شرح مشکل از پیام شما برداشته شد؛ پیش از ثبت می‌توانید آن را ویرایش کنید.",
    );
    expect(sara.lastReply()).toContain("شماره تیر چراغ");
    await sara.press("⏭ رد شدن");
    expect(sara.lastReply()).toContain("محل مشکل کجاست؟");
    expect(sara.replies().some((s) => s.includes("مشکل را در چند جمله شرح دهید"))).toBe(false);
    await sara.location(KARAJ.lat, KARAJ.lon);
    await sara.press("⏭ بدون عکس");
    await sara.text("رد شدن");
    expect(sara.lastReply()).toContain(`شرح: ${text}`);
    await sara.press("✅ ثبت");
    const r = await Report.findOne({ "citizen.userId": SARA }).lean<ReportDoc>();
    expect(r).toMatchObject({ description: text, categoryKey: "lighting" });
    expect(await KeptMessage.countDocuments({})).toBe(0);
  });

  it("with no open report: a photo starts the form with the photo in it (the description is asked); a short greeting gets the menu answer", async () => {
    const tb = await setup();
    const sara = tb.citizen(SARA, { firstName: "Sara" });
    await sara.text("سلام");
    expect(sara.lastReply()).toContain(FALLBACK);
    expect(await KeptMessage.countDocuments({})).toBe(0);

    const bytes = tinyPhoto(3);
    tb.api.addFile("bins-1", bytes);
    await sara.photo("bins-1", bytes.byteLength);
    expect(buttons(lastTo(tb, SARA))).toEqual([NEW_BUTTON]);
    await sara.press(NEW_BUTTON);
    await sara.press(GARBAGE);
    expect(sara.lastReply()).toContain("مشکل را در چند جمله شرح دهید");
    await sara.text("سطل‌های زباله پشت نانوایی پر شده‌اند");
    await sara.text("خیابان گلبرگ، پلاک ۷۷");
    // The photos step is not asked either: straight to the phone number.
    expect(sara.replies().slice(-2)[0]).toBe("عکس شما به گزارش افزوده شد؛ پیش از ثبت می‌توانید آن را ویرایش کنید.");
    await sara.text("رد شدن");
    await sara.press("✅ ثبت");
    const r = await Report.findOne({ "citizen.userId": SARA }).lean<ReportDoc>();
    expect(r!.photos).toHaveLength(1);
    await expectCleanCopy(await readPhoto(r!.photos[0]!.gridfsId as Types.ObjectId), bytes);
  });

  it("forged, stale and other people's buttons are refused with an alert and change nothing", async () => {
    await seedStaff();
    const desk = createTestDesk({ MANAGERS_CHAT_ID: String(MANAGERS) }, ["telegram", "bale"]);
    const tb = desk.on("telegram");
    const sara = tb.citizen(SARA, { firstName: "Sara" });
    const report = await file(tb, sara, { category: WATER, location: KARAJ });
    const other = await file(tb, tb.citizen(5200), { category: GARBAGE, location: { address: "خیابان دیگر، پلاک ۳" } });
    await sara.text("آب هنوز در خیابان جاری است");
    const data = sara.findButton(addButton(report.code, WATER))!;
    const keptId = data.split(":")[1]!;
    const before = (await reload(report._id)).history.length;

    await sara.callback(`th:${keptId}:${other._id.toHexString()}`);
    expect(lastAlert(tb)).toMatchObject({ text: "این گزارش در میان گزارش‌های باز شما نیست.", show_alert: true });
    await sara.callback(`th:${new Types.ObjectId().toHexString()}:${report._id.toHexString()}`);
    expect(lastAlert(tb)).toMatchObject({
      text: "این پیام دیگر نزد ما نگه داشته نشده است؛ لطفاً آن را دوباره بفرستید.",
      show_alert: true,
    });
    await sara.callback("th:zz:new");
    expect(lastAlert(tb)).toMatchObject({ text: "این دکمه مربوط به پیام قدیمی‌تری است.", show_alert: true });
    await sara.callback(`nr:${new Types.ObjectId().toHexString()}`);
    expect(lastAlert(tb)).toMatchObject({ text: "این دکمه مربوط به پیام قدیمی‌تری است.", show_alert: true });
    // Someone else pressing Sara's button; Sara's user id on the other messenger is someone else too.
    await tb.citizen(5200).callback(data);
    expect(lastAlert(tb)).toMatchObject({
      text: "این پیام دیگر نزد ما نگه داشته نشده است؛ لطفاً آن را دوباره بفرستید.",
      show_alert: true,
    });
    const bale = desk.on("bale");
    await bale.citizen(SARA).callback(data);
    expect(lastAlert(bale)).toMatchObject({ show_alert: true });
    expect(String(lastAlert(bale).text)).toContain("نگه داشته نشده");
    expect((await reload(report._id)).history).toHaveLength(before);
    expect((await reload(other._id)).history).toHaveLength(other.history.length);

    // A day later the kept message is gone for good.
    tb.clock.now = new Date(tb.clock.now.getTime() + 25 * 3_600_000);
    await sara.callback(data);
    expect(lastAlert(tb)).toMatchObject({
      text: "این پیام دیگر نزد ما نگه داشته نشده است؛ لطفاً آن را دوباره بفرستید.",
      show_alert: true,
    });

    // Used once: a second press adds nothing.
    tb.clock.now = new Date(tb.clock.now.getTime() + 60_000);
    await sara.text("آب هنوز در خیابان جاری است");
    await sara.press(addButton(report.code, WATER));
    await sara.press(addButton(report.code, WATER));
    expect(lastAlert(tb)).toMatchObject({ show_alert: true });
    expect((await reload(report._id)).history.filter((h) => h.kind === "citizen_note")).toHaveLength(1);

    // A case closed after the offer was made.
    await sara.text("یک توضیح دیگر برای همین گزارش");
    const omid = (await findActiveStaff("telegram", OMID))!;
    await rejectCase(report._id, omid, "تکراری است", tb.clock.now);
    await sara.press(addButton(report.code, WATER));
    expect(lastAlert(tb)).toMatchObject({ text: "این گزارش در میان گزارش‌های باز شما نیست.", show_alert: true });
  });
});

describe("after “Not fixed ❌”", () => {
  /** A garbage report (no visit needed) resolved by Omid; the resolution message waits in Sara's chat. */
  async function resolved(env: Record<string, string> = {}) {
    const tb = await setup(env);
    const sara = tb.citizen(SARA, { firstName: "Sara" });
    const report = await file(tb, sara, { category: GARBAGE, location: KARAJ });
    const omid = (await findActiveStaff("telegram", OMID))!;
    await resolveCase(report._id, omid, "سطل‌ها تخلیه شد", null, tb.clock.now);
    await tb.dispatcher.drainOnce();
    tb.api.clearCalls();
    return { tb, sara, report };
  }

  it("one tap gives the citizen one message, which asks what is still wrong; the answer reaches the case and the managers", async () => {
    const { tb, sara, report } = await resolved();
    const cardId = (await reload(report._id)).card!.messageId;
    await sara.press("رفع نشد ❌");
    await tb.dispatcher.drainOnce();
    const toSara = tb.api.calls.filter((c) => c.payload.chat_id === SARA && c.method === "sendMessage");
    expect(toSara).toHaveLength(1);
    expect(String(toSara[0]!.payload.text)).toContain(ltr(formatCode(report.code)));
    expect(String(toSara[0]!.payload.text)).toContain("چه چیزی هنوز درست نیست؟");
    expect(buttons(toSara[0]!)).toEqual(["فعلاً نه"]);
    expect((await reload(report._id)).status).toBe("reopened");

    tb.api.clearCalls();
    await sara.text("سطل‌ها تخلیه شد ولی زباله‌های کنار جوی هنوز مانده است");
    expect(sara.lastReply()).toBe(
      `سپاس؛ توضیح شما به گزارش ${ltr(formatCode(report.code))} افزوده و برای کارشناسان و مدیران فرستاده شد.`,
    );
    const r = await reload(report._id);
    expect(r.history.at(-1)).toMatchObject({
      kind: "citizen_note",
      note: "سطل‌ها تخلیه شد ولی زباله‌های کنار جوی هنوز مانده است",
      public: true,
      to: "reopened",
    });
    await tb.dispatcher.drainOnce();
    const toManagers = tb.api.calls.filter((c) => c.payload.chat_id === MANAGERS);
    expect(toManagers).toHaveLength(1);
    expect(toManagers[0]!.payload.text).toBe(
      `🔁 توضیح شهروند درباره رفع‌نشدن پرونده <b>${ltr(formatCode(report.code))}</b>:\nسطل‌ها تخلیه شد ولی زباله‌های کنار جوی هنوز مانده است`,
    );
    const underCard = tb.api.calls.filter((c) => c.payload.chat_id === REGION_CHAT);
    expect(underCard.map((c) => String(c.payload.text))).toEqual([
      expect.stringContaining("سطل‌ها تخلیه شد ولی زباله‌های کنار جوی"),
    ]);
    expect(underCard[0]!.payload).toMatchObject({ reply_parameters: { message_id: cardId } });
    // Answered: the next message is an ordinary one again (offered to the reopened case).
    expect(await KeptMessage.countDocuments({ kind: "reason" })).toBe(0);
    await sara.text("یک نکته دیگر هم درباره همین گزارش دارم");
    expect(lastTo(tb, SARA).payload.text).toBe(OFFER_OPEN);
  });

  it("a photo answers too; its words and photo go to the managers' chat", async () => {
    const { tb, sara, report } = await resolved();
    await sara.press("رفع نشد ❌");
    const bytes = tinyPhoto(5);
    tb.api.addFile("still-1", bytes);
    await sara.photo("still-1", bytes.byteLength);
    const r = await reload(report._id);
    expect(r.history.at(-1)).toMatchObject({ kind: "citizen_note", note: "" });
    expect(r.replyPhotos).toHaveLength(1);
    const stored = await readPhoto(r.replyPhotos[0] as Types.ObjectId);
    await expectCleanCopy(stored, bytes);
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    const photo = tb.api.callsOf("sendPhoto").find((c) => c.payload.chat_id === MANAGERS)!;
    expect(String(photo.payload.caption)).toContain("📷 (عکس بدون متن)");
    expect(Buffer.from(Object.values(photo.files)[0]!).equals(stored)).toBe(true);
  });

  it("“فعلاً نه” skips it: a toast, no message, and the next text is an ordinary one", async () => {
    const { tb, sara, report } = await resolved();
    await sara.press("رفع نشد ❌");
    const sent = tb.api.calls.length;
    await sara.press("فعلاً نه");
    expect(lastAlert(tb)).toMatchObject({ text: "بسیار خب. هر وقت خواستید می‌توانید پیام بفرستید." });
    expect(tb.api.calls.slice(sent).map((c) => c.method)).toEqual(["answerCallbackQuery"]);
    await sara.press("فعلاً نه");
    expect(lastAlert(tb)).toMatchObject({ show_alert: true });
    await sara.text("راستی یک چیز دیگر هم هست که باید بگویم");
    expect(buttons(lastTo(tb, SARA))).toEqual([addButton(report.code, GARBAGE), NEW_BUTTON]);
    expect((await reload(report._id)).history.filter((h) => h.kind === "citizen_note")).toHaveLength(0);
  });
});

describe("☎️ Contact the 137 centre", () => {
  const PHONE = "+98 26 3456 0137";
  const HOURS = "شنبه تا چهارشنبه، ۸ تا ۱۴";

  it("is in /help and the fallback reply when CENTRE_PHONE is set, with the phone as typed", async () => {
    const tb = await setup({ CENTRE_PHONE: PHONE, CENTRE_HOURS: HOURS });
    const sara = tb.citizen(SARA);
    const line = `☎️ تماس با مرکز ۱۳۷: ${ltr(PHONE)} (${HOURS})`;
    await sara.text("/help");
    expect(sara.lastReply().endsWith(`\n\n${line}`)).toBe(true);
    expect(misreadTokens(sara.lastReply())).toEqual([]);
    await sara.sticker();
    expect(sara.lastReply()).toContain(FALLBACK);
    expect(sara.lastReply().endsWith(`\n\n${line}`)).toBe(true);
    await sara.text("تیر چراغ برق کوچه ما سه شب است خاموش است");
    expect(sara.lastReply().endsWith(`\n\n${line}`)).toBe(true);

    const tom = tb.citizen(5300, { languageCode: "en" });
    await tom.text("/help");
    expect(tom.lastReply().endsWith(`\n\n☎️ Contact the 137 centre: ${PHONE} (${HOURS})`)).toBe(true);
  });

  it("is left out when CENTRE_PHONE is not set", async () => {
    const tb = await setup();
    const sara = tb.citizen(SARA);
    await sara.text("/help");
    await sara.sticker();
    expect(sara.replies()).toHaveLength(2);
    for (const reply of sara.replies()) expect(reply).not.toContain("☎️");
  });
});

describe("erasure", () => {
  it("/forgetme reaches the kept messages, the waiting answer, the notes and their photos", async () => {
    const tb = await setup();
    const sara = tb.citizen(SARA, { firstName: "Sara" });
    const report = await file(tb, sara, { category: GARBAGE, location: KARAJ });
    const bytes = tinyPhoto(8);
    tb.api.addFile("note-1", bytes);
    await sara.photo("note-1", bytes.byteLength, { caption: "پلاک ۷۷ کوچه یاس" });
    await sara.press(addButton(report.code, GARBAGE));
    await sara.text("زنگ پلاک ۷۷ را بزنید، خانه هستم");
    const noteRows = await Outbox.find({ kind: "staff_citizen_note" }).lean();
    expect(noteRows).toHaveLength(1);
    const photoId = (await reload(report._id)).replyPhotos[0] as Types.ObjectId;
    // Stored, so the erasure below has something to remove.
    await expectCleanCopy(await readPhoto(photoId), bytes);
    expect(await KeptMessage.countDocuments({ userId: SARA })).toBe(1);

    await sara.text("/forgetme");
    await sara.press("🗑 بله، اطلاعاتم حذف شود");
    await applyRetention({ days: 365, now: tb.clock.now });

    expect(await KeptMessage.countDocuments({})).toBe(0);
    const r = await reload(report._id);
    expect(r.history.filter((h) => h.kind === "citizen_note").map((h) => h.note)).toEqual([""]);
    expect(r.replyPhotos).toEqual([]);
    await expect(readPhoto(photoId)).rejects.toThrow();
    for (const row of await Outbox.find({ "payload.reportId": report._id.toHexString() }).lean()) {
      expect(JSON.stringify(row.payload)).not.toContain("پلاک ۷۷");
      expect((row.payload as Record<string, unknown>).photoId).toBeUndefined();
    }
  });

  it("erasure reaches a waiting “what is still wrong?” too", async () => {
    const tb = await setup();
    const sara = tb.citizen(SARA, { firstName: "Sara" });
    const report = await file(tb, sara, { category: GARBAGE, location: KARAJ });
    await resolveCase(report._id, (await findActiveStaff("telegram", OMID))!, "انجام شد", null, tb.clock.now);
    await tb.dispatcher.drainOnce();
    await sara.press("رفع نشد ❌");
    expect(await KeptMessage.countDocuments({ kind: "reason", userId: SARA })).toBe(1);
    await sara.text("/forgetme");
    await sara.press("🗑 بله، اطلاعاتم حذف شود");
    await applyRetention({ days: 365, now: tb.clock.now });
    expect(await KeptMessage.countDocuments({})).toBe(0);
  });
});
