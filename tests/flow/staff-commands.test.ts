import { beforeEach, describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, type TestBot } from "../support/test-bot.ts";
import { fileReport, KARAJ } from "../support/intake-steps.ts";
import { seedOnSiteVisit } from "../support/visit-steps.ts";
import { Report, type ReportDoc } from "../../models/report/report.ts";
import { submitReport } from "../../models/report/report-submit.ts";
import {
  addNote,
  attachCitizenReply,
  citizenFeedback,
  requestInfo,
  resolveCase,
  takeCase,
} from "../../models/report/case-actions.ts";
import { followReport } from "../../models/report/report-queries.ts";
import { Staff, ensureAdmins, findActiveStaff, upsertStaff, type StaffMember } from "../../models/people/staff.ts";
import { checkDigit, formatCode } from "../../models/report/tracking-code.ts";
import { ltr } from "../../core/format.ts";

useTestDb({ cleanEach: true });

/** 2024-03-25 11:30 in Tehran = 6 Farvardin 1403. */
const T0 = new Date("2024-03-25T08:00:00Z");
const HOUR = 3_600_000;
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

const REGION_CHAT = -1002000000001;
const ADMIN = 800;
const OMID = 900; // official of region r1
const REZA = 903; // official of region r2
const WATER = 904; // official of the water department, any region
const STRANGER = 905; // not staff

const STAFF_ONLY = "این کار فقط برای کارکنان ثبت‌شده مجاز است.";
const OUT_OF_SCOPE = "این پرونده در منطقه یا واحد شما نیست.";
const NOT_ALLOWED = "نقش شما اجازه این کار را نمی‌دهد.";

const persianDigits = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

let tb: TestBot;
let admin: StaffMember;

beforeEach(async () => {
  admin = await upsertStaff({ platform: "telegram", userId: ADMIN, name: "Azar", role: "admin" });
  await upsertStaff({ platform: "telegram", userId: OMID, name: "Omid", role: "official", regions: ["r1"] });
  await upsertStaff({ platform: "telegram", userId: REZA, name: "Reza", role: "official", regions: ["r2"] });
  await upsertStaff({ platform: "telegram", userId: WATER, name: "Vahid", role: "official", departments: ["water"] });
  tb = createTestBot();
  tb.clock.now = at(40);
});

let seq = 0;
/** A case submitted `hoursAgo` before the clock, straight through the domain (no chat needed). */
async function caseAt(o: { region: string; category: string; hoursAgo: number }): Promise<ReportDoc> {
  seq++;
  const { report } = await submitReport({
    submissionKey: `staff-commands-${seq}`,
    platform: "telegram",
    citizen: { userId: 7000 + seq, chatId: 7000 + seq, name: `Citizen ${seq}`, username: "", phone: "", locale: "fa" },
    categoryKey: o.category,
    description: `case ${seq}`,
    location: null,
    address: "somewhere",
    venueTitle: "",
    photos: [],
    route: { regionKey: o.region, chat: null, needsLocationCheck: false },
    now: new Date(tb.clock.now.getTime() - o.hoursAgo * HOUR),
  });
  return report;
}

/**
 * Resolved, then "not fixed" by its citizen at once: reopened with priority 1 and a fresh resolve
 * deadline counted from the reopening (here: its filing time), as in production.
 */
async function reopened(r: ReportDoc): Promise<ReportDoc> {
  await seedOnSiteVisit(r, admin, r.createdAt); // water and road cases need one before Resolve
  await resolveCase(r._id, admin, "done", null, r.createdAt);
  return citizenFeedback(r._id, "telegram", r.citizen.userId, false, null, r.createdAt);
}

/** Codes in a Persian list: each LRM-wrapped inside its <code>. */
const codesIn = (text: string) => [...text.matchAll(/<code>\u200e(\d{4}-\d{4})\u200e<\/code>/g)].map((m) => m[1]);
const shown = (r: ReportDoc) => formatCode(r.code);
const lastSend = () => tb.api.callsOf("sendMessage").at(-1)!.payload;

