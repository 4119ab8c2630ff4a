import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, STAFF_CHAT, type TestBot } from "../support/test-bot.ts";
import {
  CHAT_A,
  CHAT_B,
  DIGEST_AT,
  HOUR,
  WEEK_TO,
  h,
  seedDigestDay,
  seedReport,
  seedWeek,
  type SeedReport,
} from "../support/seed-reports.ts";
import { runJob } from "../../bot/cron/run-job.ts";
import { cronTick, jobSchedule, startScheduler } from "../../bot/cron/scheduler.ts";
import type { JobName } from "../../bot/cron/jobs.ts";
import { formatDate, ltr } from "../../core/format.ts";
import { Report, type ReportDoc } from "../../models/report/report.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { citizenFeedback } from "../../models/report/case-actions.ts";
import { formatCode } from "../../models/report/tracking-code.ts";

const { dbName, uri } = useTestDb({ cleanEach: true });

const NOW = new Date("2026-11-27T08:00:00Z");
const MANAGERS = -1003000000001;
const MANAGERS_CHAT = { platform: "telegram" as const, chatId: MANAGERS };
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);

function testBot(env: Record<string, string> = {}): TestBot {
  return createTestBot({ MANAGERS_CHAT_ID: String(MANAGERS), ...env });
}

async function run(tb: TestBot, job: JobName, when: Date, holder = "test-instance") {
  const outcome = await runJob(job, { config: tb.config }, { at: when, holder });
  if (!outcome.ran) throw new Error(`${job} did not run: ${outcome.reason}`);
  return outcome.result;
}

/** Sends what is queued at `when` and returns the Bot API calls made. */
async function drain(tb: TestBot, when: Date) {
  tb.api.clearCalls();
  tb.clock.now = when;
  await tb.dispatcher.drainOnce();
  return tb.api.calls.map((c) => ({
    method: c.method,
    chat: Number(c.payload.chat_id),
    text: String(c.payload.text ?? ""),
    payload: c.payload,
  }));
}

const code = (r: ReportDoc) => formatCode(r.code);
/** A code inside Persian text: wrapped in LRM marks so it reads as typed (issue 14 §1). */
const faCode = (r: ReportDoc) => ltr(formatCode(r.code));
const fresh = (r: ReportDoc) => Report.findById(r._id).lean<ReportDoc>() as Promise<ReportDoc>;
const open = (s: Omit<SeedReport, "createdAt"> & { createdAt?: Date }) =>
  seedReport({ createdAt: at(-48), firstResponseAt: at(-47), firstResponseDueAt: at(-45), ...s });

