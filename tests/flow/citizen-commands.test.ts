import { beforeEach, describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, type TestBot, STAFF_CHAT } from "../support/test-bot.ts";
import type { ChatSim } from "../support/chat-sim.ts";
import { fileReport, fillReport } from "../support/intake-steps.ts";
import { Report } from "../../models/report/report.ts";
import { Citizen } from "../../models/people/citizen.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { changeStatus, type Actor } from "../../models/report/report-transition.ts";
import { generateCode, formatCode } from "../../models/report/tracking-code.ts";
import { ltr } from "../../core/format.ts";

/** Put before a literal command in Persian text, so it reads as typed (bidi). */
const LRM = "\u200E";

useTestDb();

/** 2024-03-25 11:30 in Tehran = 6 Farvardin 1403. */
const T0 = new Date("2024-03-25T08:00:00Z");
const HOUR = 3_600_000;
const OFFICIAL: Actor = { kind: "staff", platform: "telegram", id: 9001, name: "Official" };

const FA_MENU = ["📝 ثبت گزارش جدید", "🔎 پیگیری گزارش", "📋 گزارش‌های من", "❓ راهنما", "📍 گزارش‌های نزدیک من"];
const EN_MENU = ["📝 New report", "🔎 Track a report", "📋 My reports", "❓ Help", "📍 Nearby"];

const SARA = {
  description: "لوله آب جلوی مدرسه شکسته و آب در خیابان جاری است",
  address: "خیابان بهار، کوچه نیلوفر، پلاک ۱۲",
  phone: "+989121234567",
};

function persianDigits(s: string): string {
  return s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
}