/**
 * Region r1 holds three overdue cases (H reopened, so priority 1; C filed before B), three on
 * time (D reopened; A taken by Omid, filed before I) and a closed one (F); E is r2's, overdue.
 */
async function seedDesk() {
  const H = await reopened(await caseAt({ region: "r1", category: "water", hoursAgo: 15 })); // 12h SLA: overdue 3h
  const C = await caseAt({ region: "r1", category: "garbage", hoursAgo: 30 }); // 24h SLA: overdue 6h
  const B = await caseAt({ region: "r1", category: "water", hoursAgo: 20 }); // overdue 8h, younger than C
  const D = await reopened(await caseAt({ region: "r1", category: "road", hoursAgo: 5 })); // 72h SLA
  const A = await caseAt({ region: "r1", category: "road", hoursAgo: 10 });
  const I = await caseAt({ region: "r1", category: "road", hoursAgo: 2 });
  const E = await caseAt({ region: "r2", category: "water", hoursAgo: 40 }); // overdue 28h
  const F = await caseAt({ region: "r1", category: "water", hoursAgo: 50 });
  await seedOnSiteVisit(F, admin, tb.clock.now);
  await resolveCase(F._id, admin, "fixed", null, tb.clock.now);
  await takeCase(A._id, (await findActiveStaff("telegram", OMID))!, tb.clock.now);
  return { H, C, B, D, A, I, E, F };
}