describe("reminders: one grouped message per staff chat", () => {
  async function seedReminderCases() {
    // Chat A (cap 3): sorted priority first, then longest overdue.
    const a1 = await open({ staffChat: CHAT_A, categoryKey: "road", resolveDueAt: at(-5) });
    const a2 = await open({ staffChat: CHAT_A, resolveDueAt: at(-0.5) });
    const a3 = await open({
      staffChat: CHAT_A,
      firstResponseAt: null,
      firstResponseDueAt: at(-2),
      resolveDueAt: at(10),
    });
    const a4 = await open({ staffChat: CHAT_A, resolveDueAt: at(-1), priority: 1, status: "reopened" });
    // Not overdue: first response due in 2 h; closed; responded in time and resolve due in 10 h.
    const a5 = await open({
      staffChat: CHAT_A,
      firstResponseAt: null,
      firstResponseDueAt: at(2),
      resolveDueAt: at(10),
    });
    const a6 = await open({ staffChat: CHAT_A, resolveDueAt: at(-20), status: "resolved", resolvedAt: at(-1) });
    const a7 = await open({ staffChat: CHAT_A, resolveDueAt: at(10) });
    // Chat B: one whose card moved there from chat A, one routed there.
    const b1 = await open({ staffChat: CHAT_A, card: CHAT_B, categoryKey: "lighting", resolveDueAt: at(-3) });
    const b2 = await open({
      staffChat: CHAT_B,
      firstResponseAt: null,
      firstResponseDueAt: at(-1),
      resolveDueAt: at(20),
    });
    return { a1, a2, a3, a4, a5, a6, a7, b1, b2 };
  }

  it("lists each chat's overdue cases in one message, caps the list with a 'more' count, and counts the reminder on each case", async () => {
    const tb = testBot({ REMINDER_MAX_CASES: "3" });
    const c = await seedReminderCases();

    const result = await run(tb, "reminders", NOW);
    expect(result.updated).toBe(6);
    expect(result.queued).toEqual([
      { kind: "staff_reminder", chat: CHAT_A, cases: 4 },
      { kind: "staff_reminder", chat: CHAT_B, cases: 2 },
    ]);
    const rows = await Outbox.find({ kind: "staff_reminder" }).sort({ chatId: 1 }).lean();
    expect(rows.map((r) => [r.chatId, r.locale, r.payload])).toEqual([
      [
        CHAT_B.chatId,
        "fa",
        {
          more: 0,
          cases: [
            {
              reportId: c.b1._id.toHexString(),
              code: c.b1.code,
              categoryKey: "lighting",
              deadline: "resolve",
              hours: 3,
            },
            {
              reportId: c.b2._id.toHexString(),
              code: c.b2.code,
              categoryKey: "water",
              deadline: "first_response",
              hours: 1,
            },
          ],
        },
      ],
      [
        CHAT_A.chatId,
        "fa",
        {
          more: 1,
          cases: [
            { reportId: c.a4._id.toHexString(), code: c.a4.code, categoryKey: "water", deadline: "resolve", hours: 1 },
            { reportId: c.a1._id.toHexString(), code: c.a1.code, categoryKey: "road", deadline: "resolve", hours: 5 },
            {
              reportId: c.a3._id.toHexString(),
              code: c.a3.code,
              categoryKey: "water",
              deadline: "first_response",
              hours: 2,
            },
          ],
        },
      ],
    ]);

    for (const r of [c.a1, c.a2, c.a3, c.a4, c.b1, c.b2]) {
      const now = await fresh(r);
      expect(now.reminders).toEqual({ count: 1, lastAt: NOW });
      // Housekeeping: no history entry, updatedAt untouched.
      expect(now.updatedAt).toEqual(r.updatedAt);
      expect(now.history).toHaveLength(1);
    }
    for (const r of [c.a5, c.a6, c.a7]) expect((await fresh(r)).reminders).toEqual({ count: 0, lastAt: null });

    const sent = await drain(tb, NOW);
    expect(sent.map((s) => s.method)).toEqual(["sendMessage", "sendMessage"]);
    expect(Object.fromEntries(sent.map((s) => [s.chat, s.text]))).toEqual({
      [CHAT_A.chatId]: [
        "⏰ یادآوری: ۴ پرونده از مهلت گذشته است",
        `• ${faCode(c.a4)} · نشت آب و فاضلاب · ۱ ساعت گذشته از مهلت رسیدگی`,
        `• ${faCode(c.a1)} · چاله و خرابی آسفالت · ۵ ساعت گذشته از مهلت رسیدگی`,
        `• ${faCode(c.a3)} · نشت آب و فاضلاب · ۲ ساعت بی‌پاسخ پس از مهلت پاسخ اول`,
        "…و ۱ پرونده دیگر (فهرست کامل: \u200e/open)",
      ].join("\n"),
      [CHAT_B.chatId]: [
        "⏰ یادآوری: ۲ پرونده از مهلت گذشته است",
        `• ${faCode(c.b1)} · روشنایی معابر · ۳ ساعت گذشته از مهلت رسیدگی`,
        `• ${faCode(c.b2)} · نشت آب و فاضلاب · ۱ ساعت بی‌پاسخ پس از مهلت پاسخ اول`,
      ].join("\n"),
    });
  });

  it("re-reminds a case at most every REMIND_EVERY_HOURS: t+1h nothing new, t+4h again (with the newly overdue case)", async () => {
    const tb = testBot({ DEFAULT_LOCALE: "en", REMINDER_MAX_CASES: "3" });
    const c = await seedReminderCases();
    await run(tb, "reminders", NOW);
    await drain(tb, NOW);

    expect(await run(tb, "reminders", at(1))).toEqual({ queued: [], updated: 0 });
    expect(await drain(tb, at(1))).toEqual([]);
    expect((await fresh(c.a1)).reminders).toEqual({ count: 1, lastAt: NOW });

    // a5's first response fell due at t+2h: it joins the chat's list; the others are due again.
    const later = await run(tb, "reminders", at(4));
    expect(later.updated).toBe(7);
    expect(later.queued.map((q) => [q.chat.chatId, q.cases])).toEqual([
      [CHAT_A.chatId, 5],
      [CHAT_B.chatId, 2],
    ]);
    for (const r of [c.a1, c.a2, c.a3, c.a4, c.b1, c.b2])
      expect((await fresh(r)).reminders).toEqual({ count: 2, lastAt: at(4) });
    expect((await fresh(c.a5)).reminders).toEqual({ count: 1, lastAt: at(4) });

    const sent = await drain(tb, at(4));
    expect(sent.find((s) => s.chat === CHAT_A.chatId)!.text).toBe(
      [
        "⏰ Reminder: 5 cases are overdue",
        `• ${code(c.a4)} · Water / sewage leak · 5 hours past the resolve deadline`,
        `• ${code(c.a1)} · Pothole / road damage · 9 hours past the resolve deadline`,
        `• ${code(c.a3)} · Water / sewage leak · no first response, 6 hours past due`,
        "…and 2 more (full list: /open)",
      ].join("\n"),
    );
  });

  it("sends cases routed nowhere to the fallback STAFF_CHAT_ID, and 'under an hour' for a fresh one", async () => {
    const tb = testBot({ DEFAULT_LOCALE: "en" });
    const r = await open({ resolveDueAt: at(-0.25) });
    await run(tb, "reminders", NOW);
    const sent = await drain(tb, NOW);
    expect(sent.map((s) => [s.chat, s.text])).toEqual([
      [
        STAFF_CHAT,
        `⏰ Reminder: 1 case is overdue\n• ${code(r)} · Water / sewage leak · under an hour past the resolve deadline`,
      ],
    ]);
  });

  it("two instances running the same slot at once: one run, one message per chat, one count per case", async () => {
    const tb = testBot();
    const c = await seedReminderCases();
    const outcomes = await Promise.all([
      runJob("reminders", { config: tb.config }, { at: NOW, holder: "instance-a" }),
      runJob("reminders", { config: tb.config }, { at: NOW, holder: "instance-b" }),
    ]);
    expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
    expect(await Outbox.countDocuments({ kind: "staff_reminder" })).toBe(2);
    expect((await fresh(c.a1)).reminders.count).toBe(1);
  });
});

