import { Types } from "mongoose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { Report, type ReportDoc } from "../../models/report/report.ts";
import { Outbox, claimNextRow, markFinal, markRetry, markSent } from "../../models/infra/outbox.ts";
import { changeStatus, type Actor } from "../../models/report/report-transition.ts";
import { slaDeadlines, submitReport, type SubmitInput } from "../../models/report/report-submit.ts";
import { relayStaleOutbox } from "../../models/infra/outbox-relay.ts";
import { followReport } from "../../models/report/report-queries.ts";
import { DomainError } from "../../models/common/errors.ts";
import { generateCode, isValidCode } from "../../models/report/tracking-code.ts";
import { DEFAULT_CATEGORIES } from "../../models/geography/default-categories.ts";

useTestDb();

const HOUR = 3_600_000;
const T0 = new Date("2025-05-10T06:00:00Z");
const STAFF = { platform: "telegram" as const, chatId: -100200300 };
const OFFICIAL: Actor = { kind: "staff", platform: "telegram", id: 9001, name: "Mr. Karimi" };

let seq = 0;

function input(over: Partial<SubmitInput> = {}): SubmitInput {
  seq++;
  return {
    submissionKey: `key-${seq}`,
    platform: "telegram",
    citizen: { userId: 5000 + seq, chatId: 5000 + seq, name: "Sara", username: "sara_k", phone: "", locale: "fa" },
    categoryKey: "water",
    description: "لوله آب جلوی مدرسه شکسته است",
    location: { lat: 35.8327, lon: 50.9915 },
    address: "",
    venueTitle: "",
    photos: [],
    route: routeTo(null),
    now: T0,
    ...over,
  };
}

async function newReport(over: Partial<SubmitInput> = {}): Promise<ReportDoc> {
  const { report, created } = await submitReport(input(over));
  expect(created).toBe(true);
  return report;
}

async function reload(id: Types.ObjectId): Promise<ReportDoc> {
  const r = await Report.findById(id).lean<ReportDoc>();
  if (!r) throw new Error(`report ${id.toHexString()} is gone`);
  return r;
}

async function expectDomainError(p: Promise<unknown>, reason: DomainError["reason"]): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).reason).toBe(reason);
}

function entryId(entry: ReportDoc["history"][number]): string {
  return String((entry as unknown as { _id: Types.ObjectId })._id);
}

