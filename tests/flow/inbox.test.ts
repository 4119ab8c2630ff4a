import { randomUUID } from "node:crypto";
import type { Update, UserFromGetMe } from "grammy/types";
import mongoose from "mongoose";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, type TestBot } from "../support/test-bot.ts";
import { InboxWorker } from "../../bot/intake/inbox-worker.ts";
import { updateHandler } from "../../bot/intake/handle-update.ts";
import { InFlight } from "../../bot/in-flight.ts";
import { until } from "../support/child-process.ts";
import { Inbox, INBOX_MAX_ATTEMPTS, parkedUpdates, recordUpdates, type InboxHolder } from "../../models/infra/inbox.ts";

useTestDb({ cleanEach: true });

let nextId = 5_000;
function textUpdate(userId: number, text: string): Update {
  const chat = { id: userId, type: "private" as const, first_name: "Sara" };
  return {
    update_id: nextId++,
    message: {
      message_id: nextId,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: { id: userId, is_bot: false, first_name: "Sara", language_code: "fa" },
      text,
    },
  } as Update;
}

/** A worker of another holder on the same bot: another life of the instance, or another instance. */
function worker(tb: TestBot, holder: InboxHolder, handle = updateHandler(tb.bot)): InboxWorker {
  return new InboxWorker({
    platform: "telegram",
    holder,
    handle,
    api: tb.bot.api,
    me: tb.api.botInfo as UserFromGetMe,
    inflight: new InFlight(),
    logger: pino({ level: "silent" }),
    now: () => tb.clock.now,
  });
}

