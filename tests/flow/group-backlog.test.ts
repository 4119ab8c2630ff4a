import { beforeEach, describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, STAFF_CHAT, type TestBot } from "../support/test-bot.ts";
import { fileGroupCase, groupDispatcher } from "../support/staff-cases.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import type { OutboxDispatcher } from "../../bot/outbox/dispatcher.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { Report, type ReportDoc } from "../../models/report/report.ts";
import { changeStatus, type Actor } from "../../models/report/report-transition.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { createI18n, translator } from "../../core/i18n.ts";

useTestDb();

const T0 = new Date("2025-06-01T09:00:00Z");
const SECOND = 1_000;
/** A small budget, so a handful of cases puts the group behind: 6 messages a minute, one every 10 s. */
const BUDGET = 6;
const SLOT = 60_000 / BUDGET;
const AZAR = 905; // admin, presses digest buttons
const OFFICIAL: Actor = { kind: "staff", platform: "telegram", id: 9001, name: "Official" };
const fa = translator(createI18n("fa"), "fa");

/** A case with one stored photo and its own point (its pin is told apart by the latitude), routed to the staff group. */
const fileCase = (i: number, now: Date): Promise<ReportDoc> =>
  fileGroupCase({ photos: 1, lat: latOf(i), address: `خیابان آزادی، پلاک ${i}`, now });

const latOf = (i: number) => 35.8 + i / 1000;

const dispatcherFor = (tb: TestBot): OutboxDispatcher =>
  groupDispatcher(tb, "group-backlog-test", { perMinute: BUDGET, backlogSeconds: 30 });

