import { describe, expect, it } from "vitest";
import type { Types } from "mongoose";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, STAFF_CHAT, type TestBot } from "../support/test-bot.ts";
import { CHAT_A, CHAT_B, HOUR, WEEK_TO, h, seedReport, type SeedReport } from "../support/seed-reports.ts";
import { runJob } from "../../bot/cron/run-job.ts";
import { formatDate } from "../../core/format.ts";
import { createI18n, translator } from "../../core/i18n.ts";
import { formatVisitReport, VISITS_MAX_ROWS } from "../../handlers/staff/visits.ts";
import type { VisitGroup } from "../../models/report/visit-stats.ts";
import { Report, type ReportDoc } from "../../models/report/report.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { formatCode } from "../../models/report/tracking-code.ts";

useTestDb({ cleanEach: true });

const MANAGERS = -1003000000001;
const STAFF_GROUP = -1005000000001;
const OMID = { platform: "telegram" as const, userId: 11, name: "Omid Rezaei" };
const REZA = { platform: "telegram" as const, userId: 12, name: "Reza Karimi" };
const MINA = 2;

type Who = typeof OMID;

/** Visits written straight to the case, as recordVisit leaves them (firstVisitAt = the earliest). */
async function addVisits(id: Types.ObjectId, visits: { at: Date; by: Who; onSite: boolean }[]): Promise<void> {
  const docs = visits.map((v) => ({
    ...v,
    location: { type: "Point", coordinates: [51.0, 35.8] },
    live: false,
    locationAt: v.at,
    distanceM: v.onSite ? 20 : 900,
    offSiteReason: v.onSite ? "" : "gate locked",
    photos: [],
    note: "",
    public: false,
  }));
  const first = new Date(Math.min(...visits.map((v) => v.at.getTime())));
  await Report.updateOne({ _id: id }, { $push: { visits: { $each: docs } }, $set: { firstVisitAt: first } });
}

async function seed(s: SeedReport, visits: { at: Date; by: Who; onSite: boolean }[] = []): Promise<ReportDoc> {
  const r = await seedReport(s);
  if (visits.length) await addVisits(r._id, visits);
  return r;
}

const r1 = { regionKey: "r1", department: "roads", categoryKey: "road" };
const r2 = { regionKey: "r2", department: "lighting", categoryKey: "lighting" };
const none = { regionKey: "", department: "general", categoryKey: "other" };

/**
 * The visit week: [h0, h168), WEEK_TO = h168 (seed-reports.ts). Known answers:
 *
 *   case region filed  status        resolved  visits (h who on-site?)        staff chat
 *   P    r1     h0     resolved      h30       h10 Omid ✓                      —
 *   Q    r1     h5     resolved      h50       h20 Omid ✗, h40 Reza ✓          —
 *   R    r1     h-100  resolved      h60       h-50 Reza ✓ (before the week)   —
 *   S    r2     h10    resolved      h40       h30 Reza ✗                      —
 *   T    r2     h20    resolved      h45       —                               —
 *   U    r2     h-200  in_progress   —         h100 Omid ✓  (due h500: only the visit brings it in)
 *   V    —      h150   new           —         —   (young)                     —
 *   W    r1     h50    new           —         —   (118 h old: unvisited)      A
 *   X    r2     h80    assigned      —         —   (88 h old: unvisited)       B
 *   Y    r1     h100   new           —         —   (68 h old: young)           A
 *
 * Weekly table, visit columns:
 *   r1: visited P Q = 2; resolved P Q R, each with an on-site visit by its resolution → 100 %
 *   r2: visited S U = 2; resolved S (off site only) T (none) → 0 %
 *   no region: visited 0; nothing resolved → —
 *   total: visited 4; 3 of 5 resolved → 60 %
 * /visits 7d (visits in the week: P-Omid✓ Q-Omid✗ Q-Reza✓ S-Reza✗ U-Omid✓):
 *   r1: 3 visits, 2 on site → 67 %; first visits P 10 h, Q 15 h → median 12.5
 *   r2: 2 visits, 1 on site → 50 %; first visits S 20 h, U 300 h → 160
 *   total: 5, 3 on site → 60 %; 10 15 20 300 → 17.5
 *   Omid: 3 visits (P Q U), 2 on site → 67 %; first on P Q U: 10 15 300 → 15
 *   Reza: 2 visits (Q S), 1 on site → 50 %; first on S: 20
 * Daily digest at h168, 3 days: unvisited = open, filed ≤ h96, never visited = W (chat A), X (chat B).
 */