describe("/open and /overdue", () => {
  it("lists the member's open cases: overdue first, then priority, then oldest; exact lines", async () => {
    const { H, C, B, D, A, I } = await seedDesk();
    const omid = tb.member(OMID, REGION_CHAT, { firstName: "Omid" });
    await omid.text("/open");
    const reply = lastSend();
    expect(reply).toMatchObject({ chat_id: REGION_CHAT, parse_mode: "HTML" });
    expect(String(reply.text).split("\n")).toEqual([
      "📂 پرونده‌های باز در حوزه شما: ۶",
      `<code>${ltr(shown(H))}</code> — نشت آب و فاضلاب — دوباره باز شد — منطقه ۱ (شمال غرب) — ⏰ ۳ ساعت دیرکرد — بدون مسئول`,
      `<code>${ltr(shown(C))}</code> — زباله و نظافت — دریافت شد — منطقه ۱ (شمال غرب) — ⏰ ۶ ساعت دیرکرد — بدون مسئول`,
      `<code>${ltr(shown(B))}</code> — نشت آب و فاضلاب — دریافت شد — منطقه ۱ (شمال غرب) — ⏰ ۸ ساعت دیرکرد — بدون مسئول`,
      `<code>${ltr(shown(D))}</code> — چاله و خرابی آسفالت — دوباره باز شد — منطقه ۱ (شمال غرب) — ثبت ۵ ساعت پیش — بدون مسئول`,
      `<code>${ltr(shown(A))}</code> — چاله و خرابی آسفالت — به کارشناس واگذار شد — منطقه ۱ (شمال غرب) — ثبت ۱۰ ساعت پیش — Omid`,
      `<code>${ltr(shown(I))}</code> — چاله و خرابی آسفالت — دریافت شد — منطقه ۱ (شمال غرب) — ثبت ۲ ساعت پیش — بدون مسئول`,
    ]);
  });

  it("scope: r2's official sees only r2; a department official sees that department everywhere; the admin sees all", async () => {
    const { H, C, B, D, A, I, E } = await seedDesk();
    const reza = tb.member(REZA, REGION_CHAT);
    await reza.text("/open");
    expect(codesIn(reza.lastReply())).toEqual([shown(E)]);
    const vahid = tb.citizen(WATER); // private chat works too
    await vahid.text("/open");
    expect(codesIn(vahid.lastReply())).toEqual([shown(H), shown(E), shown(B)]);
    const azar = tb.citizen(ADMIN);
    await azar.text("/open");
    expect(azar.lastReply().split("\n")[0]).toBe("📂 پرونده‌های باز در حوزه شما: ۷");
    expect(codesIn(azar.lastReply())).toEqual([H, E, C, B, D, A, I].map(shown));
  });

  it("/overdue lists only cases past a deadline; empty lists say so", async () => {
    const { H, C, B } = await seedDesk();
    const omid = tb.member(OMID, REGION_CHAT);
    // Groups address commands to the bot by name.
    await omid.text("/overdue@citizen137_bot");
    expect(omid.lastReply().split("\n")[0]).toBe("⏰ پرونده‌های دیرکرد در حوزه شما: ۳");
    expect(codesIn(omid.lastReply())).toEqual([H, C, B].map(shown));

    await Staff.updateOne({ userId: REZA }, { $set: { regions: ["r3"] } });
    const reza = tb.member(REZA, REGION_CHAT);
    await reza.text("/open");
    expect(reza.lastReply()).toBe("✅ هیچ پرونده بازی در حوزه شما نیست.");
    await reza.text("/overdue");
    expect(reza.lastReply()).toBe("✅ هیچ پرونده‌ای در حوزه شما از مهلتش نگذشته است.");
  });

  it("speaks the member's language", async () => {
    const { H, C, B, I } = await seedDesk();
    const omid = tb.member(OMID, REGION_CHAT, { languageCode: "en" });
    await omid.text("/overdue");
    // Titles are HTML-escaped: "Garbage & cleaning" arrives as "Garbage &amp; cleaning".
    expect(omid.lastReply().split("\n")).toEqual([
      "⏰ Overdue cases in your area: 3",
      `<code>${shown(H)}</code> — Water / sewage leak — reopened — District 1 (north-west) — ⏰ overdue by 3h — unassigned`,
      `<code>${shown(C)}</code> — Garbage &amp; cleaning — received — District 1 (north-west) — ⏰ overdue by 6h — unassigned`,
      `<code>${shown(B)}</code> — Water / sewage leak — received — District 1 (north-west) — ⏰ overdue by 8h — unassigned`,
    ]);
    await omid.text("/open");
    expect(omid.lastReply().split("\n").at(-1)).toBe(
      `<code>${shown(I)}</code> — Pothole / road damage — received — District 1 (north-west) — filed 2h ago — unassigned`,
    );
  });

  it("shows 20 cases and counts the rest", async () => {
    // Within the first-response window (18 h for roads), so none is overdue.
    for (let i = 0; i < 23; i++) await caseAt({ region: "r1", category: "road", hoursAgo: 17 - i / 2 });
    const omid = tb.member(OMID, REGION_CHAT);
    await omid.text("/open");
    const lines = omid.lastReply().split("\n");
    expect(lines[0]).toBe("📂 پرونده‌های باز در حوزه شما: ۲۳");
    expect(codesIn(omid.lastReply())).toHaveLength(20);
    expect(lines.at(-1)).toBe("…و ۳ مورد دیگر");
    // Oldest first among equals: the first line is the case filed 17 hours ago.
    expect(lines[1]).toContain("ثبت ۱۷ ساعت پیش");
  });

  it("refuses people who are not active staff, checked on every use", async () => {
    await seedDesk();
    const stranger = tb.member(STRANGER, REGION_CHAT);
    await stranger.text("/open");
    expect(stranger.lastReply()).toBe(STAFF_ONLY);
    await stranger.text("/overdue");
    expect(stranger.lastReply()).toBe(STAFF_ONLY);
    const omid = tb.member(OMID, REGION_CHAT);
    await omid.text("/open");
    expect(codesIn(omid.lastReply())).toHaveLength(6);
    await Staff.updateOne({ userId: OMID }, { $set: { active: false } });
    await omid.text("/open");
    expect(omid.lastReply()).toBe(STAFF_ONLY);
  });
});