beforeEach(async () => {
  await Promise.all([Report.deleteMany({}), Outbox.deleteMany({})]);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("changeStatus", () => {
  it("appends history (who/when/from/to/note/public) and queues one status_changed row per recipient, relayed into Outbox with deterministic ids", async () => {
    const report = await newReport({
      citizen: { userId: 7001, chatId: 7001, name: "Sara", username: "sara_k", phone: "", locale: "en" },
    });
    expect(await followReport(report.code, { platform: "telegram", userId: 7002, chatId: 7002, locale: "fa" })).toBe(
      true,
    );
    expect(await followReport(report.code, { platform: "bale", userId: 7003, chatId: 7003, locale: "en" })).toBe(true);

    const at = new Date(T0.getTime() + HOUR);
    const updated = await changeStatus(report._id, "assigned", OFFICIAL, "تیم فنی اعزام شد", { now: at });

    expect(updated.status).toBe("assigned");
    expect(updated.history).toHaveLength(2);
    const entry = updated.history[1]!;
    expect(entry).toMatchObject({
      at,
      by: { kind: "staff", platform: "telegram", id: 9001, name: "Mr. Karimi" },
      from: "new",
      to: "assigned",
      note: "تیم فنی اعزام شد",
      public: true,
    });
    // Relayed: nothing left on the report itself.
    expect(updated.pendingOutbox).toEqual([]);

    const rows = await Outbox.find({ kind: "status_changed" }).sort({ _id: 1 }).lean();
    const base = `${report._id.toHexString()}:${entryId(entry)}:status_changed`;
    expect(rows.map((r) => r._id).sort()).toEqual(
      [`${base}:bale:7003`, `${base}:telegram:7001`, `${base}:telegram:7002`].sort(),
    );
    const byChat = new Map(rows.map((r) => [r.chatId, r]));
    expect(byChat.get(7001)).toMatchObject({ platform: "telegram", locale: "en", status: "pending", attempts: 0 });
    expect(byChat.get(7002)).toMatchObject({ platform: "telegram", locale: "fa", status: "pending" });
    expect(byChat.get(7003)).toMatchObject({ platform: "bale", locale: "en", status: "pending" });
    for (const r of rows) {
      expect(r.payload).toEqual({
        reportId: report._id.toHexString(),
        code: report.code,
        from: "new",
        to: "assigned",
        note: "تیم فنی اعزام شد",
      });
      expect(r.nextAttemptAt).toEqual(at);
      expect(r.createdAt).toEqual(at);
    }
  });

  it("stamps updatedAt with the time of the change (the injected clock), not when the relay tidied the report", async () => {
    const report = await newReport({ route: routeTo(STAFF) });
    expect(report.updatedAt).toEqual(T0);
    const at = new Date(T0.getTime() + 2 * HOUR);
    const updated = await changeStatus(report._id, "assigned", OFFICIAL, "", { now: at });
    expect(updated.updatedAt).toEqual(at);
    expect((await reload(report._id)).updatedAt).toEqual(at);
  });

  it("walks the lifecycle new → assigned → in_progress → resolved → reopened, one history entry and one row per step", async () => {
    const report = await newReport();
    const steps = ["assigned", "in_progress", "resolved", "reopened"] as const;
    for (const [i, to] of steps.entries()) {
      const actor: Actor =
        to === "reopened" ? { kind: "citizen", platform: "telegram", id: report.citizen.userId } : OFFICIAL;
      await changeStatus(report._id, to, actor, "", { now: new Date(T0.getTime() + (i + 1) * HOUR) });
    }
    const r = await reload(report._id);
    expect(r.status).toBe("reopened");
    expect(r.history.map((h) => [h.from, h.to])).toEqual([
      ["", "new"],
      ["new", "assigned"],
      ["assigned", "in_progress"],
      ["in_progress", "resolved"],
      ["resolved", "reopened"],
    ]);
    expect(r.history[4]!.by).toMatchObject({ kind: "citizen", id: report.citizen.userId });
    const rows = await Outbox.find({ kind: "status_changed" }).sort({ createdAt: 1 }).lean();
    expect(rows.map((x) => (x.payload as { to: string }).to)).toEqual([...steps]);
    expect(new Set(rows.map((x) => x._id)).size).toBe(4);
  });

  it("keeps an internal (public:false) note in the history but out of every notification payload", async () => {
    const report = await newReport();
    await followReport(report.code, { platform: "telegram", userId: 7102, chatId: 7102, locale: "fa" });
    const updated = await changeStatus(report._id, "in_progress", OFFICIAL, "داخلی: پیمانکار شماره ۴۴۲", {
      public: false,
      now: T0,
    });

    expect(updated.history.at(-1)).toMatchObject({
      to: "in_progress",
      note: "داخلی: پیمانکار شماره ۴۴۲",
      public: false,
    });
    const rows = await Outbox.find({ kind: "status_changed" }).lean();
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.payload).toEqual({
        reportId: report._id.toHexString(),
        code: report.code,
        from: "new",
        to: "in_progress",
        note: "",
      });
      expect(JSON.stringify(r)).not.toContain("پیمانکار");
    }
  });

  it("rejects an invalid transition with bad_transition and changes nothing", async () => {
    const report = await newReport();
    await expectDomainError(changeStatus(report._id, "reopened", OFFICIAL, "x"), "bad_transition");
    await expectDomainError(changeStatus(report._id, "new", OFFICIAL), "bad_transition");

    await changeStatus(report._id, "rejected", OFFICIAL, "خارج از حوزه", { now: T0 });
    const before = await reload(report._id);
    const rowsBefore = await Outbox.countDocuments({});
    for (const to of ["assigned", "in_progress", "resolved", "reopened", "duplicate"] as const) {
      await expectDomainError(
        changeStatus(report._id, to, OFFICIAL, "again", { now: new Date(T0.getTime() + HOUR) }),
        "bad_transition",
      );
    }
    const after = await reload(report._id);
    expect(after.status).toBe("rejected");
    expect(after.history).toHaveLength(before.history.length);
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(after.pendingOutbox).toEqual([]);
    expect(await Outbox.countDocuments({})).toBe(rowsBefore);
  });

  it("fails with conflict when the status moved between the read and the write, and leaves the winner's change intact", async () => {
    const report = await newReport();
    const realFindById = Report.findById.bind(Report);
    // The other official's change lands right after our read: our conditional write must then miss.
    vi.spyOn(Report, "findById").mockImplementationOnce(((id: Types.ObjectId) => ({
      lean: async () => {
        const snapshot = await realFindById(id).lean<ReportDoc>();
        await changeStatus(id, "rejected", { kind: "staff", platform: "telegram", id: 9002, name: "Ms. Ahmadi" }, "", {
          now: T0,
        });
        return snapshot;
      },
    })) as unknown as typeof Report.findById);

    await expectDomainError(changeStatus(report._id, "assigned", OFFICIAL, "من برمی‌دارم", { now: T0 }), "conflict");

    const r = await reload(report._id);
    expect(r.status).toBe("rejected");
    expect(r.history.map((h) => h.to)).toEqual(["new", "rejected"]);
    expect(r.history[1]!.by.id).toBe(9002);
    expect(r.pendingOutbox).toEqual([]);
    const rows = await Outbox.find({ kind: "status_changed" }).lean();
    expect(rows.map((x) => (x.payload as { to: string }).to)).toEqual(["rejected"]);
  });

  it("throws not_found for a report that does not exist", async () => {
    await expectDomainError(changeStatus(new Types.ObjectId(), "assigned", OFFICIAL), "not_found");
    expect(await Outbox.countDocuments({})).toBe(0);
  });
});