async function seedVisitWeek() {
  const P = await seed(
    { ...r1, createdAt: h(0), firstResponseAt: h(1), status: "resolved", resolvedAt: h(30), resolveDueAt: h(72) },
    [{ at: h(10), by: OMID, onSite: true }],
  );
  const Q = await seed(
    { ...r1, createdAt: h(5), firstResponseAt: h(6), status: "resolved", resolvedAt: h(50), resolveDueAt: h(77) },
    [
      { at: h(20), by: OMID, onSite: false },
      { at: h(40), by: REZA, onSite: true },
    ],
  );
  const R = await seed(
    { ...r1, createdAt: h(-100), firstResponseAt: h(-99), status: "resolved", resolvedAt: h(60), resolveDueAt: h(-28) },
    [{ at: h(-50), by: REZA, onSite: true }],
  );
  const S = await seed(
    { ...r2, createdAt: h(10), firstResponseAt: h(11), status: "resolved", resolvedAt: h(40), resolveDueAt: h(82) },
    [{ at: h(30), by: REZA, onSite: false }],
  );
  const T = await seed({
    ...r2,
    createdAt: h(20),
    firstResponseAt: h(21),
    status: "resolved",
    resolvedAt: h(45),
    resolveDueAt: h(92),
  });
  const U = await seed(
    { ...r2, createdAt: h(-200), firstResponseAt: h(-190), status: "in_progress", resolveDueAt: h(500) },
    [{ at: h(100), by: OMID, onSite: true }],
  );
  const V = await seed({ ...none, createdAt: h(150) });
  const W = await seed({ ...r1, createdAt: h(50), staffChat: CHAT_A });
  const X = await seed({ ...r2, createdAt: h(80), status: "assigned", staffChat: CHAT_B });
  const Y = await seed({ ...r1, createdAt: h(100), staffChat: CHAT_A });
  return { P, Q, R, S, T, U, V, W, X, Y };
}

function testBot(env: Record<string, string> = {}): TestBot {
  return createTestBot({ MANAGERS_CHAT_ID: String(MANAGERS), DEFAULT_LOCALE: "en", ...env });
}

async function runAt(
  tb: TestBot,
  job: "weekly-table" | "daily-digest",
  at: Date,
): Promise<{ chat: number; text: string }[]> {
  const outcome = await runJob(job, { config: tb.config }, { at, holder: "test" });
  if (!outcome.ran) throw new Error(`${job} did not run: ${outcome.reason}`);
  tb.api.clearCalls();
  tb.clock.now = at;
  await tb.dispatcher.drainOnce();
  // The table's phone text goes as the picture's caption when it fits, else as a message.
  return tb.api.calls.map((c) => ({
    chat: Number(c.payload.chat_id),
    text: String(c.payload.text ?? c.payload.caption ?? ""),
  }));
}

const pre = (html: string, n = 0) => [...html.matchAll(/<pre>([\s\S]*?)<\/pre>/g)][n]![1]!.split("\n");
/** The line after a name line in a monospace table. */
const after = (lines: string[], name: string) => {
  const i = lines.indexOf(name);
  if (i < 0) throw new Error(`no line "${name}" in:\n${lines.join("\n")}`);
  return lines[i + 1]!;
};

/** A region's block in the table's phone text: its bold name, then its lines of figures. */
const block = (text: string, name: string) => {
  const blocks = text.split("\n\n").map((b) => b.split("\n"));
  const found = blocks.find((b) => b[0] === `<b>${name}</b>`);
  if (!found) throw new Error(`no block "${name}" in:\n${text}`);
  return found.slice(1);
};
/** "stars … · visited N · on site P": the visit figures of a block. */
const visitFigures = (lines: string[]) => {
  const m = / · visited (\S+) · on site (\S+)$/.exec(lines.find((l) => l.includes(" · visited ")) ?? "");
  if (!m) throw new Error(`no visit line in:\n${lines.join("\n")}`);
  return [m[1], m[2]];
};

describe("weekly table: visited and % resolved with an on-site visit", () => {
  it("per region, per department and in total, from the visits in the week (the job's sent messages)", async () => {
    const tb = testBot();
    await seedVisitWeek();
    const sent = await runAt(tb, "weekly-table", WEEK_TO);
    // Each section: its picture, with the phone text as the caption (it fits).
    expect(tb.api.calls.map((c) => c.method)).toEqual(["sendPhoto", "sendPhoto"]);
    const [regions, departments] = sent;
    expect(visitFigures(block(regions!.text, "District 1 (north-west)"))).toEqual(["2", "100%"]);
    expect(visitFigures(block(regions!.text, "District 2 (north-east)"))).toEqual(["2", "0%"]);
    expect(visitFigures(block(regions!.text, "No region"))).toEqual(["0", "—"]);
    expect(visitFigures(block(regions!.text, "Total"))).toEqual(["4", "60%"]);
    expect(visitFigures(block(departments!.text, "Roads"))).toEqual(["2", "100%"]);
    expect(visitFigures(block(departments!.text, "Street lighting"))).toEqual(["2", "0%"]);
    expect(visitFigures(block(departments!.text, "General affairs"))).toEqual(["0", "—"]);
    expect(visitFigures(block(departments!.text, "Total"))).toEqual(["4", "60%"]);
  });
});