describe("/case", () => {
  /** Sara's report through the bot, then an official's take, question, her answer and notes. */
  async function workedCase() {
    tb.clock.now = T0;
    const sara = tb.citizen(5100, { firstName: "Sara" });
    const code = await fileReport(tb, sara, { description: "لوله آب <جلوی> مدرسه شکسته است", location: KARAJ });
    const report = (await Report.findOne({ code }).lean<ReportDoc>())!;
    const omid = (await findActiveStaff("telegram", OMID))!;
    await takeCase(report._id, omid, at(1));
    await requestInfo(report._id, omid, "دقیقاً کدام ورودی؟", at(2));
    await attachCitizenReply(report._id, "<b>ورودی</b> شمالی & کنار دکه", null, at(3));
    await addNote(report._id, omid, "پیمانکار شماره ۴۴۲ خبر شد", false, at(4));
    await addNote(report._id, omid, "تیم فردا صبح می‌رسد", true, at(4));
    await followReport(code, { platform: "telegram", userId: 5200, chatId: 5200, locale: "fa" });
    tb.clock.now = at(5);
    return { code, report };
  }

  it("shows the card, the SLA, followers, the citizen's answers and the full history with internal entries; Persian digits accepted", async () => {
    const { code } = await workedCase();
    const omid = tb.member(OMID, REGION_CHAT);
    tb.api.clearCalls();
    await omid.text(`/case ${persianDigits(formatCode(code))}`);
    const reply = lastSend();
    expect(reply).toMatchObject({ chat_id: REGION_CHAT, parse_mode: "HTML" });
    const text = String(reply.text);
    expect(
      text.startsWith(
        `📋 پرونده <b>${ltr(formatCode(code))}</b> — به کارشناس واگذار شد\nنشت آب و فاضلاب · منطقه ۱ (شمال غرب)\nلوله آب &lt;جلوی&gt; مدرسه شکسته است\n`,
      ),
    ).toBe(true);
    expect(text).toContain("🧑‍🔧 مسئول: Omid");
    expect(text).toContain("👥 ۱ شهروند از این درخواست حمایت می‌کنند"); // the card's line: the one follower
    expect(text).toContain(
      [
        "⏱ ۷ ساعت تا پایان مهلت",
        "📷 عکس‌ها: ۰",
        "",
        "💬 پاسخ‌های شهروند:",
        "❓ دقیقاً کدام ورودی؟",
        "↩️ &lt;b&gt;ورودی&lt;/b&gt; شمالی &amp; کنار دکه",
        "",
      ].join("\n"),
    );
    expect(
      text.endsWith(
        [
          "🗂 سابقه کامل (۶ رویداد):",
          "▫️ ۶ فروردین ۱۴۰۳ ساعت ۱۱:۳۰ · 🌐 عمومی · دریافت شد · Sara",
          "▫️ ۶ فروردین ۱۴۰۳ ساعت ۱۲:۳۰ · 🌐 عمومی · واگذاری (به کارشناس واگذار شد) · Omid",
          "▫️ ۶ فروردین ۱۴۰۳ ساعت ۱۳:۳۰ · 🌐 عمومی · پرسش از شهروند · Omid",
          "↳ دقیقاً کدام ورودی؟",
          "▫️ ۶ فروردین ۱۴۰۳ ساعت ۱۴:۳۰ · 🔒 داخلی · پاسخ شهروند · Sara",
          "↳ &lt;b&gt;ورودی&lt;/b&gt; شمالی &amp; کنار دکه",
          "▫️ ۶ فروردین ۱۴۰۳ ساعت ۱۵:۳۰ · 🔒 داخلی · یادداشت · Omid",
          "↳ پیمانکار شماره ۴۴۲ خبر شد",
          "▫️ ۶ فروردین ۱۴۰۳ ساعت ۱۵:۳۰ · 🌐 عمومی · یادداشت · Omid",
          "↳ تیم فردا صبح می‌رسد",
        ].join("\n"),
      ),
    ).toBe(true);
    // A view only: nothing to press, nothing changed.
    expect(reply.reply_markup).toBeUndefined();
    expect((await Report.findOne({ code }).lean())!.history).toHaveLength(6);
  });

  it("shows the citizen's feedback and escalation of a reopened case", async () => {
    const { code, report } = await workedCase();
    const omid = (await findActiveStaff("telegram", OMID))!;
    await seedOnSiteVisit(report, omid, at(4));
    await resolveCase(report._id, omid, "تعمیر شد", null, at(5));
    await citizenFeedback(report._id, "telegram", 5100, false, null, at(6));
    tb.clock.now = at(20); // water: 12h SLA; reopened at 6h, so due again at 18h
    const azar = tb.citizen(ADMIN);
    await azar.text(`/case ${code}`);
    const text = azar.lastReply();
    expect(text).toContain("⏰ ۲ ساعت دیرکرد\n📷 عکس‌ها: ۰\n⏫ ارجاع‌شده به مدیران (سطح ۱)\n⭐ نظر شهروند: رفع نشد ❌");
    expect(text).toContain("▫️ ۶ فروردین ۱۴۰۳ ساعت ۱۷:۳۰ · 🌐 عمومی · دوباره باز شد · Sara\n↳ مشکل رفع نشد ❌");
    // The visit before the first resolution, and the card's reminder that a new one is needed.
    expect(text).toContain(
      "🔎 بازدیدهای میدانی (۱):\n▫️ ۶ فروردین ۱۴۰۳ ساعت ۱۵:۳۰ · Omid · در محل، ۲۲ متر · موقعیت زنده · 📷 ۱",
    );
    expect(text).toContain("📍 بازگشایی شده: پیش از «رسیدگی شد» بازدید تازه در محل لازم است");
    expect(text).toContain("▫️ ۶ فروردین ۱۴۰۳ ساعت ۱۵:۳۰ · 🔒 داخلی · بازدید میدانی · Omid\n↳ ۲۲ متر تا نقطه گزارش");
  });

  it("keeps a long history within one message: the newest entries, and how many earlier ones are left out", async () => {
    const { code, report } = await workedCase();
    const omid = (await findActiveStaff("telegram", OMID))!;
    for (let i = 1; i <= 40; i++) await addNote(report._id, omid, `یادداشت ${i} ${"—".repeat(150)}`, false, at(5));
    const azar = tb.citizen(ADMIN);
    await azar.text(`/case ${code}`);
    const text = azar.lastReply();
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toContain("🗂 سابقه کامل (۴۶ رویداد):");
    expect(text).toMatch(/🗂 سابقه کامل \(۴۶ رویداد\):\n… [۰-۹]+ رویداد قدیمی‌تر نمایش داده نشد\n▫️/);
    expect(text.endsWith(`↳ یادداشت 40 ${"—".repeat(150)}`)).toBe(true);
  });

  it("refuses out-of-scope members and non-staff; answers bad, mistyped and unknown codes like /status", async () => {
    const { code } = await workedCase();
    const reza = tb.member(REZA, REGION_CHAT);
    await reza.text(`/case ${code}`);
    expect(reza.lastReply()).toBe(OUT_OF_SCOPE);
    const stranger = tb.citizen(STRANGER);
    await stranger.text(`/case ${code}`);
    expect(stranger.lastReply()).toBe(STAFF_ONLY);

    const omid = tb.member(OMID, REGION_CHAT);
    await omid.text("/case");
    expect(omid.lastReply()).toBe("کد رهگیری را این‌طور بفرستید: \u200e/case 1234-5678");
    await omid.text("/case 12ab");
    expect(omid.lastReply()).toBe(`«${ltr("12ab")}» کد رهگیری نیست. کد ۸ رقم دارد، مانند ${ltr("1234-5678")}.`);
    const typo = code.slice(0, 7) + String((Number(code[7]) + 1) % 10);
    await omid.text(`/case ${typo}`);
    expect(omid.lastReply()).toBe("کد واردشده نادرست است؛ لطفاً رقم‌ها را دوباره بررسی کنید.");
    const payload = code.startsWith("1") ? "2000000" : "1000000";
    const unknown = payload + checkDigit(payload);
    await omid.text(`/case ${unknown}`);
    expect(omid.lastReply()).toBe(`گزارشی با کد ${ltr(formatCode(unknown))} وجود ندارد.`);
  });
});

