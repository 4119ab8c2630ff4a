import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import type { Update, UserFromGetMe } from "grammy/types";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, createTestDesk, STAFF_CHAT, type TestBot } from "../support/test-bot.ts";
import { seedReport } from "../support/seed-reports.ts";
import { InboxWorker } from "../../bot/intake/inbox-worker.ts";
import { updateHandler } from "../../bot/intake/handle-update.ts";
import { InFlight } from "../../bot/in-flight.ts";
import { Citizen, setCitizenLocale, touchCitizen } from "../../models/people/citizen.ts";
import { deactivateStaff, findActiveStaff, Staff, upsertStaff } from "../../models/people/staff.ts";
import { Report } from "../../models/report/report.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { inboxStatus } from "../../models/infra/inbox.ts";
import { conversationKey } from "../../bot/conversation-storage.ts";
import { ForgetRequest, requestForget } from "../../models/people/forget-request.ts";
import { DomainError } from "../../models/common/errors.ts";
import {
  findReportByCode,
  findSubmittedReport,
  followReport,
  listCitizenReports,
} from "../../models/report/report-queries.ts";
import { citizenFeedback, findOpenInfoRequest, rateCase } from "../../models/report/case-actions.ts";
import { countReportsSince } from "../../models/report/report-submit.ts";
import { ltr } from "../../core/format.ts";

/**
 * Issue 13 part 2, "hostile input changes nothing": an update whose ids are operator objects once
 * let an unknown sender act as the first active staff member, read someone else's reports, take a
 * case and overwrite a citizen's record; and a Bale user answered a Telegram user's case.
 */
useTestDb({ cleanEach: true });

const ADMIN = 100;
const VICTIM = 5200;
const FORGER_CHAT = 6666;
const GT = { $gt: 0 };
const fmt = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

let nextId = 900_000;
const cmd = (text: string) =>
  text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }] } : {};

/** A private message whose sender id is `{"$gt":0}`, from the forger's own chat. */
function forgedText(text: string): Update {
  const from = { id: GT, is_bot: false, first_name: "X" };
  return {
    update_id: nextId++,
    message: {
      message_id: 1,
      date: 1_700_000_000,
      chat: { id: FORGER_CHAT, type: "private", first_name: "X" },
      from,
      text,
      ...cmd(text),
    },
  } as unknown as Update;
}

/** A press on the case card in the staff chat by a sender whose id is `{"$gt":0}`. */
function forgedPress(data: string): Update {
  const from = { id: GT, is_bot: false, first_name: "X" };
  return {
    update_id: nextId++,
    callback_query: {
      id: `cq${nextId}`,
      from,
      chat_instance: "cg",
      data,
      message: { message_id: 501, date: 0, chat: { id: STAFF_CHAT, type: "supergroup", title: "Staff" }, text: "…" },
    },
  } as unknown as Update;
}

/** An admin, a citizen who has talked to the bot, and their open case with a card in the staff chat. */
async function desk(): Promise<{ tb: TestBot; code: string; id: string }> {
  const tb = createTestBot();
  await upsertStaff({ platform: "telegram", userId: ADMIN, name: "Omid Rezaei", role: "admin" });
  await tb.citizen(VICTIM, { firstName: "Sara", username: "sara_k" }).text("/start");
  const report = await seedReport({
    createdAt: tb.clock.now,
    citizen: { userId: VICTIM },
    card: { platform: "telegram", chatId: STAFF_CHAT },
  });
  tb.api.clearCalls();
  return { tb, code: report.code, id: report._id.toHexString() };
}

/** Everything a forged update could have changed, other than the forger's own record. */
async function world() {
  return {
    citizens: await Citizen.find({}).sort({ platform: 1, userId: 1 }).lean(),
    staff: await Staff.find({}).sort({ platform: 1, userId: 1 }).lean(),
    reports: await Report.find({}).sort({ code: 1 }).lean(),
    outbox: await Outbox.find({}).lean(),
  };
}

const paths: [string, (tb: TestBot, u: Update) => Promise<unknown>][] = [
  ["through the inbox (webhook and polling)", (tb, u) => tb.deliver(u)],
  // The second belt: even an update that skipped the edge check reaches no query with an operator.
  ["straight into the bot, past the edge check", (tb, u) => tb.bot.handleUpdate(u)],
];

