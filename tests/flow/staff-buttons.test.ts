import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, type TestBot } from "../support/test-bot.ts";
import { fileReport, KARAJ } from "../support/intake-steps.ts";
import { recordVisitInChat } from "../support/visit-steps.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { createI18n, translator } from "../../core/i18n.ts";
import { Report } from "../../models/report/report.ts";
import { Region } from "../../models/geography/region.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { followReport } from "../../models/report/report-queries.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { tinyPhoto } from "../support/photo-bytes.ts";

useTestDb({ cleanEach: true });

const REGION_CHAT = -1002000000001;
const OMID = 900; // official of region r1
const MINA = 901; // manager of region r1
const ALI = 904; // another official of region r1
const AZAR = 905; // admin
const SARA = 5100; // the reporter
const NIMA = 5300; // follows Sara's report

// What the group and an English-speaking presser should read, from the locale files themselves.
const i18n = createI18n("fa");
const fa = translator(i18n, "fa");
const en = translator(i18n, "en");

const TAKE = fa("card-btn-take");
const PROGRESS = fa("card-btn-progress");
const RESOLVE = fa("card-btn-resolve");

type Button = { text: string; callback_data?: string };
const keyboardOf = (call: ApiCall) =>
  (call.payload.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? [];
const labels = (call: ApiCall) => keyboardOf(call).map((row) => row.map((b) => b.text));
const lastAlert = (tb: TestBot) => tb.api.callsOf("answerCallbackQuery").at(-1)!.payload;
const lastCard = (tb: TestBot) =>
  tb.api
    .callsOf("editMessageText")
    .filter((c) => c.payload.chat_id === REGION_CHAT && keyboardOf(c).length > 0)
    .at(-1)!;
const sentTo = (tb: TestBot, chatId: number) =>
  tb.api.callsOf("sendMessage").filter((c) => c.payload.chat_id === chatId);
const report = async (code: string) => (await Report.findOne({ code }).lean())!;

/** Card rows in the locale files' words; `contact` is left out (this citizen sent no phone). */
const row = (...actions: string[]) => actions.map((a) => fa(`card-btn-${a}`));
const WORK = [row("resolve", "reject", "dup"), row("note", "ask", "inote"), row("visit")];

async function setup(opts: { category?: string; staffLanguage?: string } = {}) {
  await Region.updateOne({ key: "r1" }, { $set: { chat: { platform: "telegram", chatId: REGION_CHAT } } });
  await upsertStaff({ platform: "telegram", userId: OMID, name: "Omid", role: "official", regions: ["r1"] });
  await upsertStaff({ platform: "telegram", userId: MINA, name: "Mina", role: "manager", regions: ["r1"] });
  await upsertStaff({ platform: "telegram", userId: ALI, name: "Ali", role: "official", regions: ["r1"] });
  await upsertStaff({ platform: "telegram", userId: AZAR, name: "Azar", role: "admin", regions: [] });
  const tb = createTestBot();
  const code = await fileReport(tb, tb.citizen(SARA, { firstName: "Sara" }), {
    location: KARAJ,
    ...(opts.category ? { category: opts.category } : {}),
  });
  expect(await followReport(code, { platform: "telegram", userId: NIMA, chatId: NIMA, locale: "fa" })).toBe(true);
  await tb.dispatcher.drainOnce();
  const language = opts.staffLanguage ? { languageCode: opts.staffLanguage } : {};
  const r = await report(code);
  return {
    tb,
    code,
    id: r._id.toHexString(),
    shown: formatCode(code),
    omid: tb.member(OMID, REGION_CHAT, { firstName: "Omid", ...language }),
    ali: tb.member(ALI, REGION_CHAT, { firstName: "Ali" }),
    mina: tb.member(MINA, REGION_CHAT, { firstName: "Mina", ...language }),
  };
}

describe("staff buttons mean what they say", () => {
  it("Take pressed again by its holder answers 'already yours': no second history entry, no second message to the citizen or a follower; In progress likewise", async () => {
    const { tb, code, id, shown, omid } = await setup();
    tb.api.clearCalls();
    await omid.press(TAKE);
    const taken = await report(code);
    expect(taken).toMatchObject({ status: "assigned", assignee: { userId: OMID } });
    // The old card's Take, pressed again (a second tap, a slow client, another copy of the card).
    await omid.callback(`c:${id}:take`);
    expect(lastAlert(tb)).toMatchObject({ text: fa("staff-already-yours", { code: shown }), show_alert: true });
    expect((await report(code)).history).toHaveLength(taken.history.length);
    await tb.dispatcher.drainOnce();
    expect(sentTo(tb, SARA).map((c) => c.payload.text)).toEqual([
      fa("notify-status", { code: shown, status: fa("status-assigned") }),
    ]);
    expect(sentTo(tb, NIMA)).toHaveLength(1);

    await omid.press(PROGRESS);
    const started = await report(code);
    expect(started.status).toBe("in_progress");
    await omid.callback(`c:${id}:progress`);
    expect(lastAlert(tb)).toMatchObject({ text: fa("staff-already-in-progress", { code: shown }), show_alert: true });
    await omid.callback(`c:${id}:take`);
    expect(lastAlert(tb)).toMatchObject({ text: fa("staff-already-yours", { code: shown }) });
    expect((await report(code)).history).toHaveLength(started.history.length);
    await tb.dispatcher.drainOnce();
    expect(sentTo(tb, SARA)).toHaveLength(2);
    expect(sentTo(tb, NIMA)).toHaveLength(2);
  });

  it("someone else's case: Take and In progress by another official name who has it and change nothing; a manager hands it on, and work started stays started", async () => {
    const { tb, code, id, shown, omid, ali, mina } = await setup();
    await omid.press(TAKE);
    const before = await report(code);
    await ali.callback(`c:${id}:take`);
    expect(lastAlert(tb)).toMatchObject({
      text: fa("staff-held-by-other", { code: shown, name: "Omid" }),
      show_alert: true,
    });
    await ali.callback(`c:${id}:progress`);
    expect(lastAlert(tb)).toMatchObject({ text: fa("staff-held-by-other", { code: shown, name: "Omid" }) });
    expect(await report(code)).toMatchObject({
      status: "assigned",
      assignee: { userId: OMID },
      history: before.history,
    });

    await omid.press(PROGRESS);
    await tb.dispatcher.drainOnce();
    tb.api.clearCalls();
    await mina.press(fa("card-btn-assign"));
    const picker = sentTo(tb, REGION_CHAT).at(-1)!;
    // The holder is not offered: "hand on to" lists the others (an admin serves every region).
    expect(labels(picker).flat().sort()).toEqual(["Ali", "Azar", "Mina"]);
    await mina.press("Ali");
    const handed = await report(code);
    expect(handed).toMatchObject({ status: "in_progress", assignee: { userId: ALI } });
    expect(handed.history.at(-1)).toMatchObject({
      kind: "assign",
      from: "in_progress",
      to: "in_progress",
      public: false,
      by: { name: "Mina" },
    });
    // A stale picker naming the new holder changes nothing.
    await mina.callback(`ca:${id}:${ALI}`);
    expect(lastAlert(tb)).toMatchObject({ text: fa("staff-already-theirs", { code: shown, name: "Ali" }) });
    expect((await report(code)).history).toHaveLength(handed.history.length);
    // The citizens already know it is in progress: a new holder is staff business.
    await tb.dispatcher.drainOnce();
    expect(sentTo(tb, SARA)).toHaveLength(0);
    expect(sentTo(tb, NIMA)).toHaveLength(0);
  });

  it("the card offers only what the case's state allows: Take while nobody has it, In progress before work starts", async () => {
    const { tb, omid } = await setup();
    const posted = tb.api
      .callsOf("sendMessage")
      .find((c) => c.payload.chat_id === REGION_CHAT && keyboardOf(c).length > 0)!;
    expect(labels(posted)).toEqual([row("take", "assign", "progress"), ...WORK]);
    await omid.press(TAKE);
    await tb.dispatcher.drainOnce();
    expect(labels(lastCard(tb))).toEqual([row("assign", "progress"), ...WORK]);
    await omid.press(PROGRESS);
    await tb.dispatcher.drainOnce();
    expect(labels(lastCard(tb))).toEqual([row("assign"), ...WORK]);
    // Omid leaves the staff: the case in progress is nobody's, so Take is back.
    await tb.citizen(AZAR, { firstName: "Azar" }).text(`/staff remove telegram:${OMID}`);
    await tb.dispatcher.drainOnce();
    expect(labels(lastCard(tb))).toEqual([row("take", "assign"), ...WORK]);
    await tb.member(ALI, REGION_CHAT).press(TAKE);
    await tb.dispatcher.drainOnce();
    expect(labels(lastCard(tb))).toEqual([row("assign"), ...WORK]);
  });

  it("Resolve without the required visit: the notice with 'Record visit' is posted once per state of the case; further presses get the alert only", async () => {
    const { tb, shown, omid } = await setup();
    const notices = () =>
      sentTo(tb, REGION_CHAT).filter((c) => c.payload.text === fa("visit-required", { code: shown }));
    await omid.press(TAKE);
    await omid.press(RESOLVE);
    await omid.press(RESOLVE);
    await omid.press(RESOLVE);
    expect(
      tb.api
        .callsOf("answerCallbackQuery")
        .slice(-3)
        .map((c) => c.payload),
    ).toEqual(
      Array(3).fill({
        callback_query_id: expect.any(String),
        text: fa("visit-required", { code: shown }),
        show_alert: true,
      }),
    );
    expect(notices()).toHaveLength(1);
    expect(labels(notices()[0]!)).toEqual([[fa("card-btn-visit")]]);
    // A new state (work started) may say it once more.
    await omid.press(PROGRESS);
    await omid.press(RESOLVE);
    await omid.press(RESOLVE);
    expect(notices()).toHaveLength(2);
  });

  it("posts in the group speak the group's language; alerts speak the presser's (an English-speaking official and manager in a Persian group)", async () => {
    const { tb, code, shown, omid, mina } = await setup({ staffLanguage: "en" });
    await omid.press(TAKE);
    expect(lastAlert(tb)).toMatchObject({ text: en("staff-done-take", { code: shown }) });
    tb.api.clearCalls();
    await omid.press(RESOLVE);
    expect(lastAlert(tb)).toMatchObject({ text: en("visit-required", { code: shown }) });
    const notice = sentTo(tb, REGION_CHAT).at(-1)!;
    expect(notice.payload.text).toBe(fa("visit-required", { code: shown }));
    expect(labels(notice)).toEqual([[fa("card-btn-visit")]]);

    await mina.press(fa("card-btn-assign"));
    expect(sentTo(tb, REGION_CHAT).at(-1)!.payload.text).toBe(fa("staff-assign-pick", { code: shown }));

    await omid.press(fa("card-btn-reject"));
    expect(sentTo(tb, REGION_CHAT).at(-1)!.payload.text).toBe(
      fa("staff-prompt-reject", { code: shown, who: `<a href="tg://user?id=${OMID}">Omid</a>` }),
    );
    await omid.text("x".repeat(1001));
    expect(omid.lastReply()).toBe(fa("staff-text-too-long", { max: 1000, length: 1001 }));
    await omid.text("خارج از حوزه شهرداری است");
    expect(omid.lastReply()).toBe(fa("staff-done-reject", { code: shown }));
    expect((await report(code)).status).toBe("rejected");
    // Every message the bot posted in the group was Persian.
    expect(sentTo(tb, REGION_CHAT).every((c) => /[\u0600-\u06FF]/.test(String(c.payload.text)))).toBe(true);
  });

  it("after recording a visit the official gets no citizen menu: the location button is taken away, nothing put in its place", async () => {
    const { tb, omid } = await setup();
    await omid.press(fa("card-btn-visit"));
    await recordVisitInChat(tb, tb.citizen(OMID, { firstName: "Omid" }));
    expect(sentTo(tb, OMID).at(-1)!.payload.reply_markup).toEqual({ remove_keyboard: true });
    // No reply keyboard but the location button was ever shown to the official.
    const keyboards = sentTo(tb, OMID).flatMap(
      (c) => (c.payload.reply_markup as { keyboard?: { request_location?: boolean }[][] } | undefined)?.keyboard ?? [],
    );
    expect(keyboards.flat().length).toBeGreaterThan(0);
    expect(keyboards.flat().every((b) => b.request_location === true)).toBe(true);
  });

  it("a follower hears of the visit as 'the report you follow', the reporter as 'your report'", async () => {
    const { tb, shown, omid } = await setup();
    await omid.press(fa("card-btn-visit"));
    await recordVisitInChat(tb, tb.citizen(OMID, { firstName: "Omid" }), { tell: true });
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    const date = String(sentTo(tb, SARA)[0]!.payload.text).match(/در (.+) از محل/)![1]!;
    expect(sentTo(tb, SARA).map((c) => c.payload.text)).toEqual([fa("notify-site-visit", { code: shown, date })]);
    expect(sentTo(tb, NIMA).map((c) => c.payload.text)).toEqual([
      fa("notify-site-visit-follower", { code: shown, date }),
    ]);
    expect(String(sentTo(tb, NIMA)[0]!.payload.text)).toContain("گزارشی که دنبال می‌کنید");
    expect(String(sentTo(tb, NIMA)[0]!.payload.text)).not.toContain("گزارش شما");
  });

  it("every skip in staff flows has its own words, never a neighbour of Reject: no photo, no note", async () => {
    const { tb, omid } = await setup({ category: "زباله و نظافت" });
    await omid.press(RESOLVE);
    await omid.text("جمع‌آوری شد");
    const photoAsk = sentTo(tb, REGION_CHAT).at(-1)!;
    expect(labels(photoAsk)).toEqual([["بدون عکس"]]);
    expect(photoAsk.payload.text).toContain("«بدون عکس»");
    await omid.press("بدون عکس");

    // An English-speaking official's visit, in private: the note is skipped with "No note".
    const { tb: tb2, omid: omid2 } = await setup({ staffLanguage: "en" });
    const dm = tb2.citizen(OMID, { firstName: "Omid", languageCode: "en" });
    await omid2.press(fa("card-btn-visit"));
    await dm.press(en("visit-btn-start"));
    await dm.location(KARAJ.lat + 0.0002, KARAJ.lon, {
      livePeriod: 900,
      date: Math.floor(tb2.clock.now.getTime() / 1000),
    });
    tb2.api.addFile("site-en", tinyPhoto("site-en"));
    await dm.photo("site-en", 4, { date: Math.floor(tb2.clock.now.getTime() / 1000) });
    await dm.press(en("visit-btn-done"));
    const noteAsk = sentTo(tb2, OMID).at(-1)!;
    expect(labels(noteAsk)).toEqual([["No note"]]);
    expect(noteAsk.payload.text).toContain("“No note”");
    const words = [fa("staff-skip-photo"), fa("visit-btn-skip"), en("staff-skip-photo"), en("visit-btn-skip")];
    expect(new Set(words).size).toBe(4);
    expect(words).not.toContain(fa("card-btn-reject"));
    expect(words.some((w) => w.includes("رد"))).toBe(false);
  });
});