describe("escalations to the managers", () => {
  const region = { regionKey: "r1", categoryKey: "road" };

  it("escalates by hours overdue and by reminder count, records the level, and does not repeat a level", async () => {
    const tb = testBot({ DEFAULT_LOCALE: "en" });
    const x = await open({ ...region, resolveDueAt: at(-30), status: "in_progress" });
    const y = await open({ ...region, resolveDueAt: at(-2), reminders: { count: 3, lastAt: at(-1) } });
    const z = await open({ ...region, resolveDueAt: at(-10), reminders: { count: 1, lastAt: at(-1) } });
    const w = await open({ ...region, resolveDueAt: at(-50), escalationLevel: 2 });
    const closed = await open({
      ...region,
      resolveDueAt: at(-100),
      status: "resolved",
      resolvedAt: at(-1),
      reminders: { count: 9, lastAt: at(-2) },
    });

    const first = await run(tb, "escalations", NOW);
    expect(first).toEqual({
      queued: [
        { kind: "escalation", chat: MANAGERS_CHAT, cases: 1 },
        { kind: "escalation", chat: MANAGERS_CHAT, cases: 1 },
      ],
      updated: 2,
    });
    const rows = await Outbox.find({ kind: "escalation" }).lean();
    expect(
      rows
        .map((r) => [r.chatId, r.payload])
        .sort((a, b) => String((a[1] as { code: string }).code).localeCompare(String((b[1] as { code: string }).code))),
    ).toEqual([
      [
        MANAGERS,
        {
          reportId: x._id.toHexString(),
          code: x.code,
          from: "in_progress",
          to: "in_progress",
          reason: "overdue",
          level: 1,
          hoursOverdue: 30,
          reminders: 0,
        },
      ],
      [
        MANAGERS,
        {
          reportId: y._id.toHexString(),
          code: y.code,
          from: "new",
          to: "new",
          reason: "reminders",
          level: 1,
          hoursOverdue: 2,
          reminders: 3,
        },
      ],
    ]);
    for (const [r, reason] of [
      [x, "overdue"],
      [y, "reminders"],
    ] as const) {
      const now = await fresh(r);
      expect(now).toMatchObject({ escalationLevel: 1, escalatedAt: NOW, status: r.status });
      expect(now.history.at(-1)).toMatchObject({
        kind: "escalation",
        by: { kind: "system" },
        note: "",
        facts: { reason },
        public: false,
        at: NOW,
      });
    }
    for (const r of [z, w, closed])
      expect(await fresh(r)).toMatchObject({ escalationLevel: r.escalationLevel, escalatedAt: null });

    // Next tick: the same levels are not escalated again.
    expect(await run(tb, "escalations", at(0.25))).toEqual({ queued: [], updated: 0 });

    const sent = await drain(tb, at(0.25));
    expect(sent).toHaveLength(2);
    const tz = tb.config.TZ_NAME;
    expect(sent.find((s) => s.text.includes(code(x)))!.text).toBe(
      [
        `🚨 Escalation: case ${code(x)}`,
        "Pothole / road damage · District 1 (north-west) · status: in progress",
        "30 hours past the resolve deadline.",
        "Escalation level: 1",
        "Latest events:",
        `• ${formatDate(at(-48), "en", tz)} — Sara: received`,
        `• ${formatDate(NOW, "en", tz)} — system: escalated: past the resolve deadline`,
      ].join("\n"),
    );
    expect(sent.find((s) => s.text.includes(code(y)))!.text).toContain(
      "Reminded 3 times and still not resolved.\nEscalation level: 1",
    );
    expect(sent.every((s) => s.chat === MANAGERS && s.method === "sendMessage")).toBe(true);

    // A day later: x (54 h) earns level 2, z (34 h) level 1, w (74 h) level 3; y (26 h, 3 reminders) stays at 1.
    const dayLater = await run(tb, "escalations", at(24));
    expect(dayLater.updated).toBe(3);
    expect([await fresh(x), await fresh(y), await fresh(z), await fresh(w)].map((r) => r.escalationLevel)).toEqual([
      2, 1, 1, 3,
    ]);
  });

  it("renders the citizen's 'not fixed' escalation (queued by case-actions, in Persian) with the same message kind", async () => {
    const tb = testBot();
    const r = await open({
      ...region,
      status: "resolved",
      resolvedAt: at(-5),
      feedback: { askedAt: at(-5) },
      citizen: { userId: 8200, locale: "en" },
    });
    await citizenFeedback(r._id, "telegram", 8200, false, { chat: MANAGERS_CHAT, locale: "fa" }, NOW);
    const sent = await drain(tb, NOW);
    const text = sent.find((s) => s.chat === MANAGERS)!.text;
    expect(text.split("\n").slice(0, 5)).toEqual([
      `🚨 ارجاع به مدیران: پرونده ${faCode(r)}`,
      "چاله و خرابی آسفالت · منطقه ۱ (شمال غرب) · وضعیت: دوباره باز شد",
      "شهروند می‌گوید مشکل رفع نشده است؛ پرونده دوباره باز شد.",
      "سطح ارجاع: ۱",
      "آخرین رویدادها:",
    ]);
  });

  it("does nothing without MANAGERS_CHAT_ID, and says why", async () => {
    const tb = createTestBot();
    await open({ resolveDueAt: at(-30) });
    expect(await run(tb, "escalations", NOW)).toEqual({ queued: [], updated: 0, note: "MANAGERS_CHAT_ID is not set" });
    expect(await Report.countDocuments({ escalationLevel: { $gt: 0 } })).toBe(0);
  });
});