describe("submitReport", () => {
  it("stores one report per submissionKey: a repeat returns the first with created:false", async () => {
    const first = await submitReport(input({ submissionKey: "same-key", route: routeTo(STAFF) }));
    const again = await submitReport(
      input({ submissionKey: "same-key", route: routeTo(STAFF), description: "متن دیگری که نباید ذخیره شود" }),
    );
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.report._id.equals(first.report._id)).toBe(true);
    expect(again.report.code).toBe(first.report.code);
    expect(again.report.description).toBe("لوله آب جلوی مدرسه شکسته است");
    expect(await Report.countDocuments({ submissionKey: "same-key" })).toBe(1);
    // The staff card is not queued a second time either.
    expect(await Outbox.countDocuments({ kind: "staff_card" })).toBe(1);
  });

  it("concurrent submissions with the same key still make one report", async () => {
    const results = await Promise.all(
      [0, 1, 2, 3].map(() => submitReport(input({ submissionKey: "tap-tap", route: routeTo(STAFF) }))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.report.code)).size).toBe(1);
    expect(await Report.countDocuments({ submissionKey: "tap-tap" })).toBe(1);
    expect(await Outbox.countDocuments({ kind: "staff_card" })).toBe(1);
  });

  it("sets SLA deadlines from the category: first response after a quarter (≥ 1 h), resolution after slaHours", async () => {
    for (const c of DEFAULT_CATEGORIES) {
      const report = await newReport({ categoryKey: c.key });
      expect(report.categoryKey).toBe(c.key);
      expect(report.department).toBe(c.department);
      expect(report.createdAt).toEqual(T0);
      expect(report.resolveDueAt.getTime() - T0.getTime()).toBe(c.slaHours * HOUR);
      expect(report.firstResponseDueAt.getTime() - T0.getTime()).toBe(Math.max(1, Math.round(c.slaHours / 4)) * HOUR);
    }
    const water = (await Report.findOne({ categoryKey: "water" }).lean<ReportDoc>())!;
    expect(water.firstResponseDueAt).toEqual(new Date(T0.getTime() + 3 * HOUR));
    expect(water.resolveDueAt).toEqual(new Date(T0.getTime() + 12 * HOUR));
    expect(slaDeadlines(T0, 1).firstResponseDueAt).toEqual(new Date(T0.getTime() + HOUR));
  });

  it("stores the report as new with a valid tracking code and the reporter's data", async () => {
    const report = await newReport({
      citizen: { userId: 42, chatId: 42, name: "Reza", username: "reza", phone: "+989120000000", locale: "en" },
      address: "Azadi St",
      venueTitle: "School",
    });
    expect(isValidCode(report.code)).toBe(true);
    expect(report).toMatchObject({
      status: "new",
      platform: "telegram",
      citizen: { userId: 42, chatId: 42, name: "Reza", username: "reza", phone: "+989120000000", locale: "en" },
      hasCoordinates: true,
      address: "Azadi St",
      venueTitle: "School",
      staffChat: { platform: "", chatId: 0 },
    });
    expect(report.location!.coordinates).toEqual([50.9915, 35.8327]);
    expect(report.history).toHaveLength(1);
    expect(report.history[0]).toMatchObject({
      at: T0,
      by: { kind: "citizen", platform: "telegram", id: 42, name: "Reza" },
      from: "",
      to: "new",
      public: true,
    });
  });

  it("queues the new-case alert as one row (photos, card, pin: the renderer sends what the report has), relayed into Outbox and kept on the report until the card is posted", async () => {
    const withPin = await newReport({ route: routeTo(STAFF) });
    const noPin = await newReport({ route: routeTo(STAFF), location: null, address: "خیابان آزادی، کوچه ۵" });
    const nowhere = await newReport({ route: routeTo(null) });

    const rows = await Outbox.find({}).sort({ _id: 1 }).lean();
    const a = withPin._id.toHexString();
    const b = noPin._id.toHexString();
    expect(rows.map((r) => r._id).sort()).toEqual([`${a}:2-card`, `${b}:2-card`].sort());
    for (const r of rows) {
      expect(r).toMatchObject({
        platform: "telegram",
        chatId: STAFF.chatId,
        locale: "fa",
        status: "pending",
        nextAttemptAt: T0,
      });
    }
    for (const [row, hex] of [
      [rows.find((r) => r._id === `${a}:2-card`), a],
      [rows.find((r) => r._id === `${b}:2-card`), b],
    ] as const)
      expect(row).toMatchObject({ kind: "staff_card", payload: { reportId: hex, alert: true } });
    expect(noPin.hasCoordinates).toBe(false);
    expect(noPin.staffChat).toEqual(STAFF);
    // The posted card takes the row off (recordCard); a report routed nowhere has none.
    for (const [r, id] of [
      [withPin, `${a}:2-card`],
      [noPin, `${b}:2-card`],
    ] as const)
      expect((await reload(r._id)).pendingOutbox.map((p) => p._id)).toEqual([id]);
    expect((await reload(nowhere._id)).pendingOutbox).toEqual([]);
  });

  it("refuses an unknown category and stores nothing", async () => {
    await expectDomainError(
      submitReport(input({ categoryKey: "spaceships", route: routeTo(STAFF) })),
      "unknown_category",
    );
    expect(await Report.countDocuments({})).toBe(0);
    expect(await Outbox.countDocuments({})).toBe(0);
  });

  it("draws another tracking code when the random one is taken", async () => {
    const taken = await newReport({ random: () => 0.5 });
    expect(taken.code).toBe(generateCode(() => 0.5));
    let calls = 0;
    const collideOnce = () => (calls++ < 7 ? 0.5 : 0.3);
    const second = await newReport({ random: collideOnce });
    expect(second.code).not.toBe(taken.code);
    expect(isValidCode(second.code)).toBe(true);
    expect(await Report.countDocuments({})).toBe(2);
  });
});

