import { describe, expect, it } from "vitest";
import { Report, type ReportDoc } from "../../models/report/report.ts";
import { Citizen, touchCitizen } from "../../models/people/citizen.ts";
import { BotState } from "../../models/infra/kv-store.ts";
import { Inbox } from "../../models/infra/inbox.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { ForgetRequest, requestForget } from "../../models/people/forget-request.ts";
import { submitReport } from "../../models/report/report-submit.ts";
import {
  attachCitizenReply,
  citizenFeedback,
  markDuplicate,
  rateCase,
  rejectCase,
  requestInfo,
  resolveCase,
  startProgress,
  takeCase,
} from "../../models/report/case-actions.ts";
import { seedOnSiteVisit } from "../support/visit-steps.ts";
import { followReport } from "../../models/report/report-queries.ts";
import type { StaffMember } from "../../models/people/staff.ts";
import { useTestDb } from "../support/test-db.ts";
import { runScript, uriFor } from "./run-script.ts";

const { uri, dbName } = useTestDb({ cleanEach: true });
const retention = (args: string[], env: Record<string, string> = {}) =>
  runScript("retention", args, { MONGODB_URI: uriFor(uri, dbName), ...env });
/** The output minus the plain progress counts (their number depends on the totals). */
const withoutProgress = (run: { code: number | null; output: string }) => ({
  code: run.code,
  output: run.output.replace(/^anonymising: \d+\/\d+\n/gm, ""),
});

const DAY = 86_400_000;
/** The script uses the real clock: reports are placed relative to it. */
const ago = (days: number) => new Date(Date.now() - days * DAY);
const OFFICIAL: StaffMember = {
  platform: "telegram",
  userId: 9001,
  name: "Mr. Karimi",
  role: "official",
  regions: ["r1"],
  departments: ["water"],
};
const STAFF_CHAT = { platform: "telegram" as const, chatId: -100200300 };

let seq = 0;
async function submit(userId: number, days: number, name = "Sara Ahmadi"): Promise<ReportDoc> {
  seq++;
  const { report } = await submitReport({
    submissionKey: `ret-${seq}`,
    platform: "telegram",
    citizen: { userId, chatId: userId, name, username: `user${userId}`, phone: "+989121234567", locale: "fa" },
    categoryKey: "water",
    description: "لوله آب جلوی مدرسه شکسته است",
    location: { lat: 35.8327, lon: 50.9915 },
    address: "خیابان آزادی",
    venueTitle: "",
    photos: [],
    route: { regionKey: "r1", chat: STAFF_CHAT, needsLocationCheck: false },
    now: ago(days),
  });
  return report;
}

async function load(r: ReportDoc): Promise<ReportDoc & { anonymizedAt?: Date | null }> {
  const doc = await Report.findById(r._id).lean<ReportDoc & { anonymizedAt?: Date | null }>();
  if (!doc) throw new Error("report gone");
  return doc;
}

/**
 * What retention must turn `before` into: the personal fields blank, everything else (the
 * statistics: platform, category, region, dates, statuses, ratings, history kinds and dates) equal.
 */
function anonymised(before: ReportDoc) {
  return {
    ...before,
    citizen: { ...before.citizen, name: "", username: "", phone: "", userId: 0, chatId: 0 },
    followers: [],
    history: before.history.map((h) => ({
      ...h,
      by: h.by.kind === "citizen" ? { ...h.by, id: 0, name: "" } : h.by,
      note: h.kind === "citizen_reply" ? "" : h.note,
    })),
    anonymizedAt: expect.any(Date),
  };
}

/** What a /forgetme request turns `before` into: anonymised, and the citizen's own words and photos gone, with the fact that they were. */
function erased(before: ReportDoc) {
  return {
    ...anonymised(before),
    description: "",
    address: "",
    venueTitle: "",
    photos: [],
    replyPhotos: [],
    infoRequest: null,
    erasedAt: expect.any(Date),
  };
}

/** Every collection retention may touch, for "changed nothing" comparisons. */
async function snapshot() {
  return {
    reports: await Report.find().sort({ _id: 1 }).lean(),
    outbox: await Outbox.find().sort({ _id: 1 }).lean(),
    citizens: await Citizen.find().sort({ _id: 1 }).lean(),
    forget: await ForgetRequest.find().sort({ _id: 1 }).lean(),
  };
}

