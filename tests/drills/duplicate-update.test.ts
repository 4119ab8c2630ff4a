import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot } from "../support/test-bot.ts";
import { fillReport } from "../support/intake-steps.ts";
import { Report } from "../../models/report/report.ts";
import { Citizen } from "../../models/people/citizen.ts";
import { inboxStatus } from "../../models/infra/inbox.ts";
import { loadCpusWhileFileRuns } from "../support/cpu-load.ts";

useTestDb({ cleanEach: true });

// Both cores busy: a drill that passes only on an idle machine proves timing, not design.
loadCpusWhileFileRuns(2);

/** A webhook retry: the very same update (same update_id, same payload) arrives again. */
async function deliverTwice(handle: (u: Update) => Promise<void>, update: Update): Promise<void> {
  await handle(structuredClone(update));
  await handle(structuredClone(update));
}

// Every update here goes through the inbox, as a webhook post or a polled batch does in production.

describe("the same update delivered twice (webhook retry) is handled once", () => {
  it("a text message: one reply", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(9101, { viaInbox: true });
    const update = await sim.text("/help");
    const replies = sim.replies().length;
    expect(replies).toBeGreaterThan(0);
    await tb.deliver(structuredClone(update));
    expect(sim.replies()).toHaveLength(replies);
    expect(await inboxStatus(`telegram:${update.update_id}`)).toBe("done");
  });

  it("the same message during the form does not advance it twice", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(9102, { viaInbox: true });
    await sim.text("/new");
    await sim.press("زباله و نظافت");
    const update = await sim.text("زباله‌ها سه روز است جمع نشده است");
    expect(sim.lastReply()).toContain("محل مشکل کجاست؟");
    const before = sim.replies().length;
    // Redelivered at the location step: without the guard it would be taken as a typed address.
    await tb.deliver(structuredClone(update));
    expect(sim.replies()).toHaveLength(before);
    await sim.location(35.8327, 50.9915);
    expect(sim.lastReply()).not.toContain("محل مشکل کجاست؟");
  });

  it("a callback (language switch): one effect, one answer", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(9103, { viaInbox: true });
    await sim.text("/language");
    const data = sim.findButton("English") ?? "lang:en";
    tb.api.clearCalls();
    const update = await sim.callback(data);
    const calls = tb.api.calls.length;
    expect(tb.api.callsOf("answerCallbackQuery")).toHaveLength(1);
    await tb.deliver(structuredClone(update));
    expect(tb.api.calls).toHaveLength(calls);
    expect((await Citizen.findOne({ userId: 9103 }).lean())!.locale).toBe("en");
  });

  it("the Submit press twice: one report, one confirmation", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(9104, { viaInbox: true });
    await fillReport(tb, sim);
    const update = await sim.press("✅ ثبت");
    const confirmations = sim.replies().filter((r) => r.includes("کد رهگیری")).length;
    expect(confirmations).toBe(1);
    await deliverTwice((u) => tb.deliver(u), update);
    expect(sim.replies().filter((r) => r.includes("کد رهگیری"))).toHaveLength(1);
    expect(await Report.countDocuments({ "citizen.userId": 9104 })).toBe(1);
  });

  it("a restarted instance on the same database also skips it; another platform's same id is not a duplicate", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(9105, { viaInbox: true });
    const update = await sim.text("/help");
    const replies = sim.replies().length;
    tb.restart();
    await tb.deliver(structuredClone(update));
    expect(sim.replies()).toHaveLength(replies);
    const bale = createTestBot({}, "bale");
    await bale.deliver(structuredClone(update));
    expect(bale.api.textsTo(9105).length).toBeGreaterThan(0);
  });
});
