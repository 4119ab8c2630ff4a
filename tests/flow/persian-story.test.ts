import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, type TestBot } from "../support/test-bot.ts";
import { fillReport, KARAJ } from "../support/intake-steps.ts";
import { recordVisitInChat } from "../support/visit-steps.ts";
import type { ChatSim } from "../support/chat-sim.ts";
import { persianViolations, sentTexts, summarize } from "../support/persian-checks.ts";
import { Report } from "../../models/report/report.ts";
import { Region } from "../../models/geography/region.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { tinyPhoto } from "../support/photo-bytes.ts";

useTestDb({ cleanEach: true });

const REGION_CHAT = -1002000000001;
const MANAGERS = -1003000000001;
const CITIZEN = 5300;
const OMID = 900; // official of region r1, who typed his name in Latin letters
/** 0.0003° of latitude north of the reported point: a visit 33 m away, on site. */
const THIRTY_THREE_M = { lat: KARAJ.lat + 0.0003, lon: KARAJ.lon };

/** Presses the inline button whose data ends so (the star buttons' labels are what this test checks). */
async function pressData(tb: TestBot, sim: ChatSim, suffix: string): Promise<void> {
  const call = [...tb.api.log]
    .reverse()
    .find(
      (c) =>
        Number(c.payload.chat_id) === sim.chatId && buttonData(c.payload.reply_markup).some((d) => d.endsWith(suffix)),
    );
  const data = call ? buttonData(call.payload.reply_markup).find((d) => d.endsWith(suffix)) : undefined;
  if (!data) throw new Error(`no button with data …${suffix} in the chat with ${sim.chatId}`);
  await sim.callback(data);
}