describe("daily digest", () => {
  /** seedDigestDay's only case open 3 days (DIGEST_UNVISITED_DAYS' default) or more with no visit: chat A's, filed at h10. */
  const unvisitedCase = async () =>
    (await Report.findOne({ createdAt: h(10), status: "in_progress" }).lean<ReportDoc>())!;

  it("sends each staff chat its figures and the managers the totals (figures worked out in seedDigestDay)", async () => {
    const tb = testBot({ DEFAULT_LOCALE: "en" });
    await seedDigestDay();
    const result = await run(tb, "daily-digest", DIGEST_AT);
    expect(result.queued.map((q) => q.chat.chatId).sort()).toEqual(
      [CHAT_A.chatId, CHAT_B.chatId, STAFF_CHAT, MANAGERS].sort(),
    );

    const sent = await drain(tb, DIGEST_AT);
    const date = formatDate(DIGEST_AT, "en", tb.config.TZ_NAME);
    const digest = (title: string, n: number[]) =>
      `${title} — ${date}\n🆕 Filed in the last 24 h: ${n[0]}\n✅ Resolved in the last 24 h: ${n[1]}\n📂 Open: ${n[2]}\n⏰ Overdue: ${n[3]}`;
    const unvisited = `\n🚶 Open for 3 days or more with no field visit: 1\n${code(await unvisitedCase())}`;
    expect(Object.fromEntries(sent.map((s) => [s.chat, s.text]))).toEqual({
      [CHAT_A.chatId]: digest("📊 Daily digest for this chat's cases", [1, 1, 2, 1]) + unvisited,
      [CHAT_B.chatId]: digest("📊 Daily digest for this chat's cases", [1, 0, 1, 1]),
      [STAFF_CHAT]: digest("📊 Daily digest for this chat's cases", [1, 0, 1, 0]),
      [MANAGERS]: digest("📊 Daily digest, all regions", [3, 1, 4, 2]) + unvisited,
    });
  });

  it("in Persian, with Persian digits and the Jalali date", async () => {
    const tb = testBot();
    await seedDigestDay();
    await run(tb, "daily-digest", DIGEST_AT);
    const sent = await drain(tb, DIGEST_AT);
    expect(sent.find((s) => s.chat === MANAGERS)!.text).toBe(
      `📊 گزارش روزانه همه مناطق — ${formatDate(DIGEST_AT, "fa", tb.config.TZ_NAME)}\n🆕 ثبت‌شده در ۲۴ ساعت گذشته: ۳\n✅ رسیدگی‌شده در ۲۴ ساعت گذشته: ۱\n📂 باز: ۴\n⏰ گذشته از مهلت: ۲\n🚶 باز و بدون بازدید میدانی، ۳ روز یا بیشتر پس از ثبت: ۱\n${code(await unvisitedCase())}`,
    );
  });

  it("DIGEST_UNVISITED_DAYS sets the age: with 4 days the h10 case (90 h old) is not listed", async () => {
    const tb = testBot({ DEFAULT_LOCALE: "en", DIGEST_UNVISITED_DAYS: "4" });
    await seedDigestDay();
    await run(tb, "daily-digest", DIGEST_AT);
    const sent = await drain(tb, DIGEST_AT);
    expect(sent.find((s) => s.chat === MANAGERS)!.text.split("\n")).toHaveLength(5);
  });
});