/** A desk with reports closed long ago and recently, open ones, and one citizen asking to be forgotten. */
async function desk() {
  // A: resolved 400 days ago after a question and the citizen's reply; followed; rated 5, "fixed".
  let a = await submit(7001, 410);
  await takeCase(a._id, OFFICIAL, ago(409));
  await requestInfo(a._id, OFFICIAL, "Which side of the street?", ago(408));
  await attachCitizenReply(a._id, "North side, next to house number 12, call me at 0912", null, ago(407));
  await followReport(a.code, { platform: "bale", userId: 7100, chatId: 7100, locale: "en" });
  await seedOnSiteVisit(a, OFFICIAL, ago(400)); // water and road need one before Resolve
  await resolveCase(a._id, OFFICIAL, "Pipe replaced", null, ago(400));
  await citizenFeedback(a._id, "telegram", 7001, true, null, ago(399));
  a = await rateCase(a._id, "telegram", 7001, 5, ago(399));
  // B: rejected 390 days ago.
  const b = await submit(7002, 395);
  await rejectCase(b._id, OFFICIAL, "Private property", ago(390));
  // C: resolved 100 days ago: kept at 365 days, anonymised at 30.
  const c = await submit(7003, 110);
  await seedOnSiteVisit(c, OFFICIAL, ago(100)); // water and road need one before Resolve
  // X follows C while it is open (a closed case takes no new supporters).
  await followReport(c.code, { platform: "telegram", userId: 8100, chatId: 8100, locale: "fa" });
  await resolveCase(c._id, OFFICIAL, "Done", null, ago(100));
  // D: open for 410 days: an open case keeps its reporter (nobody asked to be forgotten).
  const d = await submit(7004, 410);
  await startProgress(d._id, OFFICIAL, ago(405));
  // E: duplicate of D, closed 380 days ago (its reporter becomes a follower of D).
  const e = await submit(7005, 381);
  await markDuplicate(e._id, d.code, OFFICIAL, ago(380));
  // F: resolved 400 days ago, from before closedAt existed: only resolvedAt says when.
  const f = await submit(7006, 402);
  await seedOnSiteVisit(f, OFFICIAL, ago(400)); // water and road need one before Resolve
  await resolveCase(f._id, OFFICIAL, "Fixed", null, ago(400));
  await Report.updateOne({ _id: f._id }, { $set: { closedAt: null } }, { timestamps: false });
  // X asked /forgetme: an open report, a report closed 5 days ago, and a followed case (C).
  await touchCitizen({ platform: "telegram", userId: 8100, chatId: 8100, firstName: "Reza", username: "reza_x" });
  const xOpen = await submit(8100, 20, "Reza");
  await takeCase(xOpen._id, OFFICIAL, ago(19));
  const xClosed = await submit(8100, 30, "Reza");
  await seedOnSiteVisit(xClosed, OFFICIAL, ago(5)); // water and road need one before Resolve
  await resolveCase(xClosed._id, OFFICIAL, "Done", null, ago(5));
  await requestForget("telegram", 8100, ago(1));
  // X left a form half-filled (their words are in the replay log); another citizen has one too.
  await BotState.insertMany([
    { _id: "conversation:telegram:8100", value: JSON.stringify({ text: "my street, my phone 0912" }) },
    { _id: "conversation:telegram:7001", value: "{}" },
  ]);
  // An update of X's that the inbox parked still holds what they typed; another citizen's stays.
  const parked = (chatId: number, updateId: number) => ({
    _id: `telegram:${updateId}`,
    platform: "telegram",
    updateId,
    chatKey: String(chatId),
    chatId,
    update: JSON.stringify({ message: { text: "call me on 0912 000 5001" } }),
    status: "parked" as const,
    attempts: 5,
    lastError: "TypeError",
    receivedAt: ago(2),
    doneAt: null,
  });
  await Inbox.insertMany([parked(8100, 81001), parked(7001, 70011)]);
  return {
    a: await load(a),
    b: await load(b),
    c: await load(c),
    d: await load(d),
    e: await load(e),
    f: await load(f),
    xOpen: await load(xOpen),
    xClosed: await load(xClosed),
  };
}