describe("/visits", () => {
  it("a manager gets visits, on-site share and median hours to the first visit per region and per official", async () => {
    await seedVisitWeek();
    await upsertStaff({ platform: "telegram", userId: MINA, name: "Mina", role: "manager", regions: ["r1"] });
    const tb = testBot();
    tb.clock.now = WEEK_TO;
    const mina = tb.member(MINA, STAFF_GROUP, { languageCode: "en" });
    await mina.text("/visits 7d");
    const html = mina.lastReply();
    const tz = tb.config.TZ_NAME;
    const header = " visits  site% wait h";
    expect(html.split("\n").slice(0, 3)).toEqual([
      "<b>🚶 Field visits, last 7 days</b>",
      `${formatDate(h(0), "en", tz)} to ${formatDate(WEEK_TO, "en", tz)}`,
      "<b>By region</b>",
    ]);
    expect(pre(html, 0)).toEqual([
      header,
      "District 1 (north-west)",
      "      3    67%   12.5",
      "District 2 (north-east)",
      "      2    50%    160",
      "Total",
      "      5    60%   17.5",
    ]);
    expect(html).toContain("</pre>\n<b>By official</b>\n<pre>");
    expect(pre(html, 1)).toEqual([
      header,
      "Omid Rezaei",
      "      3    67%     15",
      "Reza Karimi",
      "      2    50%     20",
    ]);
    expect(html.endsWith("(per official: the cases where theirs was the first visit).")).toBe(true);

    // 30 days also take in R's visit (h-50, Reza, on site, 50 h after filing): r1 4 visits, 3 on site,
    // firsts 10 15 50 → 15; Reza 3 visits, 2 on site, firsts 20 50 → 35; total 6, 4 on site, 10 15 20 50 300 → 20.
    await mina.text("/visits 30d");
    const month = mina.lastReply();
    expect(month.startsWith("<b>🚶 Field visits, last 30 days</b>")).toBe(true);
    expect(after(pre(month, 0), "District 1 (north-west)")).toBe("      4    75%     15");
    expect(after(pre(month, 0), "Total")).toBe("      6    67%     20");
    expect(pre(month, 1).slice(1)).toEqual([
      "Omid Rezaei",
      "      3    67%     15",
      "Reza Karimi",
      "      3    67%     35",
    ]);
  });

  it("in Persian: Persian labels and digits, every table line right-to-left", async () => {
    await seedVisitWeek();
    await upsertStaff({ platform: "telegram", userId: MINA, name: "Mina", role: "admin" });
    const tb = createTestBot();
    tb.clock.now = WEEK_TO;
    const mina = tb.member(MINA, STAFF_GROUP);
    await mina.text("/visits");
    const html = mina.lastReply();
    expect(html.startsWith("<b>🚶 بازدیدهای میدانی، ۷ روز گذشته</b>")).toBe(true);
    const lines = pre(html, 0);
    expect(lines.every((l) => l.startsWith("\u200f"))).toBe(true);
    expect(lines.map((l) => l.slice(1))).toEqual([
      " بازدید  حضوری انتظار",
      "منطقه ۱ (شمال غرب)",
      "      ۳    ۶۷٪   ۱۲٫۵",
      "منطقه ۲ (شمال شرق)",
      "      ۲    ۵۰٪    ۱۶۰",
      "جمع کل",
      "      ۵    ۶۰٪   ۱۷٫۵",
    ]);
  });

  it("an empty period says so; an official is refused like other manager-only commands; a bad period gets the usage", async () => {
    await seedVisitWeek();
    await upsertStaff({ platform: "telegram", userId: MINA, name: "Mina", role: "manager" });
    await upsertStaff({
      platform: "telegram",
      userId: OMID.userId,
      name: OMID.name,
      role: "official",
      regions: ["r1"],
    });
    const tb = testBot();
    // A month after the week: nothing visited in the last 7 days.
    tb.clock.now = new Date(WEEK_TO.getTime() + 30 * 24 * HOUR);
    const mina = tb.member(MINA, STAFF_GROUP, { languageCode: "en" });
    await mina.text("/visits");
    expect(mina.lastReply().split("\n").at(-1)).toBe("No field visits in the last 7 days.");
    await mina.text("/visits forever");
    expect(mina.lastReply()).toBe("Send /visits, /visits 7d or /visits 30d (any number of days up to 90).");

    const omid = tb.member(OMID.userId, STAFF_GROUP, { languageCode: "en" });
    await omid.text("/visits");
    expect(omid.lastReply()).toBe("Your role does not allow this action.");
    const stranger = tb.member(99, STAFF_GROUP, { languageCode: "en" });
    await stranger.text("/visits");
    expect(stranger.lastReply()).toBe("Only registered staff can do this.");
  });
});