function arabicIndicDigits(s: string): string {
  return s.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

function lastCall(tb: TestBot, chatId: number, method = "sendMessage") {
  const call = tb.api.calls.filter((c) => c.method === method && Number(c.payload.chat_id) === chatId).at(-1);
  if (!call) throw new Error(`no ${method} to ${chatId}`);
  return call;
}

function replyKeyboard(tb: TestBot, chatId: number): string[] {
  const markup = lastCall(tb, chatId).payload.reply_markup as { keyboard?: { text: string }[][] } | undefined;
  return (markup?.keyboard ?? []).flat().map((b) => b.text);
}

/** Sara files a water-leak report by address (with phone and username), then staff move it on. */
async function saraWithReport(tb: TestBot): Promise<{ sara: ChatSim; code: string }> {
  tb.clock.now = T0;
  const sara = tb.citizen(5101, { firstName: "Sara", username: "sara_k" });
  const code = await fileReport(tb, sara, {
    category: "نشت آب و فاضلاب",
    description: SARA.description,
    location: { address: SARA.address },
    phone: SARA.phone,
  });
  const report = (await Report.findOne({ code }).lean())!;
  await changeStatus(report._id, "assigned", OFFICIAL, "تیم فنی اعزام شد", { now: new Date(T0.getTime() + HOUR) });
  await changeStatus(report._id, "in_progress", OFFICIAL, "پیمانکار شماره ۴۴۲", {
    now: new Date(T0.getTime() + 2 * HOUR),
    public: false,
  });
  tb.api.clearCalls();
  return { sara, code };
}

function ownerCard(code: string): string {
  return [
    `گزارش ${ltr(formatCode(code))}`,
    "وضعیت: در حال رسیدگی",
    "دسته: نشت آب و فاضلاب",
    "تاریخ ثبت: ۶ فروردین ۱۴۰۳ ساعت ۱۱:۳۰",
    "",
    `شرح: ${SARA.description}`,
    `موقعیت: ${SARA.address} (فقط نشانی، بدون مختصات)`,
    "",
    "سابقه:",
    "• ۶ فروردین ۱۴۰۳ ساعت ۱۱:۳۰ — دریافت شد",
    "• ۶ فروردین ۱۴۰۳ ساعت ۱۲:۳۰ — به کارشناس واگذار شد — تیم فنی اعزام شد",
  ].join("\n");
}

beforeEach(async () => {
  await Promise.all([Report.deleteMany({}), Citizen.deleteMany({}), Outbox.deleteMany({})]);
});

describe("/status <code>", () => {
  it("shows the reporter status, category, Jalali date, description and location (code in Persian digits with a dash)", async () => {
    const tb = createTestBot();
    const { sara, code } = await saraWithReport(tb);
    const typed = persianDigits(formatCode(code));
    expect(typed).toMatch(/^[۰-۹]{4}-[۰-۹]{4}$/);

    await sara.text(`/status ${typed}`);
    expect(sara.replies()).toEqual([ownerCard(code)]);
    // The internal note never reaches the citizen.
    expect(sara.lastReply()).not.toContain("پیمانکار");
  });

  it("accepts Arabic-Indic digits with spaces", async () => {
    const tb = createTestBot();
    const { sara, code } = await saraWithReport(tb);
    const typed = arabicIndicDigits(`${code.slice(0, 4)} ${code.slice(4)}`);
    expect(typed).toMatch(/^[٠-٩]{4} [٠-٩]{4}$/);

    await sara.text(`/status ${typed}`);
    expect(sara.replies()).toEqual([ownerCard(code)]);
  });

  it("shows another citizen only status, category and dates: no description, address, name, username, phone or notes", async () => {
    const tb = createTestBot();
    const { code } = await saraWithReport(tb);
    const reza = tb.citizen(5102, { firstName: "Reza", username: "reza_m" });

    await reza.text(`/status ${persianDigits(formatCode(code))}`);
    await reza.text(`/status ${arabicIndicDigits(code)}`);
    await reza.text(code);
    const expected = [
      `گزارش ${ltr(formatCode(code))}`,
      "وضعیت: در حال رسیدگی",
      "دسته: نشت آب و فاضلاب",
      "تاریخ ثبت: ۶ فروردین ۱۴۰۳ ساعت ۱۱:۳۰",
      "",
      "سابقه:",
      "• ۶ فروردین ۱۴۰۳ ساعت ۱۱:۳۰ — دریافت شد",
      "• ۶ فروردین ۱۴۰۳ ساعت ۱۲:۳۰ — به کارشناس واگذار شد",
    ].join("\n");
    expect(reza.replies()).toEqual([expected, expected, expected]);

    const everything = tb.api.calls
      .filter((c) => Number(c.payload.chat_id) === reza.chatId)
      .map((c) => JSON.stringify(c.payload));
    expect(everything).toHaveLength(3);
    for (const secret of [
      SARA.description,
      SARA.address,
      "خیابان بهار",
      "Sara",
      "sara_k",
      SARA.phone,
      "9121234567",
      "تیم فنی اعزام شد",
      "پیمانکار",
    ]) {
      for (const sent of everything) expect(sent).not.toContain(secret);
    }
  });

  it("a citizen who followed the report from the duplicate prompt still does not see the reporter's description, name or phone", async () => {
    const tb = createTestBot();
    tb.clock.now = T0;
    const sara = tb.citizen(5111, { firstName: "Sara", username: "sara_k" });
    const code = await fileReport(tb, sara, { description: SARA.description, phone: SARA.phone });
    const reza = tb.citizen(5112, { firstName: "Reza" });
    await fillReport(tb, reza, { description: "اینجا لوله آب ترکیده است" });
    expect(reza.lastReply()).toContain("گزارشی از همین نوع");
    await reza.press("🔔 دنبال کردن آن گزارش");
    expect(reza.lastReply()).toBe(`اکنون گزارش ${ltr(formatCode(code))} را دنبال می‌کنید و از تغییراتش باخبر می‌شوید.`);
    expect((await Report.findOne({ code }).lean())!.followers).toEqual([
      { platform: "telegram", userId: 5112, chatId: 5112, locale: "fa" },
    ]);
    tb.api.clearCalls();

    await reza.text(`/status ${code}`);
    const card = reza.lastReply();
    expect(card).toContain("وضعیت: دریافت شد");
    expect(card).toContain("دسته: نشت آب و فاضلاب");
    // /privacy: "Other citizens never see your name, phone or description".
    for (const secret of [SARA.description, "Sara", "sara_k", SARA.phone]) expect(card).not.toContain(secret);
  });

  it("spots a typo through the check digit", async () => {
    const tb = createTestBot();
    const { sara, code } = await saraWithReport(tb);
    const wrong = code.slice(0, 7) + String((Number(code[7]) + 1) % 10);
    const typed = persianDigits(formatCode(wrong));

    await sara.text(`/status ${typed}`);
    expect(sara.replies()).toEqual(["کد واردشده نادرست است؛ لطفاً رقم‌ها را دوباره بررسی کنید."]);
  });

  it("says not found for a well-formed code nobody has", async () => {
    const tb = createTestBot();
    const { sara, code } = await saraWithReport(tb);
    const unknown = [0.1, 0.2, 0.3].map((x) => generateCode(() => x)).find((c) => c !== code)!;

    await sara.text(`/status ${unknown}`);
    expect(sara.replies()).toEqual([`گزارشی با کد ${ltr(formatCode(unknown))} وجود ندارد.`]);
  });

  it("explains the usage when the code is missing, and the format when it is not a code", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(5103);
    await sim.text("/status");
    await sim.text("/status 12345");
    expect(sim.replies()).toEqual([
      `کد رهگیری را این‌طور بفرستید: ${LRM}/status 1234-5678`,
      `«${ltr("12345")}» کد رهگیری نیست. کد ۸ رقم دارد، مانند ${ltr("1234-5678")}.`,
    ]);
  });

  it("works with just the 8-digit code typed after the “🔎 پیگیری گزارش” button", async () => {
    const tb = createTestBot();
    const { sara, code } = await saraWithReport(tb);

    await sara.text("🔎 پیگیری گزارش");
    expect(sara.lastReply()).toBe("کد رهگیری گزارش (۸ رقم) را بفرستید.");
    await sara.text(persianDigits(code));
    expect(sara.replies()).toEqual(["کد رهگیری گزارش (۸ رقم) را بفرستید.", ownerCard(code)]);
  });
});

