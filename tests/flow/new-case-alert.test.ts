import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, STAFF_CHAT, type TestBot } from "../support/test-bot.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { fileGroupCase, groupDispatcher } from "../support/staff-cases.ts";
import type { OutboxDispatcher } from "../../bot/outbox/dispatcher.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { relayStaleOutbox } from "../../models/infra/outbox-relay.ts";
import { deferNewCases, queueDigest } from "../../models/infra/group-backlog.ts";
import mongoose from "mongoose";
import { claimNextRow, markSent } from "../../models/infra/outbox.ts";
import { recordCard } from "../../models/report/case-card.ts";
import { requestForget } from "../../models/people/forget-request.ts";
import { applyRetention } from "../../models/ops/retention.ts";
import { Report, type ReportDoc } from "../../models/report/report.ts";

useTestDb({ cleanEach: true });

const T0 = new Date("2025-06-01T09:00:00Z");
const SECOND = 1_000;

/** A case with `photos` stored photos and a point, routed to the staff group. */
const fileCase = (photos: number): Promise<ReportDoc> =>
  fileGroupCase({ photos, lat: 35.81, address: "خیابان آزادی", now: T0 });

const dispatcherFor = (tb: TestBot, perMinute?: number): OutboxDispatcher =>
  groupDispatcher(tb, "new-case-alert-test", perMinute === undefined ? undefined : { perMinute, backlogSeconds: 600 });

/** The group's messages as the Bot API answered them ("!" = refused). */
const toGroup = (tb: TestBot): string[] =>
  tb.api.calls.filter((c: ApiCall) => Number(c.payload.chat_id) === STAFF_CHAT).map((c) => c.method);

function deskAtT0(): TestBot {
  const tb = createTestBot();
  tb.clock.now = T0;
  return tb;
}

const alertRow = (r: ReportDoc) => Outbox.findById(`${r._id.toHexString()}:2-card`).lean();