describe("/staff (admins, private chat)", () => {
  const staffDoc = (userId: number) => Staff.findOne({ platform: "telegram", userId }).lean();

  it("add, list, role, scope and remove", async () => {
    const azar = tb.citizen(ADMIN);
    await azar.text("/staff add telegram:777 official regions=r1,r2 departments=roads name=Ali Rezaei");
    expect(azar.lastReply()).toBe(
      `✅ کارمند افزوده شد:\n${ltr("telegram:777")} · Ali Rezaei · کارشناس · مناطق: r1, r2 · واحدها: roads`,
    );
    expect(await staffDoc(777)).toMatchObject({
      role: "official",
      name: "Ali Rezaei",
      regions: ["r1", "r2"],
      departments: ["roads"],
      active: true,
    });
    // Persian digits and the Persian comma, as typed on a Persian keyboard.
    await azar.text("/staff add telegram:۷۷۸ manager regions=r3،r4");
    expect(azar.lastReply()).toBe(
      `✅ کارمند افزوده شد:\n${ltr("telegram:778")} · (بی‌نام) · مدیر · مناطق: r3, r4 · واحدها: —`,
    );

    await azar.text("/staff role telegram:777 manager");
    expect(azar.lastReply()).toBe(
      `✅ کارمند به‌روز شد:\n${ltr("telegram:777")} · Ali Rezaei · مدیر · مناطق: r1, r2 · واحدها: roads`,
    );
    await azar.text("/staff scope telegram:777 regions=r3");
    expect(azar.lastReply()).toBe(
      `✅ کارمند به‌روز شد:\n${ltr("telegram:777")} · Ali Rezaei · مدیر · مناطق: r3 · واحدها: roads`,
    );
    await azar.text("/staff scope telegram:777 regions= departments=water");
    expect(azar.lastReply()).toBe(
      `✅ کارمند به‌روز شد:\n${ltr("telegram:777")} · Ali Rezaei · مدیر · مناطق: — · واحدها: water`,
    );
    expect(await staffDoc(777)).toMatchObject({ role: "manager", regions: [], departments: ["water"] });

    await azar.text("/staff list");
    expect(azar.lastReply().split("\n")).toEqual([
      "👥 کارکنان فعال (۶):",
      `${ltr("telegram:800")} · Azar · راهبر سامانه · مناطق: — · واحدها: —`,
      `${ltr("telegram:778")} · (بی‌نام) · مدیر · مناطق: r3, r4 · واحدها: —`,
      `${ltr("telegram:777")} · Ali Rezaei · مدیر · مناطق: — · واحدها: water`,
      `${ltr("telegram:900")} · Omid · کارشناس · مناطق: r1 · واحدها: —`,
      `${ltr("telegram:903")} · Reza · کارشناس · مناطق: r2 · واحدها: —`,
      `${ltr("telegram:904")} · Vahid · کارشناس · مناطق: — · واحدها: water`,
    ]);

    await azar.text("/staff remove telegram:777");
    expect(azar.lastReply()).toBe(
      `🗑 کارمند ${ltr("telegram:777")} غیرفعال شد و دیگر نمی‌تواند روی پرونده‌ها کاری انجام دهد.`,
    );
    expect(await staffDoc(777)).toMatchObject({ active: false });
    await azar.text("/staff remove telegram:777");
    expect(azar.lastReply()).toBe(`کارمند فعالی با شناسه ${ltr("telegram:777")} وجود ندارد.`);
    await azar.text("/staff role telegram:777 official");
    expect(azar.lastReply()).toBe(`کارمند فعالی با شناسه ${ltr("telegram:777")} وجود ندارد.`);
    // Adding again re-activates with the new role; a scope-less official is warned.
    await azar.text("/staff add telegram:777 official");
    expect(azar.lastReply()).toBe(
      `✅ کارمند افزوده شد:\n${ltr("telegram:777")} · Ali Rezaei · کارشناس · مناطق: — · واحدها: water`,
    );
    await azar.text("/staff add telegram:779 official");
    expect(azar.lastReply()).toBe(
      `✅ کارمند افزوده شد:\n${ltr("telegram:779")} · (بی‌نام) · کارشناس · مناطق: — · واحدها: —\n⚠️ این فرد هیچ منطقه یا واحدی ندارد و پرونده‌ای نمی‌بیند؛ با \u200e/staff scope حوزه‌اش را تعیین کنید.`,
    );
  });

  it("a removed official is refused at once, and the case they had taken goes back to the queue", async () => {
    const { A } = await seedDesk();
    const omid = tb.member(OMID, REGION_CHAT);
    await omid.text("/open");
    expect(codesIn(omid.lastReply())).toHaveLength(6);
    const azar = tb.citizen(ADMIN);
    await azar.text(`/staff remove telegram:${OMID}`);
    expect(azar.lastReply()).toBe(
      `🗑 کارمند ${ltr(`telegram:${OMID}`)} غیرفعال شد و دیگر نمی‌تواند روی پرونده‌ها کاری انجام دهد.\n۱ پرونده باز او به صف برگشت؛ کارت‌هایشان این را نشان می‌دهند.`,
    );
    await omid.text("/open");
    expect(omid.lastReply()).toBe(STAFF_ONLY);
    const a = (await Report.findById(A._id).lean())!;
    expect(a.assignee).toBeNull();
    expect(a.history.at(-1)).toMatchObject({
      kind: "unassign",
      note: "Omid",
      public: false,
      by: { kind: "staff", id: ADMIN },
    });
    // The case view says it is nobody's.
    await azar.text(`/case ${A.code}`);
    expect(azar.lastReply()).toContain(
      "⚠️ بدون مسئول: کارشناس مسئول از کارکنان خارج شد. برعهده بگیرید یا واگذار کنید.",
    );
  });

  it("refuses non-admins and group chats; changes nothing", async () => {
    const omid = tb.citizen(OMID);
    await omid.text("/staff add telegram:777 admin");
    expect(omid.lastReply()).toBe(NOT_ALLOWED);
    const stranger = tb.citizen(STRANGER);
    await stranger.text("/staff list");
    expect(stranger.lastReply()).toBe(STAFF_ONLY);
    const azarInGroup = tb.member(ADMIN, REGION_CHAT);
    await azarInGroup.text("/staff add telegram:777 official regions=r1");
    expect(azarInGroup.lastReply()).toBe("فرمان \u200e/staff فقط در گفتگوی خصوصی با ربات کار می‌کند.");
    expect(await staffDoc(777)).toBeNull();
  });

  it("answers bad syntax with usage or the specific problem", async () => {
    const azar = tb.citizen(ADMIN);
    const usage = [
      "راهنمای فرمان \u200e/staff:",
      "\u200e/staff list — فهرست کارکنان فعال",
      "\u200e/staff add telegram:12345 official regions=r1,r2 departments=roads name=نام و نام خانوادگی",
      "\u200e/staff role telegram:12345 manager",
      "\u200e/staff scope telegram:12345 regions=r1 departments=water,roads",
      "\u200e/staff remove telegram:12345",
      "نقش‌ها: official (کارشناس)، manager (مدیر)، admin (راهبر سامانه)",
    ].join("\n");
    for (const bad of [
      "/staff",
      "/staff hire telegram:777",
      "/staff add telegram:777",
      "/staff scope telegram:777",
      "/staff list everyone",
      "/staff remove",
    ]) {
      await azar.text(bad);
      expect(azar.lastReply(), bad).toBe(usage);
    }
    await azar.text("/staff add 777 official");
    expect(azar.lastReply()).toBe(
      `«${ltr("777")}» شناسه معتبری نیست. شناسه را به شکل platform:userId بنویسید، مانند telegram:12345 یا bale:12345.`,
    );
    await azar.text("/staff add telegram:777 boss");
    expect(azar.lastReply()).toBe(`«${ltr("boss")}» نقش معتبری نیست. نقش‌ها: official، manager، admin.`);
    await azar.text("/staff add telegram:777 official colour=red");
    expect(azar.lastReply()).toBe(
      `گزینه «${ltr("colour=red")}» را نمی‌شناسم. گزینه‌ها: regions=…، departments=… و (فقط در add) name=…`,
    );
    await azar.text("/staff scope telegram:900 name=Someone");
    expect(azar.lastReply()).toBe(
      `گزینه «${ltr("name=Someone")}» را نمی‌شناسم. گزینه‌ها: regions=…، departments=… و (فقط در add) name=…`,
    );
    expect(await staffDoc(777)).toBeNull();
  });

  it("names unknown regions and departments and stores nothing", async () => {
    const azar = tb.citizen(ADMIN);
    await azar.text("/staff add telegram:777 official regions=r1,r9 departments=roads,space");
    expect(azar.lastReply()).toBe("این منطقه‌ها وجود ندارند: r9\nاین واحدها وجود ندارند: space");
    expect(await staffDoc(777)).toBeNull();
    await azar.text(`/staff scope telegram:${OMID} regions=r7`);
    expect(azar.lastReply()).toBe("این منطقه‌ها وجود ندارند: r7");
    expect(await staffDoc(OMID)).toMatchObject({ regions: ["r1"] });
  });

  it("an admin cannot remove or demote themself", async () => {
    const azar = tb.citizen(ADMIN);
    const lockout = "نمی‌توانید خودتان را حذف کنید یا نقش راهبری‌تان را بگیرید؛ این کار را از راهبر دیگری بخواهید.";
    for (const cmd of [
      `/staff remove telegram:${ADMIN}`,
      `/staff role telegram:${ADMIN} manager`,
      `/staff add telegram:${ADMIN} official regions=r1`,
    ]) {
      await azar.text(cmd);
      expect(azar.lastReply(), cmd).toBe(lockout);
    }
    expect(await staffDoc(ADMIN)).toMatchObject({ role: "admin", active: true });
    // Still an admin: may give themself a name, and manage another admin.
    await azar.text(`/staff add telegram:${ADMIN} admin name=Azar K`);
    expect(azar.lastReply()).toBe(
      `✅ کارمند به‌روز شد:\n${ltr(`telegram:${ADMIN}`)} · Azar K · راهبر سامانه · مناطق: — · واحدها: —`,
    );
    await azar.text("/staff add bale:801 admin");
    await azar.text("/staff role bale:801 official");
    expect(await Staff.findOne({ platform: "bale", userId: 801 }).lean()).toMatchObject({
      role: "official",
      active: true,
    });
  });
});