const toGroup = (tb: TestBot): ApiCall[] => tb.api.calls.filter((c) => Number(c.payload.chat_id) === STAFF_CHAT);
const isDigest = (c: ApiCall) => c.method === "sendMessage" && String(c.payload.text).startsWith("📥");
const buttonsOf = (c: ApiCall) =>
  ((c.payload.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.text);

/** Where each case's photo, card and pin went in the group's messages (-1: not sent). */
function positions(calls: ApiCall[], report: ReportDoc, i: number) {
  const code = formatCode(report.code);
  return {
    photo: calls.findIndex((c) => c.method === "sendPhoto" && String(c.payload.caption ?? "").includes(code)),
    card: calls.findIndex((c) => c.method === "sendMessage" && !isDigest(c) && String(c.payload.text).includes(code)),
    pin: calls.findIndex((c) => c.method === "sendLocation" && Number(c.payload.latitude) === latOf(i)),
  };
}

/** Advances the test clock slot by slot, draining each time, until nothing is left to send (or `slots` run out). */
async function drainAll(tb: TestBot, d: OutboxDispatcher, slots = 200): Promise<void> {
  for (let s = 0; s < slots; s++) {
    await d.drainOnce();
    await d.drainOnce();
    if ((await Outbox.countDocuments({ status: { $in: ["pending", "sending", "deferred"] } })) === 0) return;
    tb.clock.now = new Date(tb.clock.now.getTime() + SLOT);
  }
}

beforeEach(async () => {
  await Promise.all([Report.deleteMany({}), Outbox.deleteMany({})]);
});

describe("a staff group that falls behind", () => {
  it("gets a digest of the new cases first, then every full card in order, photos → card → pin per case", async () => {
    const tb = createTestBot();
    tb.clock.now = T0;
    const d = dispatcherFor(tb);
    const cases: ReportDoc[] = [];
    for (let i = 0; i < 8; i++) cases.push(await fileCase(i, T0));
    tb.api.clearCalls();

    await drainAll(tb, d);

    const calls = toGroup(tb);
    // The budget's first six messages are the first two cases; the rest are announced in one digest.
    const digests = calls.filter(isDigest);
    expect(digests).toHaveLength(1);
    const digest = digests[0]!;
    expect(calls.indexOf(digest)).toBe(6);
    for (const r of cases.slice(2)) expect(String(digest.payload.text)).toContain(formatCode(r.code));
    for (const r of cases.slice(0, 2)) expect(String(digest.payload.text)).not.toContain(formatCode(r.code));
    expect(buttonsOf(digest)).toEqual(
      cases.slice(2).map((r) => fa("group-digest-button", { code: formatCode(r.code) })),
    );
    expect(String(digest.payload.text)).toContain(fa("group-digest-title", { count: 6 }));

    // Nothing lost: every case's photo, card and pin, once each, in that order, cases in filing order.
    expect(calls.filter((c) => c.method === "sendPhoto")).toHaveLength(8);
    expect(calls.filter((c) => c.method === "sendLocation")).toHaveLength(8);
    expect(calls.filter((c) => c.method === "sendMessage")).toHaveLength(9);
    let last = -1;
    cases.forEach((r, i) => {
      const at = positions(calls, r, i);
      expect(at.photo).toBeGreaterThan(last);
      expect(at.card).toBeGreaterThan(at.photo);
      expect(at.pin).toBeGreaterThan(at.card);
      last = at.pin;
    });
    for (const r of cases) expect((await Report.findById(r._id).lean())!.card?.messageId).toBeGreaterThan(0);
    expect(await Outbox.countDocuments({ status: { $ne: "sent" } })).toBe(0);
    // Paced to the budget: at most six messages a minute on the test clock, so 8 × 3 + 1 messages took 25 slots.
    expect(tb.clock.now.getTime() - T0.getTime()).toBeGreaterThanOrEqual((25 - BUDGET - 1) * SLOT);
  });

  it("a digest button posts that case's full card next; the others follow in order", async () => {
    await upsertStaff({ platform: "telegram", userId: AZAR, name: "Azar", role: "admin", regions: [] });
    const tb = createTestBot();
    tb.clock.now = T0;
    const d = dispatcherFor(tb);
    const cases: ReportDoc[] = [];
    for (let i = 0; i < 8; i++) cases.push(await fileCase(i, T0));
    // Up to the digest: the first two cases and the digest.
    await d.drainOnce();
    await d.drainOnce();
    tb.clock.now = new Date(T0.getTime() + SLOT);
    await d.drainOnce();
    expect(toGroup(tb).filter(isDigest)).toHaveLength(1);

    const last = cases[7]!;
    await tb.member(AZAR, STAFF_CHAT).press(fa("group-digest-button", { code: formatCode(last.code) }));
    expect(tb.api.callsOf("answerCallbackQuery").at(-1)!.payload.text).toBe(
      fa("group-digest-posting", { code: formatCode(last.code) }),
    );
    await drainAll(tb, d);

    const calls = toGroup(tb);
    const pressed = positions(calls, last, 7);
    // Case 8 comes right after the digest, ahead of the cases deferred before it.
    expect(pressed.photo).toBe(calls.findIndex(isDigest) + 1);
    expect(pressed.pin).toBeLessThan(positions(calls, cases[2]!, 2).photo);
    for (const [i, r] of cases.entries()) expect(positions(calls, r, i).card).toBeGreaterThan(-1);

    // Pressed again once posted: said so, nothing queued twice.
    await tb.member(AZAR, STAFF_CHAT).press(fa("group-digest-button", { code: formatCode(last.code) }));
    expect(tb.api.callsOf("answerCallbackQuery").at(-1)!.payload.text).toBe(
      fa("group-digest-posted", { code: formatCode(last.code) }),
    );
    expect(await Outbox.countDocuments({ status: { $ne: "sent" } })).toBe(0);
  });

  it("changes to a case whose card is held back coalesce into one redraw behind the card", async () => {
    const tb = createTestBot();
    tb.clock.now = T0;
    const d = dispatcherFor(tb);
    const cases: ReportDoc[] = [];
    for (let i = 0; i < 8; i++) cases.push(await fileCase(i, T0));
    await d.drainOnce();
    await d.drainOnce();
    const held = cases[5]!;
    expect(await Outbox.findById(`${held._id.toHexString()}:2-card`).lean()).toMatchObject({ status: "deferred" });

    await changeStatus(held._id, "in_progress", OFFICIAL, "", { now: T0 });
    await d.drainOnce();
    await changeStatus(held._id, "resolved", OFFICIAL, "لوله تعویض شد", { now: T0 });
    await d.drainOnce();
    const redraws = await Outbox.find({ kind: "staff_card_redraw", "payload.reportId": held._id.toHexString() }).lean();
    expect(redraws).toHaveLength(1);
    expect(redraws[0]!.status).toBe("deferred");

    await drainAll(tb, d);
    const calls = toGroup(tb);
    const at = positions(calls, held, 5);
    expect(at.card).toBeGreaterThan(-1);
    // The card is posted as the case is by then; the one redraw after it edits that card at most once.
    const edits = tb.api.calls.filter(
      (c) => c.method === "editMessageText" && String(c.payload.text).includes(formatCode(held.code)),
    );
    expect(edits.length).toBeLessThanOrEqual(1);
    expect(await Outbox.countDocuments({ status: { $nin: ["sent", "failed"] } })).toBe(0);
  });

  it("a group that keeps up gets its cards as before, with no digest", async () => {
    const tb = createTestBot();
    tb.clock.now = T0;
    const d = dispatcherFor(tb);
    const a = await fileCase(0, T0);
    await d.drainOnce();
    tb.clock.now = new Date(T0.getTime() + 30 * SECOND);
    const b = await fileCase(1, tb.clock.now);
    await drainAll(tb, d);
    const calls = toGroup(tb);
    expect(calls.filter(isDigest)).toHaveLength(0);
    expect(calls.map((c) => c.method)).toEqual([
      "sendPhoto",
      "sendMessage",
      "sendLocation",
      "sendPhoto",
      "sendMessage",
      "sendLocation",
    ]);
    expect(positions(calls, a, 0).pin).toBeLessThan(positions(calls, b, 1).photo);
  });
});