describe("the new-case alert is one outbox row: photos, card, pin", () => {
  it("one row queued, kept on the report until the card is posted; one pass sends the three messages in order", async () => {
    const tb = deskAtT0();
    const r = await fileCase(2);
    expect(await Outbox.find({}).lean()).toMatchObject([{ kind: "staff_card", payload: { alert: true } }]);
    expect((await Report.findById(r._id).lean())!.pendingOutbox).toHaveLength(1);
    expect(await dispatcherFor(tb).drainOnce({ sweep: false })).toBe(1);
    expect(toGroup(tb)).toEqual(["sendMediaGroup", "sendMessage", "sendLocation"]);
    const after = (await Report.findById(r._id).lean())!;
    expect(after.card!.messageId).toBeGreaterThan(0);
    expect(after.pendingOutbox).toEqual([]);
    expect(await alertRow(r)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("a 429 on the card after the photos went out: the retry posts the card and the pin, not the photos again", async () => {
    const tb = deskAtT0();
    const r = await fileCase(1);
    const dispatcher = dispatcherFor(tb);
    tb.api.fail("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 20", retry_after: 20 });
    await dispatcher.drainOnce({ sweep: false });
    expect(toGroup(tb)).toEqual(["sendPhoto", "!sendMessage"]);
    // What went out is saved with the retry: another worker, or this one after a restart, goes on from there.
    expect(await alertRow(r)).toMatchObject({ status: "pending", payload: { sent: ["photos"] }, attempts: 0 });
    tb.clock.now = new Date(T0.getTime() + 20 * SECOND);
    await dispatcherFor(tb).drainOnce({ sweep: false });
    expect(toGroup(tb)).toEqual(["sendPhoto", "!sendMessage", "sendMessage", "sendLocation"]);
    expect(await alertRow(r)).toMatchObject({ status: "sent" });
  });

  it("a card refused for its markup is sent again as plain text at once, the photos not repeated", async () => {
    const tb = deskAtT0();
    const r = await fileCase(1);
    tb.api.fail("sendMessage", { error_code: 400, description: "Bad Request: can't parse entities" });
    await dispatcherFor(tb).drainOnce({ sweep: false });
    expect(toGroup(tb)).toEqual(["sendPhoto", "!sendMessage", "sendMessage", "sendLocation"]);
    expect(tb.api.calls.filter((c) => c.method === "sendMessage").at(-1)!.payload.parse_mode).toBeUndefined();
    expect(await alertRow(r)).toMatchObject({ status: "sent" });
  });

  it("an attempt cut short after the card was recorded (its note of what went out lost): the next sends only the pin", async () => {
    const tb = deskAtT0();
    const r = await fileCase(1);
    tb.api.fail("sendLocation", "network");
    await dispatcherFor(tb).drainOnce({ sweep: false });
    expect(toGroup(tb)).toEqual(["sendPhoto", "sendMessage"]);
    expect(await alertRow(r)).toMatchObject({ status: "pending", payload: { sent: ["photos", "card"] } });
    // As if the process had died before saving the note: the card recorded on the report says as much.
    await Outbox.updateOne({ _id: `${r._id.toHexString()}:2-card` }, { $unset: { "payload.sent": 1 } });
    tb.clock.now = new Date(T0.getTime() + 60 * SECOND);
    await dispatcherFor(tb).drainOnce({ sweep: false });
    expect(toGroup(tb)).toEqual(["sendPhoto", "sendMessage", "sendLocation"]);
    expect(await alertRow(r)).toMatchObject({ status: "sent" });
  });

  it("the group's budget admits the alert whole: with room for two messages of its three it waits, then goes out in one piece", async () => {
    const tb = deskAtT0();
    // 6 a minute: a first case (3 messages) leaves 3, a second case's alert (3) fits, a third's must wait.
    const dispatcher = dispatcherFor(tb, 6);
    await fileCase(1);
    await fileCase(1);
    const third = await fileCase(2);
    await dispatcher.drainOnce({ sweep: false });
    const alert = ["sendPhoto", "sendMessage", "sendLocation"];
    expect(toGroup(tb)).toEqual([...alert, ...alert]);
    // Nothing of the third was sent: not its photos alone with the card and pin left for later.
    expect(await alertRow(third)).toMatchObject({ status: "pending", attempts: 0 });
    expect((await alertRow(third))!.payload).not.toHaveProperty("sent");
    tb.clock.now = new Date(T0.getTime() + 40 * SECOND);
    await dispatcher.drainOnce({ sweep: false });
    expect(toGroup(tb).slice(6)).toEqual(["sendMediaGroup", "sendMessage", "sendLocation"]);
  });

  it("a card not posted within a minute (its group behind): the sweep takes the row off the report, the row itself waits on", async () => {
    const tb = deskAtT0();
    const r = await fileCase(0);
    expect(await relayStaleOutbox(new Date(T0.getTime() + 60 * SECOND))).toBe(1);
    expect((await Report.findById(r._id).lean())!.pendingOutbox).toEqual([]);
    expect(await Outbox.countDocuments({})).toBe(1);
    await dispatcherFor(tb).drainOnce({ sweep: false });
    expect(toGroup(tb)).toEqual(["sendMessage", "sendLocation"]);
  });

  it("photos the Bot API refuses (or no longer stored) do not keep the card from the group: card and pin go without them", async () => {
    const tb = deskAtT0();
    const refused = await fileCase(1);
    tb.api.fail("sendPhoto", { error_code: 400, description: "Bad Request: IMAGE_PROCESS_FAILED" }, 2);
    await dispatcherFor(tb).drainOnce({ sweep: false });
    expect(toGroup(tb)).toEqual(["!sendPhoto", "sendMessage", "sendLocation"]);
    expect(await alertRow(refused)).toMatchObject({ status: "sent" });

    tb.api.clearCalls();
    const gone = await fileCase(1);
    await mongoose.connection.db!.collection("photos.chunks").deleteMany({ files_id: gone.photos[0]!.gridfsId });
    await dispatcherFor(tb).drainOnce({ sweep: false });
    expect(toGroup(tb)).toEqual(["sendMessage", "sendLocation"]);
    expect(await alertRow(gone)).toMatchObject({ status: "sent" });
  });

  it("a case whose card went out (its pin waits out a 429) is not held back as new when the group falls behind", async () => {
    const tb = deskAtT0();
    const r = await fileCase(0);
    tb.api.fail("sendLocation", { error_code: 429, description: "Too Many Requests: retry after 20", retry_after: 20 });
    await dispatcherFor(tb).drainOnce({ sweep: false });
    expect(await alertRow(r)).toMatchObject({ status: "pending", payload: { sent: ["card"] } });
    expect(await deferNewCases({ platform: "telegram", chatId: STAFF_CHAT }, T0)).toBe(0);
    expect(await alertRow(r)).toMatchObject({ status: "pending" });
  });

  it("a row queued while its group waits out a 429 on a '📥 new cases' digest waits too: nothing is sent into the wait, and the digest still goes first", async () => {
    const tb = deskAtT0();
    const g = { platform: "telegram" as const, chatId: STAFF_CHAT };
    const held = await fileCase(0);
    await Outbox.updateOne(
      { _id: `${held._id.toHexString()}:2-card` },
      { $set: { status: "deferred", deferredAt: T0 } },
    );
    expect(await queueDigest(g, T0, 30 * SECOND)).toBe(true);
    const dispatcher = dispatcherFor(tb);
    tb.api.fail("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 20", retry_after: 20 });
    await dispatcher.drainOnce({ sweep: false });
    expect(toGroup(tb)).toEqual(["!sendMessage"]);
    // A message about another case, queued a second later (a citizen's note under its card).
    tb.clock.now = new Date(T0.getTime() + SECOND);
    const other = await fileCase(0);
    await Outbox.updateOne({ _id: `${other._id.toHexString()}:2-card` }, { $set: { status: "sent" } });
    await Outbox.create({
      _id: "note-during-wait",
      ...g,
      kind: "staff_reopened",
      payload: { reportId: other._id.toHexString() },
      status: "pending",
      nextAttemptAt: tb.clock.now,
      createdAt: tb.clock.now,
    });
    await dispatcher.drainOnce({ sweep: false });
    expect(toGroup(tb)).toEqual(["!sendMessage"]);
    expect(await Outbox.findById("note-during-wait").lean()).toMatchObject({
      status: "pending",
      nextAttemptAt: new Date(T0.getTime() + 20 * SECOND),
      attempts: 0,
    });
    tb.clock.now = new Date(T0.getTime() + 20 * SECOND);
    await dispatcher.drainOnce({ sweep: false });
    const texts = tb.api.calls.filter((c) => c.method === "sendMessage").map((c) => String(c.payload.text));
    expect(texts).toHaveLength(2);
    expect(texts[0]!.startsWith("📥")).toBe(true);
  });

  it("the reporter erased while another dispatcher is posting the alert (from the report as it read it before): the card it posts is redrawn without her", async () => {
    const tb = deskAtT0();
    const r = await fileCase(1);
    const hex = r._id.toHexString();
    // Another instance holds the alert: its photos are going out, its card is drawn from what it read.
    expect(await claimNextRow("other-instance#1", T0)).toMatchObject({ id: `${hex}:2-card` });
    await requestForget("telegram", r.citizen.userId, T0);
    await applyRetention({ days: 365, now: T0 });
    expect(await Outbox.findById(`${hex}:erased:staff_card_redraw`).lean()).toMatchObject({
      chatId: STAFF_CHAT,
      status: "pending",
    });
    // Its card goes out with her name in it, then the redraw edits it.
    await recordCard(r, { platform: "telegram", chatId: STAFF_CHAT, messageId: 4242 }, `${hex}:2-card`);
    await markSent(`${hex}:2-card`, "other-instance#1", T0);
    await dispatcherFor(tb).drainOnce({ sweep: false });
    const edit = tb.api.calls.find((c) => c.method === "editMessageText" && c.payload.message_id === 4242);
    expect(edit).toBeDefined();
    // Her words are gone from it (the card showed the description).
    expect(String(edit!.payload.text)).not.toContain("لوله اصلی ترکیده");
  });
});