describe("weekly table (the seeded week of tests/support/seed-reports.ts)", () => {
  const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  /** The one file a sendPhoto uploaded (multipart), and that its `photo` field attaches it. */
  const upload = (payload: Record<string, unknown>, files: Record<string, Uint8Array>) => {
    const [[name, bytes]] = Object.entries(files) as [[string, Uint8Array]];
    expect(payload.photo).toBe(`attach://${name}`);
    return [...bytes.subarray(0, 8)];
  };
  const sends = (tb: TestBot) =>
    tb.api.calls
      .filter((c) => c.method.startsWith("send"))
      .map((c) => ({ method: c.method, chat: Number(c.payload.chat_id), payload: c.payload, files: c.files }));
  const range = (tb: TestBot, locale: "fa" | "en") => {
    const tz = tb.config.TZ_NAME;
    const [from, to] = [
      formatDate(new Date(WEEK_TO.getTime() - 168 * HOUR), locale, tz),
      formatDate(WEEK_TO, locale, tz),
    ];
    return locale === "en" ? `${from} to ${to}` : `از ${from} تا ${to}`;
  };
  const block = (name: string, lines: string[]) => [`<b>${name}</b>`, ...lines].join("\n");
  // r1: 4 in, 2 done, median 1st 2 h, median fix 45 h, 50 %, 2 late, 4.0 stars; r2: 3, 3, 1, 20, 67 %, 0, 4.5;
  // no region: 1 in; total: 8, 5, 1.5, 20, 60 %, 2, 4.25 → 4.3. No field visits that week: 0 visited, 0 % of
  // the resolved had an on-site visit ("—" with nothing resolved). tests/flow/visit-reporting.test.ts has visits.
  const R1 = [
    "in 4 · done 2 · on time 50%",
    "1st reply 2 h · fixed in 45 h · late 2",
    "stars 4.0 · visited 0 · on site 0%",
  ];
  const R2 = [
    "in 3 · done 3 · on time 67%",
    "1st reply 1 h · fixed in 20 h · late 0",
    "stars 4.5 · visited 0 · on site 0%",
  ];
  const NONE = ["in 1 · done 0 · on time —", "1st reply — · fixed in — · late 0", "stars — · visited 0 · on site —"];
  const TOTAL = [
    "in 8 · done 5 · on time 60%",
    "1st reply 1.5 h · fixed in 20 h · late 2",
    "stars 4.3 · visited 0 · on site 0%",
  ];
  const LEGEND = [
    "in / done: cases received / resolved.",
    "1st h / fix h: median hours from filing to the first staff action / to resolution.",
    "SLA%: resolved before the deadline.",
    "late: open and overdue right now.",
    "stars: average citizen rating (1–5); supp.: citizens following the cases received (“Me too”).",
    "visit: cases with a field visit in the period.",
    "site%: resolved cases that had an on-site visit by the time they were resolved.",
  ].join("\n");

  it("to the managers on Telegram: a picture per section (PNG upload) with the phone text as its caption, titled weekly with the range", async () => {
    const tb = testBot({ DEFAULT_LOCALE: "en" });
    await seedWeek();
    const result = await run(tb, "weekly-table", WEEK_TO);
    // A row per part (picture, text) of each section: a row is one message, so a retry repeats nothing.
    expect(result.queued).toEqual(
      Array.from({ length: 4 }, () => ({ kind: "weekly_table", chat: MANAGERS_CHAT, cases: 0 })),
    );

    await drain(tb, WEEK_TO);
    const sent = sends(tb);
    expect(sent.map((s) => [s.method, s.chat, s.payload.parse_mode])).toEqual([
      ["sendPhoto", MANAGERS, "HTML"],
      ["sendPhoto", MANAGERS, "HTML"],
    ]);
    expect(sent.map((s) => upload(s.payload, s.files))).toEqual([PNG_SIGNATURE, PNG_SIGNATURE]);
    const heading = (title: string) => `<b>${title}</b>\n${range(tb, "en")}`;
    expect(sent[0]!.payload.caption).toBe(
      [
        heading("📈 Weekly performance by region"),
        block("District 1 (north-west)", R1),
        block("District 2 (north-east)", R2),
        block("No region", NONE),
        block("Total", TOTAL),
      ].join("\n\n"),
    );
    expect(sent[1]!.payload.caption).toBe(
      [
        heading("📈 Weekly performance by department"),
        block("General affairs", NONE),
        block("Street lighting", R2),
        block("Roads", R1),
        block("Total", TOTAL),
      ].join("\n\n"),
    );
    // The text parts had nothing to add: settled with the reason, not sent a second time.
    const rows = await Outbox.find({ kind: "weekly_table" }).sort({ _id: 1 }).lean();
    expect(rows.map((r) => [r._id.split(":")[2], r.status, r.lastError])).toEqual([
      ["1-regions-1-photo", "sent", ""],
      ["1-regions-2-text", "failed", "the table text went as the picture's caption"],
      ["2-departments-1-photo", "sent", ""],
      ["2-departments-2-text", "failed", "the table text went as the picture's caption"],
    ]);
  });

  it("a table too long for a caption: the picture with the title, then the text as its own message (with the legend)", async () => {
    const tb = testBot({ DEFAULT_LOCALE: "en" });
    await seedWeek();
    // Twelve more districts, one new case each: fifteen region blocks are far beyond 1024 characters.
    for (let i = 1; i <= 12; i++)
      await seedReport({ regionKey: `z${String(i).padStart(2, "0")}`, department: "roads", createdAt: h(100) });
    await run(tb, "weekly-table", WEEK_TO);
    await drain(tb, WEEK_TO);
    const sent = sends(tb);
    expect(sent.map((s) => s.method)).toEqual(["sendPhoto", "sendMessage", "sendPhoto"]);
    expect(upload(sent[0]!.payload, sent[0]!.files)).toEqual(PNG_SIGNATURE);
    expect(sent[0]!.payload.caption).toBe(`<b>📈 Weekly performance by region</b>\n${range(tb, "en")}`);
    const text = String(sent[1]!.payload.text);
    expect(sent[1]!.payload.parse_mode).toBe("HTML");
    expect(
      text.startsWith(
        `<b>📈 Weekly performance by region</b>\n${range(tb, "en")}\n\n${block("District 1 (north-west)", R1)}\n\n`,
      ),
    ).toBe(true);
    // Each filed at h100, due 12 h later and still open: late.
    expect(text).toContain(
      `\n\n${block("z12", ["in 1 · done 0 · on time —", "1st reply — · fixed in — · late 1", "stars — · visited 0 · on site —"])}\n\n`,
    );
    expect(text.endsWith(`\n\n${LEGEND}`)).toBe(true);
  });

  it("in Persian: Persian labels and digits, the Jalali range, names escaped for HTML", async () => {
    const tb = testBot();
    await seedWeek();
    await Report.updateMany({ regionKey: "r2" }, { $set: { regionKey: "r<&>" } });
    await run(tb, "weekly-table", WEEK_TO);
    await drain(tb, WEEK_TO);
    const blocks = String(sends(tb)[0]!.payload.caption).split("\n\n");
    expect(blocks).toEqual([
      `<b>📈 کارنامه هفتگی مناطق</b>\n${range(tb, "fa")}`,
      block("r&lt;&amp;&gt;", [
        "دریافت ۳ · رسیدگی ۳ · به‌موقع ۶۷٪",
        "پاسخ ۱ ساعت · رفع ۲۰ ساعت · معوق ۰",
        "امتیاز ۴٫۵ · بازدید ۰ · حضوری ۰٪",
      ]),
      block("منطقه ۱ (شمال غرب)", [
        "دریافت ۴ · رسیدگی ۲ · به‌موقع ۵۰٪",
        "پاسخ ۲ ساعت · رفع ۴۵ ساعت · معوق ۲",
        "امتیاز ۴٫۰ · بازدید ۰ · حضوری ۰٪",
      ]),
      block("بدون منطقه", [
        "دریافت ۱ · رسیدگی ۰ · به‌موقع —",
        "پاسخ — · رفع — · معوق ۰",
        "امتیاز — · بازدید ۰ · حضوری —",
      ]),
      block("جمع کل", [
        "دریافت ۸ · رسیدگی ۵ · به‌موقع ۶۰٪",
        "پاسخ ۱٫۵ ساعت · رفع ۲۰ ساعت · معوق ۲",
        "امتیاز ۴٫۳ · بازدید ۰ · حضوری ۰٪",
      ]),
    ]);
  });

  it("to a managers chat on Bale: the phone text only (plain, with the legend), no picture", async () => {
    const tb = createTestBot(
      { MANAGERS_CHAT_ID: String(MANAGERS), STAFF_PLATFORM: "bale", DEFAULT_LOCALE: "en" },
      "bale",
    );
    await seedWeek();
    const result = await run(tb, "weekly-table", WEEK_TO);
    const bale = { platform: "bale" as const, chatId: MANAGERS };
    expect(result.queued).toEqual([
      { kind: "weekly_table", chat: bale, cases: 0 },
      { kind: "weekly_table", chat: bale, cases: 0 },
    ]);
    await drain(tb, WEEK_TO);
    const sent = sends(tb);
    expect(sent.map((s) => [s.method, s.chat, s.payload.parse_mode])).toEqual([
      ["sendMessage", MANAGERS, undefined],
      ["sendMessage", MANAGERS, undefined],
    ]);
    expect(sent[0]!.payload.text).toBe(
      [
        "📈 Weekly performance by region",
        range(tb, "en"),
        "",
        "District 1 (north-west)",
        ...R1,
        "",
        "District 2 (north-east)",
        ...R2,
        "",
        "No region",
        ...NONE,
        "",
        "Total",
        ...TOTAL,
        "",
        LEGEND,
      ].join("\n"),
    );
  });
});