describe("the update inbox", () => {
  it("records an update before handling it and, once handled, keeps only its id (no content, no chat)", async () => {
    const tb = createTestBot();
    const update = textUpdate(8101, "/help");
    await tb.deliver(update);
    expect(tb.api.textsTo(8101).length).toBeGreaterThan(0);
    const row = await Inbox.findById(`telegram:${update.update_id}`).lean();
    expect(row).toMatchObject({ status: "done", platform: "telegram", updateId: update.update_id });
    expect(row).not.toHaveProperty("update");
    expect(row).not.toHaveProperty("chatId");
    expect(row!.doneAt).toBeInstanceOf(Date);
  });

  it("costs two MongoDB commands per update, as the duplicate guard it replaced (a read and a write): the insert and the done mark", async () => {
    const tb = createTestBot();
    const me = worker(tb, { instance: "count", boot: "1" }, () => Promise.resolve());
    const client = mongoose.connection.getClient();
    const commands: string[] = [];
    const listen = (e: { commandName: string; command: Record<string, unknown> }) => {
      const target = e.command[e.commandName];
      if (target === "inbox") commands.push(e.commandName);
    };
    client.on("commandStarted", listen);
    try {
      for (let i = 0; i < 10; i++) await me.accept([textUpdate(8300 + i, "/help")]);
      await me.idle();
      // A batch of five (as long polling fetches them) takes one insert for all five.
      await me.accept(Array.from({ length: 5 }, (_, i) => textUpdate(8400 + i, "/help")));
      await me.idle();
    } finally {
      client.off("commandStarted", listen);
    }
    expect(commands.filter((c) => c === "insert")).toHaveLength(11);
    expect(commands.filter((c) => c === "update")).toHaveLength(15);
    expect(commands).toHaveLength(26);
  });

  it("a row left working by an earlier life of the instance is taken over at start-up and handled once, in its chat's order", async () => {
    const tb = createTestBot();
    const instance = `drill-${randomUUID()}`;
    const dead = { instance, boot: "life-1" };
    // The dead life recorded two updates of one chat and then died before handling them.
    const first = textUpdate(8102, "/help");
    const second = textUpdate(8102, "/privacy");
    await recordUpdates(
      "telegram",
      [first, second].map((u) => ({ updateId: u.update_id, chatKey: "8102", chatId: 8102, update: u })),
      dead,
      tb.clock.now,
      60_000,
    );
    // Another instance's unfinished row with a live lease is not touched.
    const other = textUpdate(8103, "/help");
    await recordUpdates(
      "telegram",
      [{ updateId: other.update_id, chatKey: "8103", chatId: 8103, update: other }],
      { instance: "someone-else", boot: "b" },
      tb.clock.now,
      60_000,
    );

    const next = worker(tb, { instance, boot: "life-2" });
    expect(await next.recover({ earlierLives: true })).toBe(2);
    await next.idle();
    const texts = tb.api.textsTo(8102);
    expect(texts).toHaveLength(2);
    expect(await Inbox.countDocuments({ status: "done" })).toBe(2);
    expect(tb.api.textsTo(8103)).toHaveLength(0);
    expect((await Inbox.findById(`telegram:${other.update_id}`).lean())!.status).toBe("working");
    // Order: /help's reply before /privacy's.
    const help = createTestBot();
    await help.deliver(textUpdate(8104, "/help"));
    expect(texts[0]).toBe(help.api.textsTo(8104)[0]);
  });

  it("an answer whose handling finished (form state saved) but was never marked done is not applied again when taken over", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(8110, { viaInbox: true });
    await sim.text("/new");
    await sim.press("زباله و نظافت");
    // This life handles the description to the end and dies before it can mark the row done.
    const instance = `crash-${randomUUID()}`;
    const handle = updateHandler(tb.bot);
    const dying = worker(tb, { instance, boot: "life-1" }, async (u) => {
      await handle(u);
      await new Promise<void>(() => undefined);
    });
    const doomed = tb.citizen(8110, { deliver: (u) => dying.accept([u]) });
    await doomed.text("زباله‌ها سه روز است جمع نشده است");
    await until(() => tb.api.textsTo(8110).some((t) => t.includes("محل مشکل کجاست؟")), "the location prompt");
    const replies = tb.api.textsTo(8110).length;
    // The next life takes the row over: the state shows it was applied, so nothing is said or changed.
    const next = worker(tb, { instance, boot: "life-2" });
    expect(await next.recover({ earlierLives: true })).toBe(1);
    await next.idle();
    expect(tb.api.textsTo(8110)).toHaveLength(replies);
    expect(await Inbox.countDocuments({ status: "done" })).toBe(3);
    // Still at the location step: a shared location is taken as the location.
    await sim.location(35.8327, 50.9915);
    expect(sim.lastReply()).toContain("عکس");
    expect(sim.lastReply()).not.toContain("محل مشکل کجاست؟");
  });

  it("another instance's row is taken over only after its lease has run out", async () => {
    const tb = createTestBot();
    const update = textUpdate(8105, "/help");
    await recordUpdates(
      "telegram",
      [{ updateId: update.update_id, chatKey: "8105", chatId: 8105, update }],
      { instance: "dead-host", boot: "x" },
      tb.clock.now,
      60_000,
    );
    const me = worker(tb, { instance: "live-host", boot: "y" });
    expect(await me.recover({ earlierLives: true })).toBe(0);
    tb.clock.now = new Date(tb.clock.now.getTime() + 61_000);
    expect(await me.recover()).toBe(1);
    await me.idle();
    expect(tb.api.textsTo(8105).length).toBeGreaterThan(0);
    expect((await Inbox.findById(`telegram:${update.update_id}`).lean())!.status).toBe("done");
  });

  it("two instances sweeping at once never take the same row", async () => {
    const tb = createTestBot();
    const updates = Array.from({ length: 20 }, (_, i) => textUpdate(8200 + i, "/help"));
    await recordUpdates(
      "telegram",
      updates.map((u) => ({
        updateId: u.update_id,
        chatKey: String(u.message!.chat.id),
        chatId: u.message!.chat.id,
        update: u,
      })),
      { instance: "gone", boot: "g" },
      tb.clock.now,
      1_000,
    );
    tb.clock.now = new Date(tb.clock.now.getTime() + 2_000);
    const handled: number[] = [];
    const count = (u: Update) => {
      handled.push(u.update_id);
      return Promise.resolve();
    };
    const a = worker(tb, { instance: "a", boot: "a1" }, count);
    const b = worker(tb, { instance: "b", boot: "b1" }, count);
    const [ta, tb2] = await Promise.all([a.recover(), b.recover()]);
    await Promise.all([a.idle(), b.idle()]);
    expect(ta + tb2).toBe(20);
    expect(handled).toHaveLength(20);
    expect(new Set(handled).size).toBe(20);
  });

  it("a handler that keeps failing is retried with a wait, then parked with its error and listed for the doctor", async () => {
    const tb = createTestBot();
    const update = textUpdate(8106, "/help");
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new TypeError("handler bug"));
    };
    const me = worker(tb, { instance: "h", boot: "1" }, failing);
    await me.accept([update]);
    await me.idle();
    let row = await Inbox.findById(`telegram:${update.update_id}`).lean();
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "TypeError" });
    // Not retried before its wait is over.
    expect(await me.recover()).toBe(0);
    for (let attempt = 2; attempt <= INBOX_MAX_ATTEMPTS; attempt++) {
      tb.clock.now = new Date(tb.clock.now.getTime() + 15 * 60_000);
      expect(await me.recover()).toBe(1);
      await me.idle();
    }
    expect(calls).toBe(INBOX_MAX_ATTEMPTS);
    row = await Inbox.findById(`telegram:${update.update_id}`).lean();
    expect(row).toMatchObject({ status: "parked", attempts: INBOX_MAX_ATTEMPTS, lastError: "TypeError" });
    // Never retried again.
    tb.clock.now = new Date(tb.clock.now.getTime() + 24 * 3_600_000);
    expect(await me.recover()).toBe(0);
    const parked = await parkedUpdates();
    expect(parked.count).toBe(1);
    expect(parked.rows[0]).toMatchObject({
      id: `telegram:${update.update_id}`,
      attempts: INBOX_MAX_ATTEMPTS,
      lastError: "TypeError",
    });
  });

  it("an update whose handler kills the process every time is parked after the attempts, not taken over forever", async () => {
    const tb = createTestBot();
    const update = textUpdate(8107, "/help");
    const instance = "crashy";
    await recordUpdates(
      "telegram",
      [{ updateId: update.update_id, chatKey: "8107", chatId: 8107, update }],
      { instance, boot: "0" },
      tb.clock.now,
      60_000,
    );
    // Each life takes it over and dies while handling it (the row stays working under its boot).
    for (let life = 1; life < INBOX_MAX_ATTEMPTS; life++) {
      const never = new Promise<void>(() => undefined);
      const w = worker(tb, { instance, boot: String(life) }, () => never);
      expect(await w.recover({ earlierLives: true })).toBe(1);
    }
    const last = worker(tb, { instance, boot: "last" });
    expect(await last.recover({ earlierLives: true })).toBe(0);
    expect((await Inbox.findById(`telegram:${update.update_id}`).lean())!.status).toBe("parked");
    expect(tb.api.textsTo(8107)).toHaveLength(0);
  });
});