describe.each(paths)('a sender id {"$gt":0} %s gets nothing and changes nothing', (_via, send) => {
  it("/staff list and /open: no staff reply, nothing answered at all", async () => {
    const { tb, code } = await desk();
    const before = await world();
    await send(tb, forgedText("/staff list"));
    await send(tb, forgedText("/open"));
    await send(tb, forgedText(`/case ${code}`));
    expect(tb.api.calls).toEqual([]);
    expect(JSON.stringify(tb.api.log)).not.toContain("Omid");
    expect(await world()).toEqual(before);
  });

  it("/my lists nobody's reports", async () => {
    const { tb, code } = await desk();
    await send(tb, forgedText("/my"));
    await send(tb, forgedText(`/status ${code}`));
    expect(tb.api.calls).toEqual([]);
    expect(JSON.stringify(tb.api.log)).not.toContain(fmt(code));
  });

  it("a forged Take assigns nothing and tells the citizen nothing", async () => {
    const { tb, id } = await desk();
    const before = await world();
    await send(tb, forgedPress(`c:${id}:take`));
    await send(tb, forgedPress(`c:${id}:progress`));
    await tb.dispatcher.drainOnce();
    expect(tb.api.calls).toEqual([]);
    const after = await world();
    expect(after.reports[0]).toMatchObject({ status: "new", history: [{ to: "new" }] });
    expect(after.reports[0]!.assignee?.userId ?? null).toBeNull();
    expect(after).toEqual(before);
  });

  it("the existing citizen's record (chat id included) is untouched", async () => {
    const { tb } = await desk();
    const before = await Citizen.findOne({ platform: "telegram", userId: VICTIM }).lean();
    expect(before).toMatchObject({ chatId: VICTIM, firstName: "Sara", username: "sara_k" });
    await send(tb, forgedText("/start"));
    await send(tb, forgedText("/language"));
    expect(await Citizen.findOne({ platform: "telegram", userId: VICTIM }).lean()).toEqual(before);
    expect(await Citizen.countDocuments({})).toBe(1);
  });
});

describe("the edge check in the inbox", () => {
  it("drops a forged update before it is recorded, with one warn line naming the field, never its value", async () => {
    const tb = createTestBot();
    await upsertStaff({ platform: "telegram", userId: ADMIN, name: "Omid Rezaei", role: "admin" });
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write: (chunk: Buffer, _enc, done) =>
        void (lines.push(JSON.parse(chunk.toString("utf8")) as Record<string, unknown>), done()),
    });
    const worker = new InboxWorker({
      platform: "telegram",
      holder: { instance: "edge", boot: randomUUID() },
      handle: updateHandler(tb.bot),
      api: tb.bot.api,
      me: tb.api.botInfo as UserFromGetMe,
      stateKey: (ctx) => conversationKey("telegram", ctx),
      inflight: new InFlight(),
      logger: pino({ level: "info" }, sink),
      now: () => tb.clock.now,
    });
    const forged = forgedText("/staff list 09121234567");
    const good = {
      update_id: nextId++,
      message: {
        message_id: 2,
        date: 1_700_000_000,
        chat: { id: 7100, type: "private", first_name: "Ali" },
        from: { id: 7100, is_bot: false, first_name: "Ali" },
        text: "/help",
        ...cmd("/help"),
      },
    } as Update;
    await worker.accept([forged, good]);
    await worker.idle();
    expect(await inboxStatus(`telegram:${forged.update_id}`)).toBeNull();
    expect(await inboxStatus(`telegram:${good.update_id}`)).toBe("done");
    expect(tb.api.textsTo(7100).length).toBeGreaterThan(0);
    expect(tb.api.textsTo(FORGER_CHAT)).toEqual([]);
    const warns = lines.filter((l) => l.level === 40);
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatchObject({ updateId: forged.update_id, reason: "message.from.id: invalid_type" });
    expect(JSON.stringify(lines)).not.toMatch(/0912|\$gt|staff list|6666/);
  });
});

