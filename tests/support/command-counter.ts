import type { Update } from "grammy/types";
import mongoose from "mongoose";
import { ChatSim } from "./chat-sim.ts";
import { createTestDesk, type TestBot } from "./test-bot.ts";
import { fileReport, KARAJ } from "./intake-steps.ts";
import { recordVisitInChat } from "./visit-steps.ts";
import { tinyPhoto } from "./photo-bytes.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { CATEGORY_CACHE_TTL_MS, cacheCategories } from "../../models/geography/category.ts";
import { CITIZEN_PROFILE_TTL_MS, cacheCitizenProfiles } from "../../models/people/citizen.ts";
import { RegionRouter } from "../../models/geography/routing.ts";
import { Region, REGION_NAMES_TTL_MS, cacheRegionNames } from "../../models/geography/region.ts";
import { staffFallbackChat } from "../../core/platforms.ts";

/** What the driver's command-monitoring event carries that a count needs. */
interface StartedEvent {
  commandName: string;
  command: Record<string, unknown>;
}

/** Commands that name their collection under their own name (`{ find: "reports", … }`). */
const NAMED = new Set(["find", "insert", "update", "delete", "findAndModify", "aggregate", "count", "distinct"]);

/** Handshakes, heartbeats and session bookkeeping: the driver's, not the bot's. */
const DRIVER = new Set([
  "hello",
  "isMaster",
  "ismaster",
  "ping",
  "saslStart",
  "saslContinue",
  "endSessions",
  "buildInfo",
]);

/** "collection.command" of one command, e.g. "reports.find"; a command on no collection is "-.<command>". */
export function commandKey(e: StartedEvent): string {
  const target = NAMED.has(e.commandName)
    ? e.command[e.commandName]
    : e.commandName === "getMore"
      ? e.command.collection
      : undefined;
  return `${typeof target === "string" ? target : "-"}.${e.commandName}`;
}

export interface CommandCounts {
  total: number;
  /** "collection.command" → count. */
  byKey: Record<string, number>;
}

/**
 * Counts the MongoDB commands the process sends, at the wire (driver command monitoring): what a
 * MongoDB on another machine would see. The connection must be made with `monitorCommands: true`
 * (tests/support/test-db.ts does; connectDb's `monitorCommands` option) — the driver decides that
 * per connection, when it opens it, so a counter cannot switch it on afterwards.
 */
export class CommandCounter {
  private counts = new Map<string, number>();
  private listening = false;
  private readonly listen = (e: StartedEvent) => {
    if (DRIVER.has(e.commandName)) return;
    const key = commandKey(e);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  };

  start(): this {
    const client = mongoose.connection.getClient();
    if (!client.options.monitorCommands)
      throw new Error("command counter: the connection was made without monitorCommands: true");
    this.counts.clear();
    if (!this.listening) client.on("commandStarted", this.listen);
    this.listening = true;
    return this;
  }

  /** Stops counting; the counts stay readable. */
  stop(): CommandCounts {
    if (this.listening) mongoose.connection.getClient().off("commandStarted", this.listen);
    this.listening = false;
    return this.read();
  }

  read(): CommandCounts {
    const byKey = Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
    return { total: Object.values(byKey).reduce((s, n) => s + n, 0), byKey };
  }

  /** Counts while `run` runs. */
  static async during(run: () => Promise<void>): Promise<CommandCounts> {
    const counter = new CommandCounter().start();
    try {
      await run();
    } finally {
      counter.stop();
    }
    return counter.read();
  }
}

/** Two decimals: a per-update figure. */
const round2 = (n: number) => Math.round(n * 100) / 100;

/** One flow's commands, per update the people in it sent. */
export interface CommandFlow {
  /** Updates the people sent (messages and button presses). */
  updates: number;
  total: number;
  perUpdate: number;
  /** "collection.command" → commands per update, largest first. */
  byKey: Record<string, number>;
}

export interface CommandsResult {
  /** "production": the per-process caches bot/main.ts turns on; "off": as the test desk runs. */
  caches: "production" | "off";
  /** Full citizen reports with a photo, through the inbox, the outbox drained after each. */
  intake: CommandFlow & { reports: number };
  /** One plain form step (the description): the hot path. */
  formStep: CommandFlow;
  /** An official presses Take on the region chat's card, the card redraw sent. */
  staffTake: CommandFlow;
  /** Visit button on the card, then the whole visit in the official's private chat, the outbox drained. */
  fieldVisit: CommandFlow;
  /** The desk with nothing to do: the dispatcher's poll and the inbox sweep running as in production. */
  idle: { seconds: number; total: number; perSecond: number; byKey: Record<string, number> } | null;
  note: string;
}

const REGION_CHAT = -1002000000001;
/** One category each: two open reports of one category at one spot would get the "already reported" prompt. */
const CATEGORIES = ["چاله و خرابی آسفالت", "زباله و نظافت", "فضای سبز و درختان", "حیوانات بلاصاحب", "نشت آب و فاضلاب"];
const OMID = 900;

function flow(counts: CommandCounts, updates: number): CommandFlow {
  const byKey = Object.fromEntries(
    Object.entries(counts.byKey)
      .sort(([, a], [, b]) => b - a)
      .map(([k, n]) => [k, round2(n / updates)]),
  );
  return { updates, total: counts.total, perUpdate: round2(counts.total / updates), byKey };
}