describe("feedback reminders", () => {
  it("reminds a reporter who has not answered after FEEDBACK_REMINDER_AFTER_HOURS once, with the answer buttons; never a second time", async () => {
    const tb = testBot();
    const resolved = { status: "resolved" as const, resolvedAt: at(-73) };
    const due = await open({ ...resolved, feedback: { askedAt: at(-73) }, citizen: { userId: 8101 } });
    const recent = await open({ ...resolved, feedback: { askedAt: at(-10) }, citizen: { userId: 8102 } });
    const answered = await open({
      ...resolved,
      feedback: { askedAt: at(-100), answeredAt: at(-90), fixed: true },
      citizen: { userId: 8103 },
    });
    const reminded = await open({
      ...resolved,
      feedback: { askedAt: at(-100), remindedAt: at(-20) },
      citizen: { userId: 8104 },
    });

    expect(await run(tb, "feedback-reminders", NOW)).toEqual({
      queued: [{ kind: "feedback_reminder", chat: { platform: "telegram", chatId: 8101 }, cases: 1 }],
      updated: 1,
    });
    expect((await fresh(due)).feedback).toMatchObject({ remindedAt: NOW, answeredAt: null });
    expect((await fresh(due)).history.at(-1)).toMatchObject({
      kind: "reminder",
      by: { kind: "system" },
      public: false,
    });
    for (const r of [recent, answered, reminded])
      expect((await fresh(r)).feedback!.remindedAt).toEqual(r.feedback!.remindedAt);

    const sent = await drain(tb, NOW);
    const id = due._id.toHexString();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.chat).toBe(8101);
    expect(sent[0]!.text).toBe(
      `🔔 گزارش ${faCode(due)} چند روز پیش رسیدگی شد و هنوز نظر شما به دست ما نرسیده است.\nآیا مشکل برطرف شد؟ لطفاً نظر خود را اعلام کنید و به نحوه رسیدگی امتیاز دهید. این تنها یادآوری ما است.`,
    );
    expect(sent[0]!.payload.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: "رفع شد ✅", callback_data: `fb:${id}:fixed` },
          { text: "رفع نشد ❌", callback_data: `fb:${id}:notfixed` },
        ],
        [1, 2, 3, 4, 5].map((n) => ({ text: `${n.toLocaleString("fa-IR")}⭐`, callback_data: `fb:${id}:r${n}` })),
      ],
    });

    // Later runs: `recent` gets its one reminder when due; `due` never a second.
    expect(await run(tb, "feedback-reminders", at(1))).toEqual({ queued: [], updated: 0 });
    const later = await run(tb, "feedback-reminders", at(100));
    expect(later.queued.map((q) => q.chat.chatId)).toEqual([8102]);
    expect((await fresh(due)).feedback!.remindedAt).toEqual(NOW);

    // The buttons work: the reporter answers from the reminder.
    await tb.citizen(8101).press("رفع شد ✅");
    expect((await fresh(due)).feedback).toMatchObject({ fixed: true, answeredAt: expect.any(Date) });
  });
});