describe("the models refuse operator objects even when a handler passes one", () => {
  it("findActiveStaff answers null, even with active staff in the collection", async () => {
    await upsertStaff({ platform: "telegram", userId: ADMIN, name: "Omid Rezaei", role: "admin" });
    expect(await findActiveStaff("telegram", ADMIN)).toMatchObject({ userId: ADMIN, role: "admin" });
    for (const bad of [GT, { $ne: null }, [ADMIN], String(ADMIN), ADMIN + 0.5, 2 ** 60, Number.NaN, -1])
      expect(await findActiveStaff("telegram", bad as never)).toBeNull();
    expect(await findActiveStaff({ $ne: "bale" } as never, ADMIN)).toBeNull();
  });

  it("touchCitizen throws a DomainError and the existing citizen stays as it was", async () => {
    await touchCitizen({ platform: "telegram", userId: VICTIM, chatId: VICTIM, firstName: "Sara" });
    const before = await Citizen.findOne({ userId: VICTIM }).lean();
    for (const p of [
      { userId: GT, chatId: FORGER_CHAT },
      { userId: VICTIM, chatId: GT },
      { userId: [VICTIM], chatId: FORGER_CHAT },
      { userId: 2 ** 60, chatId: FORGER_CHAT },
      { userId: VICTIM, chatId: 0 },
    ]) {
      await expect(touchCitizen({ platform: "telegram", firstName: "X", ...p } as never)).rejects.toBeInstanceOf(
        DomainError,
      );
    }
    await expect(
      touchCitizen({ platform: { $ne: "" }, userId: VICTIM, chatId: FORGER_CHAT } as never),
    ).rejects.toBeInstanceOf(DomainError);
    expect(await Citizen.findOne({ userId: VICTIM }).lean()).toEqual(before);
    expect(await Citizen.countDocuments({})).toBe(1);
  });

  it("the other lookups and writes keyed by an update's ids or a typed code refuse them too", async () => {
    await upsertStaff({ platform: "telegram", userId: ADMIN, name: "Omid", role: "admin" });
    await touchCitizen({ platform: "telegram", userId: VICTIM, chatId: VICTIM, firstName: "Sara" });
    const report = await seedReport({
      createdAt: new Date(),
      status: "resolved",
      citizen: { userId: VICTIM },
      feedback: { askedAt: new Date() },
    });
    await Report.updateOne(
      { _id: report._id },
      { $set: { submissionKey: "abcdefghij", infoRequest: { question: "?", askedAt: new Date(), askedBy: "Omid" } } },
    );
    const before = await world();
    const now = new Date();
    // Reads find nothing.
    expect(await listCitizenReports("telegram", GT as never)).toEqual([]);
    expect(await findReportByCode({ $gt: "" } as never)).toBeNull();
    expect(await findReportByCode(["20000001"] as never)).toBeNull();
    expect(await countReportsSince("telegram", GT as never, new Date(0))).toBe(0);
    expect(await findOpenInfoRequest("telegram", GT as never)).toBeNull();
    expect(await findSubmittedReport("abcdefghij", "telegram", GT as never)).toBeNull();
    expect(await findSubmittedReport({ $gt: "" } as never, "telegram", VICTIM)).toBeNull();
    // Writes refuse.
    expect(await followReport({ $gt: "" } as never, { platform: "telegram", userId: 7, chatId: 7, locale: "fa" })).toBe(
      false,
    );
    expect(
      await followReport(report.code, { platform: "telegram", userId: GT as never, chatId: 7, locale: "fa" }),
    ).toBe(false);
    expect(await deactivateStaff("telegram", GT as never)).toBe(false);
    await expect(upsertStaff({ platform: "telegram", userId: GT as never, role: "admin" })).rejects.toBeInstanceOf(
      DomainError,
    );
    await expect(setCitizenLocale("telegram", GT as never, "en")).rejects.toBeInstanceOf(DomainError);
    await expect(requestForget("telegram", GT as never, now)).rejects.toBeInstanceOf(DomainError);
    await expect(citizenFeedback(report._id, "telegram", GT as never, false, null, now)).rejects.toBeInstanceOf(
      DomainError,
    );
    await expect(rateCase(report._id, "telegram", GT as never, 5, now)).rejects.toBeInstanceOf(DomainError);
    expect(await world()).toEqual(before);
    expect(await ForgetRequest.countDocuments({})).toBe(0);
  });

  it("for real ids the same functions still find and write: the sanitized filters keep their own operators", async () => {
    await upsertStaff({ platform: "telegram", userId: ADMIN, name: "Omid", role: "admin" });
    await touchCitizen({ platform: "telegram", userId: VICTIM, chatId: VICTIM, firstName: "Sara" });
    const report = await seedReport({ createdAt: new Date(), citizen: { userId: VICTIM } });
    await Report.updateOne(
      { _id: report._id },
      { $set: { submissionKey: "abcdefghij", infoRequest: { question: "?", askedAt: new Date(), askedBy: "Omid" } } },
    );
    expect((await listCitizenReports("telegram", VICTIM)).map((r) => r.code)).toEqual([report.code]);
    expect(await listCitizenReports("bale", VICTIM)).toEqual([]);
    expect((await findReportByCode(report.code))?.code).toBe(report.code);
    expect(await countReportsSince("telegram", VICTIM, new Date(0))).toBe(1);
    expect(await countReportsSince("telegram", VICTIM, new Date(Date.now() + 60_000))).toBe(0);
    expect((await findOpenInfoRequest("telegram", VICTIM))?.code).toBe(report.code);
    expect((await findSubmittedReport("abcdefghij", "telegram", VICTIM))?.code).toBe(report.code);
    expect(await findSubmittedReport("abcdefghij", "bale", VICTIM)).toBeNull();
    // $nor and $elemMatch still work: a new follower once, never twice, never the reporter.
    expect(await followReport(report.code, { platform: "telegram", userId: 7, chatId: 7, locale: "fa" })).toBe(true);
    expect(await followReport(report.code, { platform: "telegram", userId: 7, chatId: 7, locale: "fa" })).toBe(false);
    expect(
      await followReport(report.code, { platform: "telegram", userId: VICTIM, chatId: VICTIM, locale: "fa" }),
    ).toBe(false);
    expect(await followReport(report.code, { platform: "bale", userId: VICTIM, chatId: VICTIM, locale: "fa" })).toBe(
      true,
    );
    expect((await Report.findById(report._id).lean())!.followers.map((f) => `${f.platform}:${f.userId}`)).toEqual([
      "telegram:7",
      "bale:5200",
    ]);
    await setCitizenLocale("telegram", VICTIM, "en");
    expect((await Citizen.findOne({ userId: VICTIM }).lean())!.locale).toBe("en");
    expect(await requestForget("telegram", VICTIM, new Date())).toBe(true);
    expect(await requestForget("telegram", VICTIM, new Date())).toBe(false);
    expect(await deactivateStaff("telegram", ADMIN)).toBe(true);
    expect(await findActiveStaff("telegram", ADMIN)).toBeNull();
  });
});

