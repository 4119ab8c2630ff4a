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
import {
  countUnfinished,
  deleteChatUpdates,
  Inbox,
  INBOX_MAX_ATTEMPTS,
  inboxStatus,
  parkedUpdates,
  recordUpdates,
  type InboxHolder,
  type InboxUpdate,
} from "../../models/infra/inbox.ts";
import { BotState } from "../../models/infra/kv-store.ts";
import { conversationKey } from "../../bot/conversation-storage.ts";
import type { StateDoc } from "../../models/infra/inbox-on-state.ts";

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
    stateKey: (ctx) => conversationKey("telegram", ctx),
    inflight: new InFlight(),
    logger: pino({ level: "silent" }),
    now: () => tb.clock.now,
  });
}

/** A private chat's update as the bot process records it: on the chat's conversation-state document. */
function onState(u: Update): InboxUpdate {
  const chatId = u.message!.chat.id;
  return { updateId: u.update_id, chatKey: String(chatId), chatId, update: u, stateDoc: stateDocOf(chatId) };
}
const stateDocOf = (chatId: number) => `conversation:telegram:${chatId}`;
const stateDoc = (chatId: number) =>
  BotState.collection.findOne({ _id: stateDocOf(chatId) as never }) as Promise<StateDoc | null>;
const rowId = (u: Update) => `telegram:${u.update_id}`;
/** As a version before the state documents recorded it: in the inbox collection. */
function inCollection(u: Update): InboxUpdate {
  const chatId = u.message!.chat.id;
  return { updateId: u.update_id, chatKey: String(chatId), chatId, update: u };
}