describe("relayStaleOutbox", () => {
  function crashRow(report: ReportDoc, suffix: string, createdAt: Date) {
    return {
      _id: `${report._id.toHexString()}:${suffix}:telegram:${report.citizen.chatId}`,
      platform: "telegram",
      chatId: report.citizen.chatId,
      kind: "status_changed",
      locale: "fa",
      payload: { code: report.code, from: "new", to: "assigned", note: "" },
      createdAt,
    };
  }

  it("re-copies rows a crashed writer left in pendingOutbox, pulls them from the report, and is idempotent", async () => {
    const report = await newReport();
    const row = crashRow(report, "crash1", T0);
    await Report.updateOne({ _id: report._id }, { $push: { pendingOutbox: row } });
    expect((await reload(report._id)).pendingOutbox).toHaveLength(1);

    const cutoff = new Date(T0.getTime() + 60_000);
    expect(await relayStaleOutbox(cutoff)).toBe(1);
    const copied = await Outbox.findById(row._id).lean();
    expect(copied).toMatchObject({
      platform: "telegram",
      chatId: row.chatId,
      kind: "status_changed",
      locale: "fa",
      status: "pending",
      payload: row.payload,
      nextAttemptAt: T0,
      createdAt: T0,
    });
    expect((await reload(report._id)).pendingOutbox).toEqual([]);

    expect(await relayStaleOutbox(cutoff)).toBe(0);
    expect(await Outbox.countDocuments({ _id: row._id })).toBe(1);
  });

  it("does not duplicate a row that was copied before the crash (and leaves its progress alone)", async () => {
    const report = await newReport();
    const row = crashRow(report, "crash2", T0);
    await Report.updateOne({ _id: report._id }, { $push: { pendingOutbox: row } });
    expect(await relayStaleOutbox(new Date(T0.getTime() + 60_000))).toBe(1);
    await Outbox.updateOne({ _id: row._id }, { $set: { status: "sent", sentAt: T0 } });
    // The crash happened between the copy and the pull: the row is on the report again.
    await Report.updateOne({ _id: report._id }, { $push: { pendingOutbox: row } });

    expect(await relayStaleOutbox(new Date(T0.getTime() + 60_000))).toBe(1);
    expect(await Outbox.countDocuments({ _id: row._id })).toBe(1);
    expect((await Outbox.findById(row._id).lean())!.status).toBe("sent");
    expect((await reload(report._id)).pendingOutbox).toEqual([]);
  });

  it("leaves rows newer than the cutoff for their writer to relay", async () => {
    const report = await newReport();
    const fresh = crashRow(report, "fresh", new Date(T0.getTime() + 10 * 60_000));
    await Report.updateOne({ _id: report._id }, { $push: { pendingOutbox: fresh } });
    expect(await relayStaleOutbox(new Date(T0.getTime() + 60_000))).toBe(0);
    expect(await Outbox.countDocuments({ _id: fresh._id })).toBe(0);
    expect((await reload(report._id)).pendingOutbox).toHaveLength(1);
  });
});

