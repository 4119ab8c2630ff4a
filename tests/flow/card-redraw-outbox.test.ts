import { describe, expect, it, vi } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, STAFF_CHAT, type TestBot } from "../support/test-bot.ts";
import { fileReport } from "../support/intake-steps.ts";
import { Report } from "../../models/report/report.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { upsertStaff, type StaffMember } from "../../models/people/staff.ts";
import { queueCardRedraw } from "../../models/report/card-redraw.ts";
import { CARD_REDRAW_KIND } from "../../models/infra/outbox-kinds.ts";
import { relayStaleOutbox } from "../../models/infra/outbox-relay.ts";
import { takeCase } from "../../models/report/case-actions.ts";

useTestDb({ cleanEach: true });

const OMID = 900;
const TAKE = "🙋 برعهده می‌گیرم";
const OMID_MEMBER: StaffMember = {
  platform: "telegram",
  userId: OMID,
  name: "Omid",
  role: "official",
  regions: ["r1", "r2", "r3", "r4"],
  departments: [],
};
const PROGRESS = "🛠 در حال انجام";

/** A filed case whose card (and the rest of the new-case alert) is already in the staff chat. */
async function postedCard(): Promise<{
  tb: TestBot;
  omid: ReturnType<TestBot["member"]>;
  reportId: string;
  messageId: number;
}> {
  await upsertStaff(OMID_MEMBER);
  const tb = createTestBot();
  const code = await fileReport(tb, tb.citizen(5300));
  await tb.dispatcher.drainOnce();
  const r = await Report.findOne({ code }).lean();
  tb.api.clearCalls();
  return {
    tb,
    omid: tb.member(OMID, STAFF_CHAT, { firstName: "Omid" }),
    reportId: r!._id.toHexString(),
    messageId: r!.card!.messageId,
  };
}

const redrawRows = (reportId: string) => Outbox.find({ kind: CARD_REDRAW_KIND, "payload.reportId": reportId }).lean();
const cardEdits = (tb: TestBot, messageId: number) =>
  tb.api
    .callsOf("editMessageText")
    .filter((c) => c.payload.chat_id === STAFF_CHAT && c.payload.message_id === messageId);