describe("the update inbox", () => {
  it("records an update on the chat's state document before handling it; once handled, only its id stays (no content)", async () => {
    const tb = createTestBot();
    const update = textUpdate(8101, "/help");
    let whileHandled: StateDoc | null = null;
    const handle = updateHandler(tb.bot);
    const me = worker(tb, { instance: "rec", boot: "1" }, async (u) => {
      whileHandled = await stateDoc(8101);
      await handle(u);
    });
    await me.accept([update]);
    await me.idle();
    expect(tb.api.textsTo(8101).length).toBeGreaterThan(0);
    expect(whileHandled!.inbox).toMatchObject([{ id: rowId(update), status: "working", attempts: 1, chatId: 8101 }]);
    const after = await stateDoc(8101);
    expect(after!.inbox).toEqual([]);
    expect(after!.seen).toEqual([rowId(update)]);
    expect(JSON.stringify(after)).not.toContain("/help");
    expect(await inboxStatus(rowId(update))).toBe("done");
    // Nothing in the inbox collection: it keeps only parked rows (and rows of an earlier version).
    expect(await Inbox.countDocuments({})).toBe(0);
  });

  it("costs two MongoDB commands per update: the record on the chat's state document (returning its state) and the write that settles it", async () => {
    const tb = createTestBot();
    const me = worker(tb, { instance: "count", boot: "1" }, () => Promise.resolve());
    const client = mongoose.connection.getClient();
    const commands: string[] = [];
    const listen = (e: { commandName: string; command: Record<string, unknown> }) => {
      const target = e.command[e.commandName];
      if (target === "inbox" || target === "bot_state") commands.push(`${String(target)}.${e.commandName}`);
    };
    client.on("commandStarted", listen);
    try {
      for (let i = 0; i < 10; i++) await me.accept([textUpdate(8300 + i, "/help")]);
      await me.idle();
      // A batch of five chats (as long polling fetches them): one record each, side by side.
      await me.accept(Array.from({ length: 5 }, (_, i) => textUpdate(8400 + i, "/help")));
      await me.idle();
    } finally {
      client.off("commandStarted", listen);
    }
    expect(commands.filter((c) => c === "bot_state.findAndModify")).toHaveLength(15);
    expect(commands.filter((c) => c === "bot_state.update")).toHaveLength(15);
    expect(commands).toHaveLength(30);
  });

  it("a redelivered update is recognised on its state document, unfinished or settled, and handled once", async () => {
    const tb = createTestBot();
    const update = textUpdate(8120, "/help");
    const handled: number[] = [];
    const me = worker(tb, { instance: "dup", boot: "1" }, (u) => {
      handled.push(u.update_id);
      return Promise.resolve();
    });
    await me.accept([update, update]);
    await me.idle();
    await me.accept([update]);
    await me.idle();
    expect(handled).toEqual([update.update_id]);
    expect((await stateDoc(8120))!.seen).toEqual([rowId(update)]);
  });

  it("a second update of a chat recorded while the first is in hand reads the state the first one saved", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(8130, { viaInbox: true });
    await sim.text("/new");
    const me = tb.inbox();
    // Both in one batch: the category's press and the description right after it.
    const chat = { id: 8130, type: "private" as const, first_name: "Sara" };
    const press = {
      update_id: nextId++,
      callback_query: {
        id: "cq-batch",
        from: { id: 8130, is_bot: false, first_name: "Sara", language_code: "fa" },
        chat_instance: "ci",
        data: sim.findButton("زباله و نظافت"),
        message: { message_id: 1, date: 0, chat, text: "…" },
      },
    } as Update;
    const text = textUpdate(8130, "زباله‌ها سه روز است جمع نشده است");
    await me.accept([press, text]);
    await me.idle();
    expect(sim.lastReply()).toContain("محل مشکل کجاست؟");
  });

  it("rows an earlier life of the instance left working are taken over at start-up and handled once, in their chat's order (on state documents and in the collection)", async () => {
    const tb = createTestBot();
    const instance = `drill-${randomUUID()}`;
    const dead = { instance, boot: "life-1" };
    // The dead life recorded two updates of one chat and then died before handling them.
    const first = textUpdate(8102, "/help");
    const second = textUpdate(8102, "/privacy");
    await recordUpdates("telegram", [first, second].map(onState), dead, tb.clock.now, 60_000);
    // A version before state documents recorded into the collection.
    const legacy = textUpdate(8108, "/help");
    await recordUpdates("telegram", [inCollection(legacy)], dead, tb.clock.now, 60_000);
    // Another instance's unfinished row with a live lease is not touched.
    const other = textUpdate(8103, "/help");
    await recordUpdates("telegram", [onState(other)], { instance: "someone-else", boot: "b" }, tb.clock.now, 60_000);

    const next = worker(tb, { instance, boot: "life-2" });
    expect(await next.recover({ earlierLives: true })).toBe(3);
    await next.idle();
    const texts = tb.api.textsTo(8102);
    expect(texts).toHaveLength(2);
    expect(tb.api.textsTo(8108).length).toBeGreaterThan(0);
    for (const u of [first, second, legacy]) expect(await inboxStatus(rowId(u))).toBe("done");
    expect(tb.api.textsTo(8103)).toHaveLength(0);
    expect(await inboxStatus(rowId(other))).toBe("working");
    // Order: /help's reply before /privacy's.
    const help = createTestBot();
    await help.deliver(textUpdate(8104, "/help"));
    expect(texts[0]).toBe(help.api.textsTo(8104)[0]);
  });

  it("an answer handled to the end is settled by its own state write: a life that dies right after leaves nothing to take over", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(8110, { viaInbox: true });
    await sim.text("/new");
    await sim.press("زباله و نظافت");
    // This life handles the description to the end and dies before it can do anything else.
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
    expect((await stateDoc(8110))!.inbox).toEqual([]);
    const next = worker(tb, { instance, boot: "life-2" });
    expect(await next.recover({ earlierLives: true })).toBe(0);
    expect(tb.api.textsTo(8110)).toHaveLength(replies);
    // Still at the location step: a shared location is taken as the location.
    await sim.location(35.8327, 50.9915);
    expect(sim.lastReply()).toContain("عکس");
    expect(sim.lastReply()).not.toContain("محل مشکل کجاست؟");
  });

  it("a row whose state its own handling saved (by a holder that had lost it) is not applied again when taken over", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(8111, { viaInbox: true });
    await sim.text("/new");
    await sim.press("زباله و نظافت");
    // The description, recorded by a life that lost its lease while handling it: its state write
    // saved the state (marked with the update) but could not settle a row that was no longer its own.
    const update = textUpdate(8111, "زباله‌ها سه روز است جمع نشده است");
    const slow = { instance: "slow", boot: "s1" };
    const [row] = await recordUpdates("telegram", [onState(update)], slow, tb.clock.now, 1_000);
    const doc = await stateDoc(8111);
    await BotState.collection.updateOne({ _id: stateDocOf(8111) as never }, { $set: { event: row!.id } });
    tb.clock.now = new Date(tb.clock.now.getTime() + 2_000);
    const replies = tb.api.textsTo(8111).length;
    const next = worker(tb, { instance: "next", boot: "n1" });
    expect(await next.recover()).toBe(1);
    await next.idle();
    expect(tb.api.textsTo(8111)).toHaveLength(replies);
    expect(await inboxStatus(row!.id)).toBe("done");
    expect((await stateDoc(8111))!.value).toBe(doc!.value);
  });

  it("another instance's row is taken over only after its lease has run out", async () => {
    const tb = createTestBot();
    const update = textUpdate(8105, "/help");
    await recordUpdates("telegram", [onState(update)], { instance: "dead-host", boot: "x" }, tb.clock.now, 60_000);
    const me = worker(tb, { instance: "live-host", boot: "y" });
    expect(await me.recover({ earlierLives: true })).toBe(0);
    tb.clock.now = new Date(tb.clock.now.getTime() + 61_000);
    expect(await me.recover()).toBe(1);
    await me.idle();
    expect(tb.api.textsTo(8105).length).toBeGreaterThan(0);
    expect(await inboxStatus(rowId(update))).toBe("done");
  });

  it("two instances sweeping at once never take the same row", async () => {
    const tb = createTestBot();
    // Ten chats with two rows each: a chat's rows in order.
    const updates = Array.from({ length: 20 }, (_, i) => textUpdate(8200 + (i % 10), "/help"));
    await recordUpdates("telegram", updates.map(onState), { instance: "gone", boot: "g" }, tb.clock.now, 1_000);
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
    for (const u of updates) expect(await inboxStatus(rowId(u))).toBe("done");
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
    expect((await stateDoc(8106))!.inbox).toMatchObject([{ status: "pending", attempts: 1, lastError: "TypeError" }]);
    // Not retried before its wait is over.
    expect(await me.recover()).toBe(0);
    for (let attempt = 2; attempt <= INBOX_MAX_ATTEMPTS; attempt++) {
      tb.clock.now = new Date(tb.clock.now.getTime() + 15 * 60_000);
      expect(await me.recover()).toBe(1);
      await me.idle();
    }
    expect(calls).toBe(INBOX_MAX_ATTEMPTS);
    const row = await Inbox.findById(rowId(update)).lean();
    expect(row).toMatchObject({ status: "parked", attempts: INBOX_MAX_ATTEMPTS, lastError: "TypeError" });
    expect((await stateDoc(8106))!.inbox).toEqual([]);
    // Never retried again.
    tb.clock.now = new Date(tb.clock.now.getTime() + 24 * 3_600_000);
    expect(await me.recover({ collection: true })).toBe(0);
    const parked = await parkedUpdates();
    expect(parked.count).toBe(1);
    expect(parked.rows[0]).toMatchObject({ id: rowId(update), attempts: INBOX_MAX_ATTEMPTS, lastError: "TypeError" });
  });

  it("an update whose handler kills the process every time is parked after the attempts, not taken over forever", async () => {
    const tb = createTestBot();
    const update = textUpdate(8107, "/help");
    const instance = "crashy";
    await recordUpdates("telegram", [onState(update)], { instance, boot: "0" }, tb.clock.now, 60_000);
    // Each life takes it over and dies while handling it (the row stays working under its boot).
    for (let life = 1; life < INBOX_MAX_ATTEMPTS; life++) {
      const never = new Promise<void>(() => undefined);
      const w = worker(tb, { instance, boot: String(life) }, () => never);
      expect(await w.recover({ earlierLives: true })).toBe(1);
    }
    const last = worker(tb, { instance, boot: "last" });
    expect(await last.recover({ earlierLives: true })).toBe(0);
    expect(await inboxStatus(rowId(update))).toBe("parked");
    expect((await Inbox.findById(rowId(update)).lean())!.lastError).toMatch(/interrupted 5 times/);
    expect(tb.api.textsTo(8107)).toHaveLength(0);
  });

  it("erasure removes a chat's unfinished rows wherever they wait (its own document, a group member's, the collection)", async () => {
    const tb = createTestBot();
    const mine = textUpdate(8140, "call me on 0912 000 5001");
    const inGroup: InboxUpdate = {
      ...onState(textUpdate(8140, "۰۹۱۲")),
      stateDoc: "conversation:telegram:-100500:8140",
    };
    const legacy = textUpdate(8140, "old");
    const someoneElse = textUpdate(8141, "/help");
    const holder = { instance: "gone", boot: "g" };
    await recordUpdates("telegram", [onState(mine), inGroup, onState(someoneElse)], holder, tb.clock.now, 60_000);
    await recordUpdates("telegram", [inCollection(legacy)], holder, tb.clock.now, 60_000);
    expect(await countUnfinished("telegram", [8140])).toBe(3);
    expect(await deleteChatUpdates("telegram", [8140])).toBe(3);
    expect(await countUnfinished("telegram", [8140])).toBe(0);
    expect(JSON.stringify(await BotState.collection.find({}).toArray())).not.toContain("0912");
    expect(await countUnfinished("telegram")).toBe(1);
  });
});
