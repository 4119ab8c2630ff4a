import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, STAFF_CHAT, type TestBot } from "../support/test-bot.ts";
import { fileReport, fillReport, KARAJ } from "../support/intake-steps.ts";
import type { ChatSim } from "../support/chat-sim.ts";
import { Report, type ReportDoc } from "../../models/report/report.ts";
import { Category } from "../../models/geography/category.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { createI18n, translator } from "../../core/i18n.ts";
import { ltr } from "../../core/format.ts";
import { applyRetention } from "../../models/ops/retention.ts";

useTestDb({ cleanEach: true });

const fa = translator(createI18n("fa"), "fa");
const en = translator(createI18n("fa"), "en");
const POLE_FA = "شماره تیر چراغ (شماره‌ای که روی تیر نوشته شده)";
const POLE_EN = "Pole number (the number painted on the pole)";
const LIGHTING = "روشنایی معابر";
const LIGHTS_OUT = "چراغ‌های کوچه سوم سه شب است خاموش است";

async function stored(code: string): Promise<ReportDoc> {
  const r = await Report.findOne({ code }).lean<ReportDoc>();
  if (!r) throw new Error(`no report ${code}`);
  return r;
}

/** The staff card the dispatcher posted for this report (the newest one to the staff chat). */
async function staffCard(tb: TestBot, code: string): Promise<string> {
  await tb.dispatcher.drainOnce();
  const card = tb.api
    .callsOf("sendMessage")
    .filter((c) => c.payload.chat_id === STAFF_CHAT && String(c.payload.text).includes(ltr(formatCode(code))))
    .at(-1);
  if (!card) throw new Error(`no card for ${code}`);
  return String(card.payload.text);
}

function inlineLabels(tb: TestBot, sim: ChatSim): string[] {
  const last = tb.api.callsOf("sendMessage").findLast((c) => c.payload.chat_id === sim.chatId);
  const markup = last?.payload.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => b.text);
}