describe("followReport", () => {
  it("adds a follower once and never the reporter; followers then get status notifications", async () => {
    const report = await newReport({
      citizen: { userId: 8001, chatId: 8001, name: "Sara", username: "", phone: "", locale: "fa" },
    });
    const follower = { platform: "telegram" as const, userId: 8002, chatId: 8002, locale: "en" as const };
    expect(await followReport(report.code, follower)).toBe(true);
    expect(await followReport(report.code, follower)).toBe(false);
    expect(await followReport(report.code, { platform: "telegram", userId: 8001, chatId: 8001, locale: "fa" })).toBe(
      false,
    );
    expect(await followReport("00000000", follower)).toBe(false);
    // Same numeric id on another platform is another person.
    expect(await followReport(report.code, { platform: "bale", userId: 8001, chatId: 8001, locale: "fa" })).toBe(true);

    const r = await reload(report._id);
    expect(r.followers).toEqual([
      { platform: "telegram", userId: 8002, chatId: 8002, locale: "en" },
      { platform: "bale", userId: 8001, chatId: 8001, locale: "fa" },
    ]);

    await changeStatus(report._id, "assigned", OFFICIAL, "", { now: T0 });
    const rows = await Outbox.find({ kind: "status_changed" }).lean();
    expect(rows.map((x) => `${x.platform}:${x.chatId}:${x.locale}`).sort()).toEqual([
      "bale:8001:fa",
      "telegram:8001:fa",
      "telegram:8002:en",
    ]);
  });
});