describe("card redraws through the outbox", () => {
  it("a change queues its redraw in its own write: a crash before the relay still redraws the card", async () => {
    const { tb, reportId, messageId } = await postedCard();
    // The process dies right after the case's write, before the relay copies its rows (the copy fails).
    const copy = vi.spyOn(Outbox, "insertMany").mockRejectedValueOnce(new Error("killed before the relay"));
    await expect(takeCase(reportId, OMID_MEMBER, tb.clock.now)).rejects.toThrow("killed before the relay");
    copy.mockRestore();
    const written = (await Report.findById(reportId).lean())!;
    expect(written.status).toBe("assigned");
    expect(written.pendingOutbox.map((r) => r.kind)).toContain(CARD_REDRAW_KIND);
    expect(await redrawRows(reportId)).toHaveLength(0);
    // The sweeper (the dispatcher's relay sweep) finds the rows the crash left; the card is redrawn.
    await relayStaleOutbox(new Date(tb.clock.now.getTime() + 60_000));
    await tb.dispatcher.drainOnce();
    const edits = cardEdits(tb, messageId);
    expect(edits).toHaveLength(1);
    expect(String(edits[0]!.payload.text)).toContain("Omid");
  });

  it("two quick actions on one card: one row waiting, one edit showing both", async () => {
    const { tb, omid, reportId, messageId } = await postedCard();
    await omid.press(TAKE);
    await omid.press(PROGRESS);
    // Nothing was edited behind the outbox's back; the second redraw joined the first.
    expect(tb.api.callsOf("editMessageText")).toHaveLength(0);
    expect(await redrawRows(reportId)).toHaveLength(1);
    await tb.dispatcher.drainOnce();
    const edits = cardEdits(tb, messageId);
    expect(edits).toHaveLength(1);
    expect(String(edits[0]!.payload.text)).toContain("🧑‍🔧 مسئول: Omid");
    expect(String(edits[0]!.payload.text)).toContain("در حال رسیدگی");
    expect(await redrawRows(reportId)).toMatchObject([{ status: "sent" }]);
    // Sent rows give their key up: the next change is a new row and a new edit.
    expect((await redrawRows(reportId))[0]).not.toHaveProperty("coalesceKey");
  });

  it("a redraw queued while another waits is coalesced; once the waiting one is claimed, a new one queues", async () => {
    const { tb, reportId } = await postedCard();
    const id = new Report.base.Types.ObjectId(reportId);
    expect(await queueCardRedraw(id, tb.clock.now)).toBe("queued");
    expect(await queueCardRedraw(id, tb.clock.now)).toBe("coalesced");
    expect(await queueCardRedraw(id, tb.clock.now)).toBe("coalesced");
    expect(await redrawRows(reportId)).toHaveLength(1);
    await tb.dispatcher.drainOnce();
    expect(await queueCardRedraw(id, tb.clock.now)).toBe("queued");
    expect((await redrawRows(reportId)).map((r) => r.status).sort()).toEqual(["pending", "sent"]);
  });

  it("a card not posted yet: no redraw while its post is pending (the post draws the case as it is then)", async () => {
    await upsertStaff({
      platform: "telegram",
      userId: OMID,
      name: "Omid",
      role: "official",
      regions: ["r1", "r2", "r3", "r4"],
    });
    const tb = createTestBot();
    const code = await fileReport(tb, tb.citizen(5301));
    const r = await Report.findOne({ code }).lean();
    expect(await queueCardRedraw(r!._id, tb.clock.now)).toBe("no_card");
  });

  it("a redraw waits behind a 429 on the card's chat, like any row, and the next change joins it", async () => {
    const { tb, omid, reportId, messageId } = await postedCard();
    // The redraw's edit is refused with a 429: the staff chat is held for 30 s.
    tb.api.fail("editMessageText", {
      error_code: 429,
      description: "Too Many Requests: retry after 30",
      retry_after: 30,
    });
    await omid.press(TAKE);
    await tb.dispatcher.drainOnce();
    expect(tb.api.callsOf("!editMessageText")).toHaveLength(1);
    const [held] = await redrawRows(reportId);
    expect(held).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: new Date(tb.clock.now.getTime() + 30_000),
    });
    // A second press while the chat waits: its redraw is the waiting row, not a second edit.
    await omid.press(PROGRESS);
    expect(await redrawRows(reportId)).toHaveLength(1);
    await tb.dispatcher.drainOnce();
    expect(cardEdits(tb, messageId)).toHaveLength(0);
    tb.clock.now = new Date(tb.clock.now.getTime() + 30_000);
    await tb.dispatcher.drainOnce();
    const edits = cardEdits(tb, messageId);
    expect(edits).toHaveLength(1);
    expect(String(edits[0]!.payload.text)).toContain("در حال رسیدگی");
  });

  it("a row to the card's chat held by a 429 keeps the redraw behind it", async () => {
    const { tb, omid, reportId, messageId } = await postedCard();
    // A message under the card (as a reopening posts one) is refused with a 429.
    await omid.press(TAKE);
    await tb.dispatcher.drainOnce();
    tb.api.clearCalls();
    await Outbox.create({
      _id: "held-note",
      platform: "telegram",
      chatId: STAFF_CHAT,
      kind: "staff_reopened",
      payload: { reportId },
      status: "pending",
      nextAttemptAt: tb.clock.now,
      createdAt: tb.clock.now,
    });
    tb.api.fail("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 20", retry_after: 20 });
    await tb.dispatcher.drainOnce();
    const heldUntil = new Date(tb.clock.now.getTime() + 20_000);
    expect(await Outbox.findById("held-note").lean()).toMatchObject({ status: "pending", nextAttemptAt: heldUntil });
    tb.clock.now = new Date(tb.clock.now.getTime() + 1_000);
    await omid.press(PROGRESS);
    await tb.dispatcher.drainOnce();
    expect(cardEdits(tb, messageId)).toHaveLength(0);
    // Put back behind the held row, due when it is: not claimed again on every pass until then.
    const waiting = (await redrawRows(reportId)).filter((r) => r.status === "pending");
    expect(waiting).toMatchObject([{ nextAttemptAt: heldUntil, attempts: 0 }]);
    tb.clock.now = heldUntil;
    await tb.dispatcher.drainOnce();
    const order = tb.api.calls.filter((c) => c.payload.chat_id === STAFF_CHAT).map((c) => c.method);
    expect(order).toEqual(["!sendMessage", "sendMessage", "editMessageText"]);
  });

  it("never overtakes the card's own first post: a redraw queued while the post is being sent goes after it", async () => {
    await upsertStaff({
      platform: "telegram",
      userId: OMID,
      name: "Omid",
      role: "official",
      regions: ["r1", "r2", "r3", "r4"],
    });
    const tb = createTestBot();
    const code = await fileReport(tb, tb.citizen(5302));
    const r = await Report.findOne({ code }).lean();
    const hex = r!._id.toHexString();
    // The post is in a worker's hands (claimed, not yet sent) when the case changes.
    await Outbox.updateOne(
      { _id: `${hex}:2-card` },
      { $set: { status: "sending", lockedBy: "other", lockedUntil: new Date(tb.clock.now.getTime() + 60_000) } },
    );
    expect(await queueCardRedraw(r!._id, tb.clock.now)).toBe("queued");
    await tb.dispatcher.drainOnce();
    // Held behind the unsent post (per-chat order), so no edit of a card that does not exist yet.
    expect(tb.api.callsOf("editMessageText")).toHaveLength(0);
    expect(await redrawRows(hex)).toMatchObject([{ status: "pending" }]);
    // The other worker's lease runs out; this dispatcher posts the card, then the redraw edits it.
    tb.clock.now = new Date(tb.clock.now.getTime() + 60_000);
    await tb.dispatcher.drainOnce();
    const posted = await Report.findById(r!._id).lean();
    const order = tb.api.calls.filter((c) => c.payload.chat_id === STAFF_CHAT).map((c) => c.method);
    expect(order.indexOf("sendMessage")).toBeLessThan(order.indexOf("editMessageText"));
    expect(cardEdits(tb, posted!.card!.messageId)).toHaveLength(1);
  });
});