describe("/my", () => {
  it("lists the citizen's own reports, newest first, with localized status", async () => {
    const tb = createTestBot();
    const { sara, code: first } = await saraWithReport(tb);
    tb.clock.now = new Date(T0.getTime() + 3 * HOUR);
    const second = await fileReport(tb, sara, {
      category: "روشنایی معابر",
      description: "چراغ‌های کوچه سه شب است خاموش است",
      location: { address: "بلوار جمهوری، نبش کوچه ۳" },
    });
    // Somebody else's report must not show up in Sara's list.
    const reza = tb.citizen(5102, { firstName: "Reza" });
    const rezaCode = await fileReport(tb, reza, {
      category: "زباله و نظافت",
      description: "سطل زباله سر کوچه پر شده است",
      location: { address: "خیابان گلستان، پلاک ۷" },
    });
    tb.api.clearCalls();

    await sara.text("/my");
    const expected = [
      "آخرین گزارش‌های شما:",
      `• ${ltr(formatCode(second))} — روشنایی معابر — دریافت شد (۶ فروردین ۱۴۰۳ ساعت ۱۴:۳۰)`,
      `• ${ltr(formatCode(first))} — نشت آب و فاضلاب — در حال رسیدگی (۶ فروردین ۱۴۰۳ ساعت ۱۱:۳۰)`,
    ].join("\n");
    expect(sara.replies()).toEqual([expected]);
    expect(sara.lastReply()).not.toContain(formatCode(rezaCode));

    await sara.text("📋 گزارش‌های من");
    expect(sara.replies()).toEqual([expected, expected]);
  });

  it("says there are no reports yet when the citizen has none", async () => {
    const tb = createTestBot();
    await saraWithReport(tb);
    const newcomer = tb.citizen(5104);
    await newcomer.text("/my");
    expect(newcomer.replies()).toEqual([`هنوز گزارشی ثبت نکرده‌اید. برای شروع ${LRM}/new را بفرستید.`]);
  });
});