describe("claimNextRow", () => {
  async function seedRows(n: number, at: Date): Promise<string[]> {
    const ids = Array.from({ length: n }, (_, i) => `row-${String(i).padStart(3, "0")}`);
    await Outbox.insertMany(
      ids.map((id, i) => ({
        _id: id,
        platform: "telegram",
        chatId: 100 + i,
        kind: "status_changed",
        locale: "fa",
        payload: {},
        status: "pending",
        nextAttemptAt: at,
        createdAt: new Date(at.getTime() + i),
      })),
    );
    return ids;
  }

  it("never hands the same row to two concurrent claimers", async () => {
    const ids = await seedRows(20, T0);
    const now = new Date(T0.getTime() + 1_000);
    const claims = await Promise.all(Array.from({ length: 40 }, (_, i) => claimNextRow(`worker-${i}`, now)));
    const got = claims.filter((c) => c !== null);
    expect(got).toHaveLength(20);
    expect(got.map((c) => c.id).sort()).toEqual(ids);
    for (const c of got) expect(c.attempts).toBe(1);

    const rows = await Outbox.find({}).lean();
    for (const row of rows) {
      expect(row.status).toBe("sending");
      expect(row.attempts).toBe(1);
      const holder = claims.findIndex((c) => c?.id === row._id);
      expect(row.lockedBy).toBe(`worker-${holder}`);
      expect(row.lockedUntil).toEqual(new Date(now.getTime() + 60_000));
    }
  });

  it("claims only due rows, oldest first", async () => {
    await Outbox.insertMany([
      {
        _id: "later",
        platform: "telegram",
        chatId: 3,
        kind: "k",
        nextAttemptAt: new Date(T0.getTime() + 5_000),
        createdAt: T0,
      },
      {
        _id: "second",
        platform: "telegram",
        chatId: 2,
        kind: "k",
        nextAttemptAt: T0,
        createdAt: new Date(T0.getTime() + 1),
      },
      { _id: "first", platform: "telegram", chatId: 1, kind: "k", nextAttemptAt: T0, createdAt: T0 },
      { _id: "done", platform: "telegram", chatId: 1, kind: "k", status: "sent", nextAttemptAt: T0, createdAt: T0 },
    ]);
    expect((await claimNextRow("w", T0))!.id).toBe("first");
    expect((await claimNextRow("w", T0))!.id).toBe("second");
    expect(await claimNextRow("w", T0)).toBeNull();
    expect((await claimNextRow("w", new Date(T0.getTime() + 5_000)))!.id).toBe("later");
  });

  it("keeps a chat's order across workers: a row waits while an earlier row of its chat is unsent", async () => {
    await Outbox.insertMany([
      { _id: "a1", platform: "telegram", chatId: 7, kind: "k", nextAttemptAt: T0, createdAt: T0 },
      { _id: "a2", platform: "telegram", chatId: 7, kind: "k", nextAttemptAt: T0, createdAt: T0 },
      {
        _id: "b1",
        platform: "telegram",
        chatId: 8,
        kind: "k",
        nextAttemptAt: T0,
        createdAt: new Date(T0.getTime() + 1),
      },
    ]);
    const first = await claimNextRow("w1", T0);
    expect(first!.id).toBe("a1");
    // While a1 is in w1's hands, w2 passes over chat 7 (a2 goes back to pending) and takes chat 8.
    const second = await claimNextRow("w2", T0);
    expect(second!.id).toBe("b1");
    expect(await Outbox.findById("a2").lean()).toMatchObject({ status: "pending", attempts: 0, lockedBy: "" });
    expect(await claimNextRow("w2", T0)).toBeNull();
    await markSent("a1", "w1", T0);
    expect((await claimNextRow("w2", T0))!.id).toBe("a2");
  });

  it("lets an expired lease be reclaimed, and only the lease holder settles the row", async () => {
    await seedRows(1, T0);
    const first = await claimNextRow("old-worker", T0, 30_000);
    expect(first).toMatchObject({ id: "row-000", attempts: 1 });
    expect(await claimNextRow("new-worker", new Date(T0.getTime() + 29_999), 30_000)).toBeNull();

    const reclaimAt = new Date(T0.getTime() + 30_000);
    const second = await claimNextRow("new-worker", reclaimAt, 30_000);
    expect(second).toMatchObject({ id: "row-000", attempts: 2 });

    // The worker whose lease ran out comes back late: none of its settlements may land.
    await markSent("row-000", "old-worker", reclaimAt);
    await markRetry("row-000", "old-worker", new Date(T0.getTime() + HOUR), "late");
    await markFinal("row-000", "old-worker", "failed", "late");
    await markSent("row-000", "someone-else", reclaimAt);
    const untouched = (await Outbox.findById("row-000").lean())!;
    expect(untouched).toMatchObject({ status: "sending", lockedBy: "new-worker", lastError: "", sentAt: null });
    expect(untouched.lockedUntil).toEqual(new Date(reclaimAt.getTime() + 30_000));

    await markSent("row-000", "new-worker", reclaimAt);
    const sent = (await Outbox.findById("row-000").lean())!;
    expect(sent).toMatchObject({ status: "sent", sentAt: reclaimAt, lockedUntil: null });
    expect(await claimNextRow("anyone", new Date(T0.getTime() + 10 * HOUR))).toBeNull();
  });
});

function routeTo(chat: { platform: "telegram" | "bale"; chatId: number } | null) {
  return { regionKey: "", chat, needsLocationCheck: chat === null };
}