describe("npm run retention (scripts/retention.ts as a child process)", { timeout: 180_000 }, () => {
  it("--help prints the usage; bad arguments and a missing database are one line and exit 1", async () => {
    const help = await retention(["--help"]);
    expect(help.code).toBe(0);
    expect(help.output.split("\n")[0]).toBe("Usage: npm run retention -- [--days N] [--dry-run] [--yes]");

    expect(await retention(["--days", "soon"])).toEqual({
      code: 1,
      output: `--days "soon" is not a whole number of days ≥ 1 (see --help)\n`,
    });
    expect(await retention(["--days", "0"])).toEqual({
      code: 1,
      output: `--days "0" is not a whole number of days ≥ 1 (see --help)\n`,
    });
    const bad = await retention(["--bogus"]);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/^Unknown option '--bogus'[^\n]*\(see --help\)\n$/);
    expect(await retention([], { MONGODB_URI: "" })).toEqual({
      code: 1,
      output:
        "MONGODB_URI is not set: point it at the bot's MongoDB (in .env or the environment; the sandbox prints its URI)\n",
    });
  });

  it("--dry-run reports the counts and changes nothing; without --yes and no terminal it refuses and changes nothing", async () => {
    await desk();
    const before = await snapshot();
    const dry = await retention(["--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.output).toMatch(
      /^dry run: 4 reports to anonymise \(closed > 365 days, before \S+Z\), 1 forget requests \(2 reports\); nothing changed\n {2}forget telegram:8100 \(2 reports\)\n$/,
    );
    expect(await snapshot()).toEqual(before);

    const refused = await retention([]);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/refusing without a terminal; pass --yes to confirm\nnothing changed\n$/);
    expect(await snapshot()).toEqual(before);
  });

  it("anonymises exactly the reports closed more than N days ago and works the forget queue, keeping the statistics; a second run changes nothing", async () => {
    const r = await desk();
    const xOutboxPending = await Outbox.countDocuments({ platform: "telegram", chatId: 8100, status: "pending" });
    expect(xOutboxPending).toBeGreaterThan(0);
    expect(await Outbox.countDocuments({ chatId: 8100 })).toBe(xOutboxPending);
    const othersPending = await Outbox.find({ chatId: { $ne: 8100 }, status: "pending" })
      .sort({ _id: 1 })
      .lean();

    const run = await retention(["--yes"]);
    expect(withoutProgress(run)).toEqual({
      code: 0,
      output: `4 reports anonymised (closed > 365 days), 1 forget requests done (2 reports)\nerased: reports 2 (texts), outbox ${xOutboxPending}, gridfs 0 files, bot_state 1, inbox 1, citizens 1, cards 0 queued for redraw, forget_requests 1 done\n`,
    });

    // Closed long ago (closedAt, or resolvedAt alone): anonymised. The forgetting citizen's reports, open or not: erased.
    for (const key of ["a", "b", "e", "f"] as const) expect(await load(r[key]), key).toEqual(anonymised(r[key]));
    for (const key of ["xOpen", "xClosed"] as const) expect(await load(r[key]), key).toEqual(erased(r[key]));
    // Closed 100 days ago (minus the forgotten follower) and open: untouched.
    expect(await load(r.c)).toEqual({ ...r.c, followers: [] });
    expect(await load(r.d)).toEqual(r.d);

    // What the statistics read survived on A, spelled out.
    const a = await load(r.a);
    expect(a).toMatchObject({
      platform: "telegram",
      categoryKey: "water",
      department: "water",
      regionKey: "r1",
      status: "resolved",
      feedback: { rating: 5, fixed: true },
    });
    expect(a.history.map((h) => [h.kind, h.to, h.at.getTime(), h.by.kind, h.by.name])).toEqual(
      r.a.history.map((h) => [h.kind, h.to, h.at.getTime(), h.by.kind, h.by.kind === "staff" ? "Mr. Karimi" : ""]),
    );
    expect(JSON.stringify(a)).not.toMatch(/Sara|user7001|\+98912|North side/);

    // The forget request: done (naming nobody), the citizen record gone, their pending messages stopped, others untouched.
    expect(await ForgetRequest.find({}, { _id: 0, status: 1, userId: 1, doneAt: 1 }).lean()).toEqual([
      { userId: 0, status: "done", doneAt: expect.any(Date) },
    ]);
    expect(await Citizen.countDocuments({ userId: 8100 })).toBe(0);
    expect((await BotState.find({}, { _id: 1 }).lean()).map((b) => b._id)).toEqual(["conversation:telegram:7001"]);
    expect((await Inbox.find({}, { _id: 1 }).lean()).map((b) => b._id)).toEqual(["telegram:70011"]);
    // Their rows are tombstones now: chat 0, a fresh id, no payload, stopped.
    expect(await Outbox.countDocuments({ chatId: 8100 })).toBe(0);
    expect(await Outbox.find({ chatId: 0 }, { _id: 0, status: 1, lastError: 1, payload: 1 }).lean()).toStrictEqual(
      Array.from({ length: xOutboxPending }, () => ({ status: "failed", lastError: "forgotten" })),
    );
    expect(await Outbox.countDocuments({ _id: /^erased:[0-9a-f]{24}$/ })).toBe(xOutboxPending);
    expect(
      await Outbox.find({ chatId: { $ne: 8100 }, status: "pending" })
        .sort({ _id: 1 })
        .lean(),
    ).toEqual(othersPending);

    const after = await snapshot();
    const again = await retention(["--yes"]);
    expect(again).toEqual({
      code: 0,
      output: "0 reports anonymised (closed > 365 days), 0 forget requests done (0 reports)\n",
    });
    expect(await snapshot()).toEqual(after);
  });

  it("--days N moves the line: at 30 days the report closed 100 days ago goes too", async () => {
    const r = await desk();
    await ForgetRequest.deleteMany({});
    const run = await retention(["--days", "30", "--yes"]);
    expect(withoutProgress(run)).toEqual({
      code: 0,
      output: "5 reports anonymised (closed > 30 days), 0 forget requests done (0 reports)\n",
    });
    expect(await load(r.c)).toEqual(anonymised(r.c));
    // Closed 5 days ago, and open: kept, the citizen record too.
    expect(await load(r.xClosed)).toEqual(r.xClosed);
    expect(await load(r.d)).toEqual(r.d);
    expect(await Citizen.countDocuments({ userId: 8100 })).toBe(1);
  });

  it("RETENTION_DAYS is the default for --days", async () => {
    const r = await desk();
    await ForgetRequest.deleteMany({});
    const dry = await retention(["--dry-run"], { RETENTION_DAYS: "30" });
    expect(dry.output).toMatch(/^dry run: 5 reports to anonymise \(closed > 30 days, /);
    expect(await load(r.c)).toEqual(r.c);
  });
});