describe("citizen buttons check the platform as well as the user id", () => {
  /** telegram:5200's resolved case, and bale:5200, a different person with the same number. */
  async function twoPlatforms() {
    const d = createTestDesk({}, ["telegram", "bale"]);
    const report = await seedReport({
      createdAt: d.clock.now,
      status: "resolved",
      citizen: { userId: VICTIM },
      resolvedAt: d.clock.now,
      feedback: { askedAt: d.clock.now },
    });
    return {
      d,
      report,
      id: report._id.toHexString(),
      bale: d.on("bale").citizen(VICTIM, { firstName: "Bale Sara" }),
      telegram: d.on("telegram").citizen(VICTIM),
    };
  }

  it('bale:5200 pressing "Not fixed" on telegram:5200\'s case changes nothing and gets an alert', async () => {
    const { d, report, id, bale } = await twoPlatforms();
    const before = await Report.findById(report._id).lean();
    await bale.callback(`fb:${id}:notfixed`);
    await bale.callback(`fb:${id}:fixed`);
    await bale.callback(`fb:${id}:r1`);
    expect(await Report.findById(report._id).lean()).toEqual(before);
    expect(await Outbox.countDocuments({})).toBe(0);
    const answers = d.on("bale").api.callsOf("answerCallbackQuery");
    expect(answers.map((a) => [a.payload.show_alert, a.payload.text])).toEqual(
      Array(3).fill([true, "فقط کسی که این گزارش را ثبت کرده می‌تواند پاسخ دهد."]),
    );
    expect(d.on("bale").api.callsOf("sendMessage")).toEqual([]);
  });

  it('telegram:5200, the reporter, still can: "Not fixed" reopens the case', async () => {
    const { d, report, id, telegram } = await twoPlatforms();
    await telegram.callback(`fb:${id}:notfixed`);
    expect(await Report.findById(report._id).lean()).toMatchObject({ status: "reopened", feedback: { fixed: false } });
    expect(telegram.lastReply()).toContain(`گزارش ${ltr(fmt(report.code))} با اولویت بالاتر دوباره باز شد`);
    expect(d.on("telegram").api.callsOf("answerCallbackQuery")[0]!.payload.show_alert).toBeUndefined();
  });

  it("a stale form button of telegram:5200's submitted report tells bale:5200 nothing about it", async () => {
    const { d, report, bale, telegram } = await twoPlatforms();
    await Report.updateOne({ _id: report._id }, { $set: { submissionKey: "abcdefghij" } });
    await bale.callback("r:abcdefghij:submit");
    expect(
      d
        .on("bale")
        .api.callsOf("answerCallbackQuery")
        .map((a) => a.payload.text),
    ).toEqual(["این فرم گزارش دیگر فعال نیست. برای شروع گزارش \u200e/new را بفرستید."]);
    await telegram.callback("r:abcdefghij:submit");
    expect(
      d
        .on("telegram")
        .api.callsOf("answerCallbackQuery")
        .map((a) => a.payload.text),
    ).toEqual([`این گزارش قبلاً ثبت شده است. کد رهگیری: ${ltr(fmt(report.code))}`]);
  });
});