describe("/help, /privacy, /language", () => {
  it("/help lists the commands with the main menu; /privacy states the retention days", async () => {
    const tb = createTestBot({ RETENTION_DAYS: "30" });
    const sim = tb.citizen(5201);
    await sim.text("/help");
    const help = sim.lastReply();
    expect(help.startsWith("کارهایی که می‌توانم انجام دهم:")).toBe(true);
    for (const cmd of ["/new", "/status", "/my", "/language", "/cancel", "/privacy", "/help"])
      expect(help).toContain(cmd);
    expect(replyKeyboard(tb, sim.chatId)).toEqual(FA_MENU);

    await sim.text("/privacy");
    expect(sim.lastReply()).toContain("اطلاعات شخصی ۳۰ روز پس از بسته شدن گزارش حذف می‌شود");
  });

  it("/language → English: confirms in English, redraws the menu in English, and later messages are English", async () => {
    const tb = createTestBot({ RETENTION_DAYS: "30" });
    const sim = tb.citizen(5202);
    await sim.text("/language");
    expect(sim.lastReply()).toBe("زبان خود را انتخاب کنید:");
    const picker = lastCall(tb, sim.chatId).payload.reply_markup as { inline_keyboard: { text: string }[][] };
    expect(picker.inline_keyboard.flat().map((b) => b.text)).toEqual(["فارسی", "English"]);

    const before = tb.api.calls.length;
    await sim.press("English");
    const after = tb.api.calls.slice(before);
    expect(after.map((c) => c.method)).toEqual(["answerCallbackQuery", "sendMessage"]);
    expect(after[1]!.payload.text).toBe("Language set to English.");
    expect(replyKeyboard(tb, sim.chatId)).toEqual(EN_MENU);
    expect((await Citizen.findOne({ platform: "telegram", userId: 5202 }).lean())!.locale).toBe("en");

    await sim.text("/help");
    expect(sim.lastReply().startsWith("What I can do:")).toBe(true);
    expect(replyKeyboard(tb, sim.chatId)).toEqual(EN_MENU);
    await sim.text("/privacy");
    expect(sim.lastReply()).toContain("removed from closed reports after 30 days");
    await sim.text("/my");
    expect(sim.lastReply()).toBe("You have not filed any reports yet. Send /new to start.");
    // The Persian label of a menu drawn before the switch still works, and answers in English.
    await sim.text("❓ راهنما");
    expect(sim.lastReply().startsWith("What I can do:")).toBe(true);
  });

  it("after switching to English, /status and the status updates of an earlier report come in English", async () => {
    const tb = createTestBot();
    const { sara, code } = await saraWithReport(tb);
    await Outbox.deleteMany({});
    await sara.text("/language");
    await sara.press("English");
    tb.api.clearCalls();

    await sara.text(`/status ${code}`);
    const card = sara.lastReply();
    expect(card).toContain(
      `Report ${formatCode(code)}\nStatus: in progress\nCategory: Water / sewage leak\nFiled: Farvardin 6, 1403 AP at 11:30 AM`,
    );
    expect(card).toContain(`Description: ${SARA.description}`);

    const report = (await Report.findOne({ code }).lean())!;
    tb.clock.now = new Date(T0.getTime() + 5 * HOUR);
    await changeStatus(report._id, "resolved", OFFICIAL, "The pipe was replaced", { now: tb.clock.now });
    tb.api.clearCalls();
    // The change queued the citizen's notice and, in the same write, the staff card's redraw: the
    // card was never posted here (its row was deleted above), so the redraw settles sending nothing.
    expect(await tb.dispatcher.drainOnce()).toBe(2);
    expect(tb.api.calls.map((c) => [c.method, c.payload.chat_id])).toEqual([["sendMessage", sara.chatId]]);
    expect(await Outbox.countDocuments({ kind: "staff_card_redraw", chatId: STAFF_CHAT })).toBe(1);
    expect(lastCall(tb, sara.chatId).payload.text).toBe(
      `Update on report ${formatCode(code)}: resolved.\nNote from the city: The pipe was replaced`,
    );
  });

  it("answers an English-language Telegram client in English by default", async () => {
    const tb = createTestBot();
    const tom = tb.citizen(5203, { firstName: "Tom", languageCode: "en" });
    await tom.text("/start");
    expect(tom.lastReply().startsWith("Dear Tom, welcome")).toBe(true);
    expect(replyKeyboard(tb, tom.chatId)).toEqual(EN_MENU);
    await tom.text("/help");
    expect(tom.lastReply().startsWith("What I can do:")).toBe(true);
    await tom.text("/status");
    expect(tom.lastReply()).toBe("Send the tracking code like this: /status 1234-5678");
  });
});

describe("anything else", () => {
  it("answers an unknown command with the unknown-command text and the menu", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(5301);
    await sim.text("/foo");
    expect(sim.replies()).toEqual([`این دستور را نمی‌شناسم. برای دیدن دستورها ${LRM}/help را بفرستید.`]);
    expect(replyKeyboard(tb, sim.chatId)).toEqual(FA_MENU);
  });

  it("answers a sticker outside any form with the fallback text", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(5302);
    await sim.sticker();
    expect(sim.replies()).toEqual([`لطفاً از منوی زیر استفاده کنید یا ${LRM}/help را بفرستید.`]);
    expect(replyKeyboard(tb, sim.chatId)).toEqual(FA_MENU);
  });

  it("answers a stale or forged button with an alert, without crashing", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(5303);
    await sim.callback("zzz:1");
    expect(tb.api.calls.map((c) => c.method)).toEqual(["answerCallbackQuery"]);
    expect(tb.api.calls[0]!.payload).toMatchObject({ text: "این دکمه مربوط به پیام قدیمی‌تری است.", show_alert: true });

    // The bot is still fine afterwards.
    await sim.text("/help");
    expect(sim.lastReply().startsWith("کارهایی که می‌توانم انجام دهم:")).toBe(true);
  });
});
