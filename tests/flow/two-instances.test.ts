import pino from "pino";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestDesk, STAFF_CHAT, type TestDesk } from "../support/test-bot.ts";
import { fileReport, KARAJ } from "../support/intake-steps.ts";
import { Report } from "../../models/report/report.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { Lease } from "../../models/infra/lease.ts";
import { changeStatus } from "../../models/report/report-transition.ts";
import { cronTick } from "../../bot/cron/scheduler.ts";
import { slotKey } from "../../bot/cron/jobs.ts";

useTestDb({ cleanEach: true });

/** Two processes of the same bot on one database and one Bot API: what runs behind a load balancer. */
function twoInstances(env: Record<string, string> = {}): [TestDesk, TestDesk] {
  const a = createTestDesk(env);
  const b = createTestDesk(env, ["telegram"], { telegram: a.on("telegram").api });
  b.clock.now = a.clock.now;
  return [a, b];
}

describe("two instances on one database", () => {
  it("a report form started on instance A continues on instance B (and back)", async () => {
    const [a, b] = twoInstances();
    const onA = a.on("telegram").citizen(6100);
    const onB = b.on("telegram").citizen(6100);
    await onA.text("/new");
    await onB.press("زباله و نظافت");
    await onA.text("زباله‌ها سه روز است جمع نشده است");
    await onB.location(KARAJ.lat, KARAJ.lon);
    await onA.press("⏭ بدون عکس");
    await onB.text("رد شدن");
    expect(onA.lastReply()).toContain("شرح: زباله‌ها سه روز است جمع نشده است");
    await onA.press("✅ ثبت");
    // The second tap lands on the other instance: still one report.
    await onB.callback(onB.findButton("✅ ثبت")!);
    expect(await Report.countDocuments({ "citizen.userId": 6100 })).toBe(1);
  });

  it("each outbox row is sent once with both instances' dispatchers draining at the same time", async () => {
    const [a, b] = twoInstances();
    const tb = a.on("telegram");
    for (let i = 0; i < 6; i++)
      await fileReport(tb, tb.citizen(6200 + i), { location: { address: `کرج، خیابان ${i + 1}، پلاک ${i + 10}` } });
    for (const r of await Report.find({}).lean()) {
      await changeStatus(r._id, "assigned", { kind: "staff", name: "Omid" }, "", { now: a.clock.now });
      await changeStatus(r._id, "in_progress", { kind: "staff", name: "Omid" }, "", { now: a.clock.now });
    }
    const rows = await Outbox.countDocuments({ status: "pending" });
    // A card per report (no photo, no pin) + two updates per citizen + one card redraw per report (the
    // two changes' redraws are one row: the second joined the first while it waited).
    expect(rows).toBe(6 + 12 + 6);
    tb.api.clearCalls();
    const [sentA, sentB] = await Promise.all([a.dispatcher.drainOnce(), b.dispatcher.drainOnce()]);
    expect(sentA + sentB).toBe(rows);
    expect(await Outbox.countDocuments({ status: "sent" })).toBe(rows);
    const messages = tb.api.callsOf("sendMessage").map((c) => `${String(c.payload.chat_id)}|${String(c.payload.text)}`);
    expect(new Set(messages).size).toBe(messages.length);
    expect(messages.filter((m) => m.startsWith(`${STAFF_CHAT}|`))).toHaveLength(6);
    // Each card is redrawn once, by one of the two instances.
    const edits = tb.api
      .callsOf("editMessageText")
      .map((c) => `${String(c.payload.chat_id)}|${String(c.payload.message_id)}`);
    expect(edits).toHaveLength(6);
    expect(new Set(edits).size).toBe(6);
    // Per chat, the order of the updates holds: assigned before in progress.
    for (let i = 0; i < 6; i++) {
      const toCitizen = messages.filter((m) => m.startsWith(`${6200 + i}|`));
      expect(toCitizen.map((m) => m.split(": ").at(-1))).toEqual(["به کارشناس واگذار شد.", "در حال رسیدگی."]);
    }
  });

  it("each cron run happens once: both instances tick the same minute", async () => {
    const [a, b] = twoInstances({ MANAGERS_CHAT_ID: "-1009" });
    const tb = a.on("telegram");
    await fileReport(tb, tb.citizen(6300), { category: "نشت آب و فاضلاب" });
    const at = new Date(a.clock.now.getTime() + 30 * 3_600_000); // water: 12 h SLA, long overdue
    const logger = pino({ level: "silent" });
    const tick = (desk: TestDesk, holder: string) =>
      cronTick({ deps: { config: desk.config }, logger, holder, clock: () => at }, "reminders", at);
    await Promise.all([tick(a, "instance-a"), tick(b, "instance-b")]);
    const reminders = await Outbox.find({ kind: "staff_reminder" }).lean();
    expect(reminders).toHaveLength(1);
    expect((await Report.findOne({}).lean())!.reminders).toMatchObject({ count: 1 });
    // The lease records the minute as done (and is released for the next one).
    const lease = await Lease.findById("job:reminders").lean();
    expect(lease!.lastCompletedSlot).toBe(slotKey(at));
    // The same minute again, on either instance: nothing more.
    await tick(b, "instance-b");
    await tick(a, "instance-a");
    expect(await Outbox.countDocuments({ kind: "staff_reminder" })).toBe(1);
  });
});