function buttonData(markup: unknown): string[] {
  const rows = (markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [];
  return rows.flat().flatMap((b) => (b.callback_data ? [b.callback_data] : []));
}

describe("a whole case told in Persian: every text a Persian reader gets is Persian, read as typed", () => {
  it("citizen, official, field visits, 'not fixed' escalated to the managers, fixed and rated: bidi, Latin words and digits", async () => {
    await Region.updateOne({ key: "r1" }, { $set: { chat: { platform: "telegram", chatId: REGION_CHAT } } });
    await upsertStaff({ platform: "telegram", userId: OMID, name: "Omid", role: "official", regions: ["r1"] });
    const tb = createTestBot({ MANAGERS_CHAT_ID: String(MANAGERS) });
    const later = (minutes: number) => (tb.clock.now = new Date(tb.clock.now.getTime() + minutes * 60_000));
    const sara = tb.citizen(CITIZEN, { firstName: "سارا" });
    const omid = tb.member(OMID, REGION_CHAT, { firstName: "Omid" });
    const omidDm = tb.citizen(OMID, { firstName: "Omid" });

    // The citizen files a report with a photo and a shared location.
    await sara.text("/start");
    await sara.text("/help");
    await fillReport(tb, sara, {
      description: "لوله آب جلوی مدرسه شکسته است",
      location: KARAJ,
      photos: [{ fileId: "leak-1", bytes: tinyPhoto("leak-1") }],
    });
    await sara.press("✅ ثبت");
    const { code, _id } = (await Report.findOne({}).lean())!;
    const reportId = _id.toHexString();
    await tb.dispatcher.drainOnce();
    await sara.text(`/status ${code}`);
    await sara.text("/my");

    // The official takes it in the staff group, starts work, writes to the citizen.
    later(30);
    await omid.press("🙋 برعهده می‌گیرم");
    await omid.press("🛠 در حال انجام");
    await omid.press("💬 پیام به شهروند");
    await omid.text("اکیپ تعمیرات فردا صبح اعزام می‌شود");
    await tb.dispatcher.drainOnce();

    // A field visit 33 m from the reported point, from his private chat; the citizen is told.
    later(60);
    await omid.press("📍 ثبت بازدید");
    await recordVisitInChat(tb, omidDm, { at: THIRTY_THREE_M, note: "لوله اصلی ترکیده است", tell: true });
    await tb.dispatcher.drainOnce();
    await omid.text(`/case ${code}`);

    // Resolved with an "after" photo; the citizen says it is not fixed: reopened, escalated to the managers.
    later(60);
    tb.api.addFile("after-1", tinyPhoto("after-1"));
    await omid.press("✅ رسیدگی شد");
    await omid.text("لوله تعویض شد و آسفالت ترمیم شد");
    await omid.photo("after-1", 4);
    await tb.dispatcher.drainOnce();
    later(120);
    await sara.press("رفع نشد ❌");
    await tb.dispatcher.drainOnce();
    await sara.text(`/status ${code}`);
    await omid.text(`/case ${code}`);

    // A new visit (the reopening asks for one), resolved again; fixed, and five stars.
    later(60);
    await omid.press("📍 ثبت بازدید");
    await recordVisitInChat(tb, omidDm, { at: THIRTY_THREE_M, note: "نشت کامل برطرف شد", tell: false });
    tb.api.addFile("after-2", tinyPhoto("after-2"));
    await omid.press("✅ رسیدگی شد");
    await omid.text("لوله دوباره بررسی و آب‌بندی شد");
    await omid.photo("after-2", 4);
    await tb.dispatcher.drainOnce();
    later(60);
    await sara.press("رفع شد ✅");
    await pressData(tb, sara, ":r5");
    await tb.dispatcher.drainOnce();
    await sara.text(`/status ${code}`);
    await sara.text("/my");
    await omid.text(`/case ${code}`);

    const report = (await Report.findById(reportId).lean())!;
    expect(report).toMatchObject({ status: "resolved", feedback: { fixed: true, rating: 5 } });
    expect(report.visits.map((v) => v.distanceM)).toEqual([33, 33]);
    // Stored as values, not words: no note is a machine's English.
    const stored = report.history.filter((h) => h.kind === "feedback" || h.kind === "visit" || h.to === "reopened");
    expect(
      stored.map((h) => [h.kind, h.note, h.facts?.fixed ?? null, h.facts?.rating ?? null, h.facts?.distanceM ?? null]),
    ).toEqual([
      ["visit", "", null, null, 33],
      ["status", "", false, null, null],
      ["visit", "", null, null, 33],
      ["feedback", "", true, null, null],
      ["feedback", "", null, 5, null],
    ]);
    // Everything the story sent to its Persian readers: citizen, staff group, the official's private chat, managers.
    const texts = sentTexts(tb.api.log, new Set([CITIZEN, REGION_CHAT, OMID, MANAGERS]));
    expect(texts.filter((s) => s.chatId === MANAGERS).length).toBeGreaterThan(0);
    const caseViews = texts.filter((s) => s.chatId === REGION_CHAT && s.text.includes("🗂"));
    expect(caseViews).toHaveLength(3);
    // What the English notes said, now in Persian: the managers' escalation, the last /case, the citizen's last /status, the stars.
    expect(texts.find((s) => s.chatId === MANAGERS && s.text.includes("🚨"))!.text).toContain(
      "دوباره باز شد: مشکل رفع نشد ❌",
    );
    const lastCase = caseViews.at(-1)!.text;
    for (const line of ["↳ ۳۳ متر تا نقطه گزارش", "↳ مشکل رفع نشد ❌", "↳ مشکل رفع شد ✅", "↳ امتیاز ۵ از ۵"])
      expect(lastCase).toContain(line);
    expect(lastCase).toContain("آخرین اقدام: سارا — نظر شهروند: امتیاز ۵ از ۵");
    const lastStatus = texts.filter((s) => s.chatId === CITIZEN && s.text.includes("سابقه:")).at(-1)!.text;
    expect(lastStatus).toMatch(/— دوباره باز شد — مشکل رفع نشد ❌\n/);
    expect(lastStatus).toMatch(/— رسیدگی شد — مشکل رفع شد ✅$/);
    expect(lastStatus).not.toContain("امتیاز"); // the stars are internal
    expect(
      texts
        .filter((s) => s.where === "sendPhoto button" && s.text.endsWith("⭐"))
        .slice(0, 5)
        .map((s) => s.text),
    ).toEqual(["۱⭐", "۲⭐", "۳⭐", "۴⭐", "۵⭐"]);
    expect(summarize(persianViolations(texts, { names: ["Omid"], botUsername: tb.api.botInfo.username }))).toEqual([]);
  });
});