/**
 * A person whose updates go through the inbox, as in production, and are counted. `group`: a
 * member of that group chat (a staff chat) instead of a private chat.
 */
function person(tb: TestBot, userId: number, sent: { n: number }, group?: number): ChatSim {
  return new ChatSim(() => tb.bot, tb.api, userId, {
    firstName: "Sara",
    languageCode: "fa",
    ...(group === undefined ? {} : { group: { id: group, title: "Staff" } }),
    deliver: async (u: Update) => {
      sent.n++;
      await tb.deliver(u);
    },
  });
}

/**
 * Commands between the bot and MongoDB per update, counted at the wire (driver command monitoring;
 * the connection must be made with `monitorCommands: true`). The background loops are not running
 * while a flow is counted: the outbox is drained by one dispatcher pass where the running
 * dispatcher would make one (after each report, after the press, after the visit), without the
 * once-a-minute sweep, so a flow's count holds what its own deliveries cost and no idle polling. The idle cost is measured on its own.
 */
export async function countCommandFlows(
  opts: { reports?: number; idleSeconds?: number; caches?: "production" | "off" } = {},
): Promise<CommandsResult> {
  const caches = opts.caches ?? "production";
  if (caches === "off") return countFlows(opts.reports ?? 5, opts.idleSeconds ?? 5, caches);
  // As bot/main.ts runs the bot: the per-process caches on (the test desk has them off).
  cacheCitizenProfiles(CITIZEN_PROFILE_TTL_MS);
  cacheCategories(CATEGORY_CACHE_TTL_MS);
  cacheRegionNames(REGION_NAMES_TTL_MS);
  try {
    return await countFlows(opts.reports ?? 5, opts.idleSeconds ?? 5, caches);
  } finally {
    cacheCitizenProfiles(0);
    cacheCategories(0);
    cacheRegionNames(0);
  }
}

async function countFlows(reports: number, idleSeconds: number, caches: "production" | "off"): Promise<CommandsResult> {
  await Region.updateOne({ key: "r1" }, { $set: { chat: { platform: "telegram", chatId: REGION_CHAT } } });
  await upsertStaff({ platform: "telegram", userId: OMID, name: "Omid", role: "official", regions: ["r1"] });
  const desk = createTestDesk();
  const tb = desk.on("telegram");
  // The test desk reloads regions on every routing (tests edit them); the bot process keeps them a minute.
  if (caches === "production") tb.app.router = new RegionRouter(staffFallbackChat(desk.config));
  const counter = new CommandCounter();

  // Warm-up (not counted): a fresh process's first update pays one-off costs.
  const warm = person(tb, 7000, { n: 0 });
  await warm.text("/help");

  const intakeSent = { n: 0 };
  counter.start();
  for (let i = 0; i < reports; i++) {
    const sim = person(tb, 7100 + i, intakeSent);
    await fileReport(tb, sim, {
      category: CATEGORIES[i % CATEGORIES.length]!,
      location: KARAJ,
      photos: [{ fileId: `p-${i}`, bytes: tinyPhoto(i) }],
    });
    await desk.dispatcher.drainOnce({ sweep: false });
  }
  const intake = { ...flow(counter.stop(), intakeSent.n), reports };

  // The hot path alone: a citizen part-way through the form sends the description.
  const stepSent = { n: 0 };
  const stepper = person(tb, 7200, { n: 0 });
  await stepper.text("/new");
  await stepper.press("سایر موارد");
  const counting = person(tb, 7200, stepSent);
  counter.start();
  await counting.text("لوله آب جلوی مدرسه شکسته است");
  const formStep = flow(counter.stop(), stepSent.n);

  const takeSent = { n: 0 };
  const omidInGroup = person(tb, OMID, takeSent, REGION_CHAT);
  counter.start();
  await omidInGroup.press("🙋 برعهده می‌گیرم");
  await desk.dispatcher.drainOnce({ sweep: false });
  const staffTake = flow(counter.stop(), takeSent.n);

  const visitSent = { n: 0 };
  const omidInGroupVisit = person(tb, OMID, visitSent, REGION_CHAT);
  const omidDm = person(tb, OMID, visitSent);
  counter.start();
  await omidInGroupVisit.press("📍 ثبت بازدید");
  await recordVisitInChat(tb, omidDm);
  await desk.dispatcher.drainOnce({ sweep: false });
  const fieldVisit = flow(counter.stop(), visitSent.n);

  // Idle: the loops as `npm start` runs them, nothing to do (0 s: not measured).
  let idle: CommandsResult["idle"] = null;
  if (idleSeconds > 0) {
    const inbox = tb.inbox();
    counter.start();
    desk.dispatcher.start();
    inbox.start();
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    await desk.dispatcher.stop();
    inbox.stop();
    const counts = counter.stop();
    idle = {
      seconds: idleSeconds,
      total: counts.total,
      perSecond: round2(counts.total / idleSeconds),
      byKey: counts.byKey,
    };
  }

  return {
    caches,
    intake,
    formStep,
    staffTake,
    fieldVisit,
    idle,
    note: "Counted at the wire (driver command monitoring), per update the people sent; outbox drained by one dispatcher pass per report/action; idle measured separately with the background loops running.",
  };
}
