import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, STAFF_CHAT, type TestBot } from "../support/test-bot.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { fileReport } from "../support/intake-steps.ts";
import { Report } from "../../models/report/report.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { ltr } from "../../core/format.ts";

useTestDb({ cleanEach: true });

const OMID = 900; // official of r1, the region of the Karaj centre
const REZA = 903; // official of r2 only
const PHONE = "+989121235001";
const LRM = "\u200e";
const CONTACT = "📞 تماس با شهروند";

const fmt = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
const buttons = (call: ApiCall) =>
  ((call.payload.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.text);
const lastAnswer = (tb: TestBot) => tb.api.callsOf("answerCallbackQuery").at(-1)!.payload;
const report = async (code: string) => (await Report.findOne({ code }).lean())!;
/** Everything the bot ever sent into the staff group, as one string. */
const groupTraffic = (tb: TestBot) =>
  JSON.stringify(tb.api.log.filter((c) => Number(c.payload.chat_id) === STAFF_CHAT).map((c) => c.payload));

async function setup(phone: string | null = PHONE) {
  await upsertStaff({ platform: "telegram", userId: OMID, name: "Omid", role: "official", regions: ["r1"] });
  await upsertStaff({ platform: "telegram", userId: REZA, name: "Reza", role: "official", regions: ["r2"] });
  const tb = createTestBot();
  const sara = tb.citizen(5300, { firstName: "Sara" });
  const code = await fileReport(tb, sara, { phone });
  await tb.dispatcher.drainOnce();
  const card = tb.api.callsOf("sendMessage").find((c) => c.payload.chat_id === STAFF_CHAT && buttons(c).length > 0)!;
  return {
    tb,
    sara,
    code,
    card,
    omid: tb.member(OMID, STAFF_CHAT, { firstName: "Omid" }),
    reza: tb.member(REZA, STAFF_CHAT, { firstName: "Reza" }),
  };
}

describe("the citizen's phone number in staff chats", () => {
  it("the card in the group shows only the masked number (between LRMs), never the full one, and offers 📞 Contact citizen", async () => {
    const { tb, card, code, omid } = await setup();
    expect(String(card.payload.text)).toContain(`👤 Sara ${LRM}+98 912 *** 5001${LRM}`);
    expect(buttons(card)).toContain(CONTACT);
    // /case in the group: the same masked card, still no number.
    await omid.text(`/case ${fmt(code)}`);
    expect(omid.lastReply()).toContain(`${LRM}+98 912 *** 5001${LRM}`);
    // Photos, card, pin, /case reply: nothing in the group carries the full number in any form.
    for (const form of ["9121235001", "1235001", "912123"]) expect(groupTraffic(tb)).not.toContain(form);
  });

  it("an official in scope presses 📞: the full number in a private message, and an internal history entry naming them", async () => {
    const { tb, code, omid } = await setup();
    const historyBefore = (await report(code)).history.length;
    tb.api.clearCalls();
    await omid.press(CONTACT);
    const dm = tb.api.callsOf("sendMessage").filter((c) => c.payload.chat_id === OMID);
    expect(dm).toHaveLength(1);
    expect(dm[0]!.payload.text).toBe(
      `📞 شهروند پرونده ${LRM}${fmt(code)}${LRM}: Sara\nتلفن: ${LRM}${PHONE}${LRM}\nاین دسترسی در تاریخچه پرونده ثبت شد؛ شماره را فقط برای پیگیری همین پرونده به کار ببرید.`,
    );
    expect(lastAnswer(tb)).toMatchObject({
      text: `شماره شهروند پرونده ${LRM}${fmt(code)}${LRM} را در گفتگوی خصوصی برایتان فرستادم.`,
    });
    const r = await report(code);
    expect(r.history).toHaveLength(historyBefore + 1);
    expect(r.history.at(-1)).toMatchObject({
      kind: "phone_viewed",
      public: false,
      note: "",
      by: { kind: "staff", platform: "telegram", id: OMID, name: "Omid" },
      at: tb.clock.now,
    });
    expect(r.status).toBe("new"); // a look at the number is not an action on the case
    expect(groupTraffic(tb)).not.toContain("1235001");
    // /case for staff lists the access as internal.
    await omid.text(`/case ${code}`);
    expect(omid.lastReply()).toMatch(/▫️ [^\n]* · 🔒 داخلی · 📞 دیدن شماره تلفن شهروند · Omid/);
    // Looking up the number is not the case's last action: the card keeps naming the real one.
    expect(omid.lastReply()).toMatch(/آخرین اقدام: Sara — دریافت شد/);
  });

  it("an official outside the case's scope is refused: an alert, no number sent anywhere, nothing recorded", async () => {
    const { tb, code, card, reza } = await setup();
    const before = (await report(code)).history;
    tb.api.clearCalls();
    // The card's own button data, pressed by Reza in the group.
    const data = (
      card.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard
      .flat()
      .find((b) => b.text === CONTACT)!.callback_data;
    await reza.callback(data);
    expect(lastAnswer(tb)).toMatchObject({ text: "این پرونده در منطقه یا واحد شما نیست.", show_alert: true });
    expect(tb.api.callsOf("sendMessage")).toEqual([]);
    expect(JSON.stringify(tb.api.calls)).not.toContain("1235001");
    expect((await report(code)).history).toEqual(before);
  });

  it("someone who is not staff (or was removed) gets no number either", async () => {
    const { tb, code, card } = await setup();
    const stranger = tb.member(4444, STAFF_CHAT, { firstName: "Stranger" });
    const data = (
      card.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard
      .flat()
      .find((b) => b.text === CONTACT)!.callback_data;
    tb.api.clearCalls();
    await stranger.callback(data);
    expect(lastAnswer(tb)).toMatchObject({ text: "این کار فقط برای کارکنان ثبت‌شده مجاز است.", show_alert: true });
    expect(JSON.stringify(tb.api.calls)).not.toContain("1235001");
    expect((await report(code)).history.some((h) => h.kind === "phone_viewed")).toBe(false);
  });

  it("an official who never opened a private chat with the bot is told to open it and press Start; nothing is recorded", async () => {
    const { tb, code, omid } = await setup();
    tb.api.fail("sendMessage", {
      error_code: 403,
      description: "Forbidden: bot can't initiate conversation with a user",
    });
    await omid.press(CONTACT);
    expect(lastAnswer(tb)).toMatchObject({
      text: `شماره فقط در گفتگوی خصوصی فرستاده می‌شود. گفتگو با ${LRM}@${ltr("citizen137_bot")} را باز کنید، «شروع» را بزنید و دوباره «${CONTACT}» را بزنید.`,
      show_alert: true,
    });
    expect((await report(code)).history.some((h) => h.kind === "phone_viewed")).toBe(false);
    // Once they have opened the chat, the same button works.
    await omid.press(CONTACT);
    expect(tb.api.textsTo(OMID).at(-1)).toContain(`${LRM}${PHONE}${LRM}`);
    expect((await report(code)).history.filter((h) => h.kind === "phone_viewed")).toHaveLength(1);
  });

  it("the citizen's /status never shows that staff looked at their number", async () => {
    const { sara, code, omid } = await setup();
    await sara.text(`/status ${code}`);
    const before = sara.lastReply();
    await omid.press(CONTACT);
    await sara.text(`/status ${code}`);
    expect(sara.lastReply()).toBe(before);
    expect(sara.lastReply()).not.toContain("شماره");
  });

  it("a report without a phone number has no 📞 button on its card", async () => {
    const { card } = await setup(null);
    expect(buttons(card)).not.toContain(CONTACT);
    expect(buttons(card)).toContain("📍 ثبت بازدید");
  });
});