describe("ensureAdmins (start-up bootstrap from ADMIN_USER_IDS)", () => {
  it("creates missing admins, promotes and re-activates existing records, and is idempotent", async () => {
    await upsertStaff({ platform: "bale", userId: 31, name: "Bahar", role: "official", regions: ["r2"] });
    await Staff.updateOne({ userId: REZA }, { $set: { active: false } });
    const ids = [
      { platform: "telegram" as const, userId: 30 },
      { platform: "bale" as const, userId: 31 },
      { platform: "telegram" as const, userId: REZA },
    ];
    await ensureAdmins(ids);
    await ensureAdmins(ids);
    const rows = await Staff.find({ userId: { $in: [30, 31, REZA] } })
      .sort({ userId: 1 })
      .lean();
    expect(
      rows.map((r) => ({
        platform: r.platform,
        userId: r.userId,
        role: r.role,
        active: r.active,
        name: r.name,
        regions: r.regions,
      })),
    ).toEqual([
      { platform: "telegram", userId: 30, role: "admin", active: true, name: "", regions: [] },
      { platform: "bale", userId: 31, role: "admin", active: true, name: "Bahar", regions: ["r2"] },
      { platform: "telegram", userId: REZA, role: "admin", active: true, name: "Reza", regions: ["r2"] },
    ]);
    expect(await Staff.countDocuments({ userId: { $in: [30, 31, REZA] } })).toBe(3);
    // The bootstrapped admin can use /staff at once.
    const boot = tb.citizen(30);
    await boot.text("/staff list");
    expect(boot.lastReply().split("\n")[0]).toBe("👥 کارکنان فعال (۶):");
  });
});
