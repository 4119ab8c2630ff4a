import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, STAFF_CHAT } from "../support/test-bot.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { FLOOD_LIMIT, FLOOD_WINDOW_MS, FloodWindows } from "../../bot/middleware/flood-guard.ts";

useTestDb({ cleanEach: true });

const SLOW_DOWN =
  "پیام‌های شما خیلی پشت سر هم می‌رسد. لطفاً یک دقیقه صبر کنید و بعد دوباره بفرستید؛ پیام‌های این یک دقیقه خوانده نمی‌شوند.";
const HELP_START = "کارهایی که می‌توانم انجام دهم:";

/** Every MongoDB command sent while `run` runs, as [command, collection]. */
async function commandsDuring(run: () => Promise<void>): Promise<[string, unknown][]> {
  const client = mongoose.connection.getClient();
  const seen: [string, unknown][] = [];
  const listen = (e: { commandName: string; command: Record<string, unknown> }) =>
    void seen.push([e.commandName, e.command[e.commandName]]);
  client.on("commandStarted", listen);
  try {
    await run();
  } finally {
    client.off("commandStarted", listen);
  }
  return seen;
}

describe("flood guard: more than 20 updates a minute from one person", () => {
  it("25 updates in a minute: 20 served, one slow-down reply, 21–25 cost no database write and get no other reply; after the minute they are served again", async () => {
    const tb = createTestBot({ FLOOD_LIMIT_PER_MINUTE: "20" });
    tb.clock.now = new Date("2026-06-01T08:00:00Z");
    const sara = tb.citizen(5501);
    for (let i = 0; i < FLOOD_LIMIT; i++) await sara.text("/help");
    expect(sara.replies()).toHaveLength(20);
    expect(sara.replies().every((r) => r.includes(HELP_START))).toBe(true);

    tb.api.clearCalls();
    const commands = await commandsDuring(async () => {
      for (let i = 0; i < 5; i++) {
        tb.clock.now = new Date(tb.clock.now.getTime() + 1_000);
        await sara.text("/help");
      }
    });
    expect(sara.replies()).toEqual([SLOW_DOWN]);
    expect(tb.api.calls.map((c) => c.method)).toEqual(["sendMessage"]);
    // The staff list is read once (is Sara staff?), held for a minute; nothing is written.
    expect(commands).toEqual([["find", "staff"]]);

    // A second citizen flooding in the same minute: the staff list is not read again.
    const ali = tb.citizen(5502);
    for (let i = 0; i < FLOOD_LIMIT; i++) await ali.text("/help");
    tb.api.clearCalls();
    expect(await commandsDuring(() => ali.text("/help").then(() => undefined))).toEqual([]);
    expect(ali.replies()).toEqual([SLOW_DOWN]);

    // A minute after her first update, Sara is served again.
    tb.clock.now = new Date(new Date("2026-06-01T08:00:00Z").getTime() + FLOOD_WINDOW_MS);
    tb.api.clearCalls();
    await sara.text("/help");
    expect(sara.replies()).toHaveLength(1);
    expect(sara.lastReply()).toContain(HELP_START);
  });

  it("a button press over the limit is answered once with the slow-down text, the rest in silence", async () => {
    const tb = createTestBot({ FLOOD_LIMIT_PER_MINUTE: "20" });
    const sara = tb.citizen(5503);
    for (let i = 0; i < FLOOD_LIMIT; i++) await sara.text("/help");
    tb.api.clearCalls();
    await sara.callback("lang:en");
    await sara.callback("lang:en");
    expect(tb.api.calls.map((c) => [c.method, c.payload.text])).toEqual([["answerCallbackQuery", SLOW_DOWN]]);
  });

  it("a staff member in the staff group is not limited, nor in their private chat (a field visit's live location)", async () => {
    await upsertStaff({ platform: "telegram", userId: 900, name: "Omid", role: "official", regions: ["r1"] });
    const tb = createTestBot({ FLOOD_LIMIT_PER_MINUTE: "20" });
    const omid = tb.member(900, STAFF_CHAT, { firstName: "Omid" });
    for (let i = 0; i < 25; i++) await omid.text("/open");
    expect(omid.replies()).toHaveLength(25);
    expect(omid.replies()).not.toContain(SLOW_DOWN);
    const inPrivate = tb.citizen(900, { firstName: "Omid" });
    tb.api.clearCalls();
    for (let i = 0; i < 25; i++) await inPrivate.text("/help");
    expect(inPrivate.replies()).toHaveLength(25);
    expect(inPrivate.replies()).not.toContain(SLOW_DOWN);
  });

  it("someone made staff is exempt once the minute-old staff list is read again", async () => {
    const tb = createTestBot({ FLOOD_LIMIT_PER_MINUTE: "20" });
    tb.clock.now = new Date("2026-06-01T08:00:00Z");
    const mina = tb.citizen(901, { firstName: "Mina" });
    for (let i = 0; i <= FLOOD_LIMIT; i++) await mina.text("/help");
    expect(mina.lastReply()).toBe(SLOW_DOWN);
    await upsertStaff({ platform: "telegram", userId: 901, name: "Mina", role: "manager" });
    tb.clock.now = new Date(tb.clock.now.getTime() + FLOOD_WINDOW_MS);
    for (let i = 0; i <= FLOOD_LIMIT + 4; i++) await mina.text("/help");
    expect(mina.replies().filter((r) => r === SLOW_DOWN)).toHaveLength(1);
    expect(mina.lastReply()).toContain(HELP_START);
  });
});

describe("flood guard and forged senders", () => {
  it("an update whose sender id is no number (a forged object) passes the guard without a throw: there is nobody to count", async () => {
    const tb = createTestBot({ FLOOD_LIMIT_PER_MINUTE: "20" });
    const forged = { id: { toString: "x" }, is_bot: false, first_name: "X" };
    const update = {
      update_id: 990001,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 6666666, type: "private", first_name: "X" },
        from: forged,
        text: "/help",
      },
    };
    await expect(tb.bot.handleUpdate(update as never)).resolves.toBeUndefined();
  });
});

describe("flood guard memory", () => {
  it("windows that ended are evicted: after a minute of silence the guard holds only who wrote since", () => {
    const windows = new FloodWindows({ windowMs: 60_000, maxKeys: 100_000 });
    const t0 = 1_000_000;
    for (let id = 0; id < 10_000; id++) windows.count(`telegram:${id}`, t0);
    expect(windows.size).toBe(10_000);
    windows.count("telegram:me", t0 + 60_000);
    expect(windows.size).toBe(1);
  });

  it("never holds more than maxKeys people, even within one minute (the oldest windows go first)", () => {
    const windows = new FloodWindows({ windowMs: 60_000, maxKeys: 100 });
    for (let id = 0; id < 150; id++) windows.count(`telegram:${id}`, 1_000 + id);
    expect(windows.size).toBe(100);
    // The newest are kept: the last one is still counted.
    expect(windows.count("telegram:149", 2_000)).toBe(2);
    expect(windows.count("telegram:0", 2_000)).toBe(1);
  });
});