describe("scheduler", () => {
  it("schedules from the config in TZ_NAME: reminders and escalations every REMINDER_INTERVAL_MINUTES, digest and table from their cron settings", () => {
    expect(jobSchedule(testBot().config)).toEqual({
      reminders: "*/15 * * * *",
      escalations: "*/15 * * * *",
      "daily-digest": "0 8 * * *",
      "weekly-table": "0 9 * * 6",
      "feedback-reminders": "30 10-20 * * *",
    });
    expect(jobSchedule(testBot({ REMINDER_INTERVAL_MINUTES: "60", DIGEST_CRON: "30 7 * * *" }).config)).toMatchObject({
      reminders: "0 * * * *",
      "daily-digest": "30 7 * * *",
    });
  });

  it("a tick runs the job for its minute under the lease, logs what it queued and wakes the outbox; a second instance's tick for that minute does nothing", async () => {
    const tb = testBot({ DEFAULT_LOCALE: "en" });
    await open({ staffChat: CHAT_A, resolveDueAt: at(-3) });
    const lines: string[] = [];
    const logger = {
      info: (_: unknown, line: string) => lines.push(line),
      error: (_: unknown, line: string) => lines.push(`error: ${line}`),
    } as unknown as TestBot["app"]["logger"];
    const tick = NOW;
    // The run that queued messages wakes its instance's outbox dispatcher; the one that did nothing does not.
    const woken: string[] = [];
    await cronTick(
      { deps: { config: tb.config }, logger, holder: "instance-a", clock: () => NOW, onQueued: () => woken.push("a") },
      "reminders",
      tick,
    );
    await cronTick(
      { deps: { config: tb.config }, logger, holder: "instance-b", clock: () => NOW, onQueued: () => woken.push("b") },
      "reminders",
      new Date(tick.getTime() + 900),
    );
    expect(woken).toEqual(["a"]);
    expect(lines).toEqual([
      "reminders 2026-11-27T08:00Z: queued 1 message, updated 1 case",
      `  staff_reminder → telegram:${CHAT_A.chatId} (1 case)`,
      "reminders 2026-11-27T08:00Z: already ran for this slot; nothing done",
    ]);
  });

  it("starts the cron tasks and stops them", async () => {
    const tb = testBot();
    const scheduler = startScheduler({ deps: { config: tb.config }, logger: tb.app.logger, holder: "instance-a" });
    await expect(scheduler.stop()).resolves.toBeUndefined();
  });
});