describe("a category's extra questions in the chat form (street lighting: the pole number)", () => {
  it("asks the pole number after the description; a photo, a sticker or an oversized text get a clear message; Persian digits are stored Latin; summary, report, card and /case show it", async () => {
    const tb = createTestBot();
    const sara = tb.citizen(7001, { firstName: "Sara" });
    await sara.text("/new");
    await sara.press(LIGHTING);
    await sara.text(LIGHTS_OUT);

    const question = sara.lastReply();
    expect(question.split("\n")[0]).toBe(POLE_FA);
    expect(question).toContain(fa("attribute-how-text"));
    expect(question).toContain(fa("attribute-optional"));
    expect(inlineLabels(tb, sara)).toEqual(["⏭ رد شدن"]);

    // Wrong kinds of message: what the step wants, with the Skip button again.
    await sara.photo("lamp-photo");
    expect(sara.lastReply()).toBe("لطفاً پاسخ را به‌صورت پیام متنی بفرستید یا «⏭ رد شدن» را بزنید.");
    expect(inlineLabels(tb, sara)).toEqual(["⏭ رد شدن"]);
    await sara.sticker();
    expect(sara.lastReply()).toBe("لطفاً پاسخ را به‌صورت پیام متنی بفرستید یا «⏭ رد شدن» را بزنید.");
    // Too long: refused with the limit, in Persian digits.
    await sara.text("۱".repeat(201));
    expect(sara.lastReply()).toBe("این پاسخ ۲۰۱ حرف است و حداکثر ۲۰۰ حرف پذیرفته می‌شود. لطفاً کوتاه‌ترش کنید.");

    await sara.text(" ۱۲-۳۴۵ ");
    expect(sara.lastReply()).toBe(fa("ask-location"));
    await sara.location(KARAJ.lat, KARAJ.lon);
    await sara.press("⏭ بدون عکس");
    await sara.text("رد شدن");
    // The answer as typed would read "۳۴۵-۱۲" in Persian text: stored with Latin digits, shown as a token.
    expect(sara.lastReply()).toContain(`شرح: ${LIGHTS_OUT}`);
    expect(sara.lastReply()).toContain(`${POLE_FA}: ${ltr("12-345")}`);
    await sara.press("✅ ثبت");
    const m = /کد رهگیری: \u200e(\d{4})-(\d{4})/.exec(sara.lastReply());
    expect(m).not.toBeNull();
    const code = `${m![1]}${m![2]}`;

    expect(await stored(code)).toMatchObject({
      categoryKey: "lighting",
      description: LIGHTS_OUT,
      attributes: [{ code: "pole_number", values: ["12-345"] }],
    });

    const card = await staffCard(tb, code);
    expect(card).toContain(`${LIGHTS_OUT}\n${POLE_FA}: ${ltr("12-345")}\n📍`);

    await upsertStaff({
      platform: "telegram",
      userId: 7101,
      name: "Omid",
      role: "official",
      departments: ["lighting"],
    });
    const omid = tb.member(7101, STAFF_CHAT, { firstName: "Omid" });
    await omid.text(`/case ${code}`);
    expect(omid.lastReply()).toContain(`${POLE_FA}: ${ltr("12-345")}`);
  });

  it("another citizen skips it: nothing stored, the summary shows it was asked, the card has no answer line", async () => {
    const tb = createTestBot();
    const reza = tb.citizen(7002, { firstName: "Reza" });
    await fillReport(tb, reza, { category: LIGHTING, description: LIGHTS_OUT, location: KARAJ });
    expect(reza.replies().filter((r) => r.startsWith(POLE_FA))).toHaveLength(1); // asked once, skipped by the helper
    expect(reza.lastReply()).toContain(`${POLE_FA}: —`);
    await reza.press("✅ ثبت");
    const m = /کد رهگیری: \u200e(\d{4})-(\d{4})/.exec(reza.lastReply());
    const code = `${m![1]}${m![2]}`;
    expect((await stored(code)).attributes).toEqual([]);
    const card = await staffCard(tb, code);
    expect(card).toContain(LIGHTS_OUT);
    expect(card).not.toContain("شماره تیر");
  });

  it("in English; Edit reaches the extra questions again, and another category drops their answers", async () => {
    const tb = createTestBot();
    const john = tb.citizen(7003, { firstName: "John", languageCode: "en" });
    await john.text("/new");
    await john.press("Street lighting");
    await john.text("The lamp post at the corner is dark");
    expect(john.lastReply().split("\n")[0]).toBe(POLE_EN);
    await john.press("⏭ Skip");
    expect(john.lastReply()).toBe(en("ask-location"));
    await john.location(KARAJ.lat, KARAJ.lon);
    await john.press("⏭ Skip photos");
    await john.text("Skip");
    expect(john.lastReply()).toContain(`${POLE_EN}: —`);

    await john.press("✏️ Edit");
    expect(inlineLabels(tb, john)).toContain("Extra questions");
    await john.press("Extra questions");
    expect(john.lastReply().split("\n")[0]).toBe(POLE_EN);
    await john.text("L-0042");
    expect(john.lastReply()).toContain(`${POLE_EN}: L-0042`);

    // A water leak has no extra questions: the pole number goes, and Edit no longer offers them.
    await john.press("✏️ Edit");
    await john.press("Category");
    await john.press("Water / sewage leak");
    expect(john.lastReply()).toContain("Category: Water / sewage leak");
    expect(john.lastReply()).not.toContain(POLE_EN);
    await john.press("✏️ Edit");
    expect(inlineLabels(tb, john)).not.toContain("Extra questions");
    await john.press("↩️ Back to summary");
    await john.press("✅ Submit");
    const m = /Tracking code: (\d{4})-(\d{4})/.exec(john.lastReply());
    expect((await stored(`${m![1]}${m![2]}`)).attributes).toEqual([]);
  });

  it("an admin's questions of every kind: a required number re-asked until it is one, a list by buttons, a multiple choice toggled", async () => {
    const t = (fa: string, en: string) => ({ fa, en });
    await Category.updateOne(
      { key: "garbage" },
      {
        $set: {
          attributes: [
            { code: "bins", datatype: "number", required: true, order: 1, description: t("تعداد سطل‌ها", "Bins") },
            {
              code: "kind",
              datatype: "singlevaluelist",
              required: true,
              order: 2,
              description: t("نوع زباله", "Kind of waste"),
              values: [
                { key: "household", name: t("خانگی", "Household") },
                { key: "building", name: t("نخاله ساختمانی", "Building rubble") },
              ],
            },
            {
              code: "smell",
              datatype: "multivaluelist",
              required: false,
              order: 3,
              description: t("چه مشکلی دارد؟", "What is wrong?"),
              values: [
                { key: "odour", name: t("بو", "Odour") },
                { key: "pests", name: t("حشرات", "Pests") },
                { key: "leak", name: t("شیرابه", "Leak") },
              ],
            },
          ],
        },
      },
    );
    const tb = createTestBot();
    const sara = tb.citizen(7004, { firstName: "Sara" });
    await sara.text("/new");
    await sara.press("زباله و نظافت");
    await sara.text("سطل‌های زباله سر کوچه پر شده‌اند");

    expect(sara.lastReply()).toBe(`تعداد سطل‌ها\n${fa("attribute-how-number")}`);
    expect(inlineLabels(tb, sara)).toEqual([]); // required: no Skip
    await sara.text("سه تا");
    expect(sara.lastReply()).toBe("این عدد نیست. لطفاً فقط رقم بفرستید، مثلاً ۱۲.");
    await sara.voice();
    expect(sara.lastReply()).toBe("لطفاً پاسخ را به‌صورت پیام متنی بفرستید.");
    await sara.text("۳");

    expect(sara.lastReply()).toBe(`نوع زباله\n${fa("attribute-how-single")}`);
    expect(inlineLabels(tb, sara)).toEqual(["خانگی", "نخاله ساختمانی"]);
    await sara.text("خانگی"); // typed, not pressed
    expect(sara.lastReply()).toBe("لطفاً با دکمه‌های بالا انتخاب کنید.");
    await sara.press("خانگی");

    expect(sara.lastReply().split("\n")[0]).toBe("چه مشکلی دارد؟");
    expect(inlineLabels(tb, sara)).toEqual(["بو", "حشرات", "شیرابه", "✅ تمام", "⏭ رد شدن"]);
    await sara.press("شیرابه");
    expect(sara.lastReply()).toBe("تا اینجا انتخاب شده: شیرابه. موارد دیگری انتخاب کنید یا «✅ تمام» را بزنید.");
    expect(inlineLabels(tb, sara)).toEqual(["بو", "حشرات", "✅ شیرابه", "✅ تمام", "⏭ رد شدن"]);
    await sara.press("بو");
    await sara.press("حشرات");
    await sara.press("حشرات"); // changed her mind
    expect(inlineLabels(tb, sara)).toEqual(["✅ بو", "حشرات", "✅ شیرابه", "✅ تمام", "⏭ رد شدن"]);
    await sara.press("✅ تمام");
    expect(sara.lastReply()).toBe(fa("ask-location"));

    await sara.location(KARAJ.lat, KARAJ.lon);
    await sara.press("⏭ بدون عکس");
    await sara.text("رد شدن");
    const summary = sara.lastReply();
    expect(summary).toContain("تعداد سطل‌ها: ۳");
    expect(summary).toContain("نوع زباله: خانگی");
    expect(summary).toContain("چه مشکلی دارد؟: بو، شیرابه");
    await sara.press("✅ ثبت");
    const m = /کد رهگیری: \u200e(\d{4})-(\d{4})/.exec(sara.lastReply());
    const code = `${m![1]}${m![2]}`;
    expect((await stored(code)).attributes).toEqual([
      { code: "bins", values: ["3"] },
      { code: "kind", values: ["household"] },
      { code: "smell", values: ["odour", "leak"] },
    ]);
  });

  it("/forgetme erases the answers with the description: nothing stored, the redrawn card shows none", async () => {
    const tb = createTestBot();
    const sara = tb.citizen(7006, { firstName: "Sara" });
    const code = await fileReport(tb, sara, {
      category: LIGHTING,
      description: LIGHTS_OUT,
      location: KARAJ,
      attributes: ["SV-4471 by my door"],
    });
    expect(await staffCard(tb, code)).toContain("SV-4471 by my door");
    await sara.text("/forgetme");
    await sara.press("🗑 بله، اطلاعاتم حذف شود");
    tb.api.clearCalls();
    const result = await applyRetention({ days: 365, now: tb.clock.now });
    expect(result.forgetReports).toBe(1);
    expect(await stored(code)).toMatchObject({ description: "", attributes: [], erasedAt: expect.any(Date) });
    tb.clock.now = new Date(tb.clock.now.getTime() + 60_000);
    await tb.dispatcher.drainOnce();
    const redrawn = tb.api.calls.filter((c) => c.payload.chat_id === STAFF_CHAT);
    expect(redrawn.length).toBeGreaterThan(0);
    for (const c of redrawn) expect(JSON.stringify(c.payload)).not.toContain("SV-4471");
  });

  it("the shared intake helper answers the questions it is given and skips the rest", async () => {
    const tb = createTestBot();
    const sara = tb.citizen(7005, { firstName: "Sara" });
    const code = await fileReport(tb, sara, {
      category: LIGHTING,
      description: LIGHTS_OUT,
      location: KARAJ,
      attributes: ["A-17"],
    });
    expect((await stored(code)).attributes).toEqual([{ code: "pole_number", values: ["A-17"] }]);
  });
});