describe("/visits message size", () => {
  const t = translator(createI18n("en"), "en");
  const view = { t, locale: "en" as const, timeZone: "Asia/Tehran", days: 30, regions: new Map<string, string>() };
  const group = (key: string, name: string): VisitGroup => ({
    key,
    name,
    visits: 1,
    onSitePct: 100,
    medianFirstVisitHours: 2,
  });
  const report = (officials: VisitGroup[]) => ({
    from: h(0),
    to: WEEK_TO,
    regions: [group("r1", "")],
    officials,
    total: { visits: officials.length, onSitePct: 100, medianFirstVisitHours: 2 },
  });

  it(`shows ${VISITS_MAX_ROWS} officials and counts the rest`, () => {
    const html = formatVisitReport(
      report(Array.from({ length: VISITS_MAX_ROWS + 5 }, (_, i) => group(`telegram:${i}`, `Official ${i}`))),
      view,
    );
    expect(pre(html, 1).filter((l) => l.startsWith("Official "))).toHaveLength(VISITS_MAX_ROWS);
    expect(html).toContain("</pre>\n…and 5 more rows (counted in the total).\n");
  });

  it("stays within 4096 characters when long names grow with HTML escaping, by showing fewer rows", () => {
    const html = formatVisitReport(
      report(Array.from({ length: 60 }, (_, i) => group(`telegram:${i}`, `${"&".repeat(60)}${i}`))),
      view,
    );
    expect(html.length).toBeLessThanOrEqual(4096);
    expect(html).toMatch(/…and \d+ more rows/);
    expect(html.endsWith("(per official: the cases where theirs was the first visit).")).toBe(true);
  });
});

describe("daily digest: open cases nobody has visited in DIGEST_UNVISITED_DAYS days", () => {
  it("lists them in their staff chat and in the managers' total; visited, young and closed cases are not listed", async () => {
    const tb = testBot();
    const c = await seedVisitWeek();
    const sent = Object.fromEntries((await runAt(tb, "daily-digest", WEEK_TO)).map((s) => [s.chat, s.text]));
    const date = formatDate(WEEK_TO, "en", tb.config.TZ_NAME);
    const digest = (title: string, n: number[]) =>
      `${title} — ${date}\n🆕 Filed in the last 24 h: ${n[0]}\n✅ Resolved in the last 24 h: ${n[1]}\n📂 Open: ${n[2]}\n⏰ Overdue: ${n[3]}`;
    const chat = "📊 Daily digest for this chat's cases";
    expect(sent).toEqual({
      [CHAT_A.chatId]: `${digest(chat, [0, 0, 2, 2])}\n🚶 Open for 3 days or more with no field visit: 1\n${formatCode(c.W.code)}`,
      [CHAT_B.chatId]: `${digest(chat, [0, 0, 1, 1])}\n🚶 Open for 3 days or more with no field visit: 1\n${formatCode(c.X.code)}`,
      // U is old but visited, V young: nothing to list, no line.
      [STAFF_CHAT]: digest(chat, [1, 0, 2, 1]),
      [MANAGERS]: `${digest("📊 Daily digest, all regions", [1, 0, 5, 4])}\n🚶 Open for 3 days or more with no field visit: 2\n${formatCode(c.W.code)} · ${formatCode(c.X.code)}`,
    });
  });

  it("lists at most 10 codes, longest waiting first, and counts the rest", async () => {
    const tb = testBot({ DIGEST_UNVISITED_DAYS: "1" });
    const cases: ReportDoc[] = [];
    for (let i = 0; i < 12; i++)
      cases.push(
        await seedReport({ createdAt: h(100 - i), staffChat: CHAT_A, resolveDueAt: h(500), firstResponseAt: h(101) }),
      );
    const sent = await runAt(tb, "daily-digest", WEEK_TO);
    const lines = sent.find((s) => s.chat === CHAT_A.chatId)!.text.split("\n");
    expect(lines.slice(5)).toEqual([
      "🚶 Open for a day or more with no field visit: 12",
      [...cases]
        .reverse()
        .slice(0, 10)
        .map((r) => formatCode(r.code))
        .join(" · "),
      "…and 2 more",
    ]);
  });
});