// Each case spawns `npx tsx` (a second or two apiece, more on a busy machine): a wider budget than the default.
describe("npm run job (scripts/job.ts as a child process)", { timeout: 90_000 }, () => {
  const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const dbUri = () => {
    const u = new URL(uri);
    u.pathname = `/${dbName}`;
    return u.toString();
  };
  const script = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        "npx",
        ["tsx", "scripts/job.ts", ...args],
        { cwd: ROOT, env: { ...process.env, MONGODB_URI: dbUri(), STAFF_CHAT_ID: "", MANAGERS_CHAT_ID: "", ...env } },
        (err, stdout, stderr) => {
          resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
        },
      );
    });

  it("runs a job, prints what it queued, exits 0; the same slot again does nothing", async () => {
    const r = await open({ staffChat: CHAT_A, resolveDueAt: at(-3) });
    const first = await script(["reminders", "--at", NOW.toISOString()]);
    expect(first).toEqual({
      code: 0,
      stdout: `reminders 2026-11-27T08:00Z: queued 1 message, updated 1 case\n  staff_reminder → telegram:${CHAT_A.chatId} (1 case)\n`,
      stderr: "",
    });
    expect(await Outbox.find({ kind: "staff_reminder" }, { chatId: 1, _id: 0 }).lean()).toEqual([
      { chatId: CHAT_A.chatId },
    ]);
    expect((await fresh(r)).reminders).toEqual({ count: 1, lastAt: NOW });

    const again = await script(["reminders", "--at", NOW.toISOString()]);
    expect(again).toEqual({
      code: 0,
      stdout: "reminders 2026-11-27T08:00Z: already ran for this slot; nothing done\n",
      stderr: "",
    });
  });

  it("unknown job: exit 1 with one line; --help: usage, exit 0; no MONGODB_URI: exit 1 with one line", async () => {
    const unknown = await script(["nope"]);
    expect(unknown).toEqual({
      code: 1,
      stdout: "",
      stderr: `unknown job "nope"; jobs: reminders, escalations, daily-digest, weekly-table, feedback-reminders\n`,
    });
    const help = await script(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout.split("\n")[0]).toBe("Usage: npm run job -- <name> [--at <ISO date>]");
    expect(help.stdout).toContain("feedback-reminders");
    const noDb = await script(["reminders"], { MONGODB_URI: "" });
    expect(noDb).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "MONGODB_URI is not set: point it at the bot's MongoDB (in .env or the environment; the sandbox prints its URI)\n",
    });
  });

  it("an unreachable MongoDB: exit 1 with one line naming it", async () => {
    const down = await script(["reminders"], { MONGODB_URI: "mongodb://127.0.0.1:1/c137" });
    expect(down.code).toBe(1);
    expect(down.stdout).toBe("");
    expect(down.stderr).toMatch(/^cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:1\/c137: .+\n$/);
  });
});
