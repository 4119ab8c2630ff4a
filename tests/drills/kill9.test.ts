import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { HttpBotApi } from "../support/http-bot-api.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { freePort, until, type Child } from "../support/child-process.ts";
import { startBot, untilAsync, withDb } from "../support/bot-process.ts";
import { loadCpusWhileFileRuns } from "../support/cpu-load.ts";
import { useTestDb } from "../support/test-db.ts";
import { Report } from "../../models/report/report.ts";
import { countUnfinished, Inbox } from "../../models/infra/inbox.ts";
import { tinyPhoto } from "../support/photo-bytes.ts";

/*
 * kill -9 of `npm start` at many moments of a report and of staff actions, in long-polling and
 * in webhook mode, with both cores busy. Each moment is a Bot API call the bot makes (or a
 * delivery it receives): the fake Bot API kills the process the instant the call arrives, before
 * answering it, so the moment is the same on an idle or a loaded machine. After each restart the
 * form must go on at exactly the step the citizen had reached.
 */
const { uri, dbName } = useTestDb();

const TOKEN = "444444:kill9-drill-token";
const STAFF = -1004440001;
const ADMIN = 7449;
const PHOTO = "kill9-photo";
const DESCRIPTION = "زباله‌ها سه روز است جمع نشده است";

// Both cores busy: a drill that passes only on an idle machine proves timing, not design.
const burners = loadCpusWhileFileRuns(2);

type Mode = "polling" | "webhook";

/** What a kill moment watches: a Bot API call arriving from the bot, or updates reaching it. */
type DrillEvent = { call: ApiCall; delivered?: undefined } | { call?: undefined; delivered: Update[] };

class Drill {
  readonly api = new HttpBotApi();
  private run: Child | null = null;
  private messageId = 1;
  private port = 0;
  /** The kill moment armed now: the process dies when a call matching it arrives. */
  private killOn: ((e: DrillEvent) => boolean) | null = null;
  private killedAt = "";
  readonly kills: string[] = [];
  readonly restarts: number[] = [];

  constructor(
    readonly mode: Mode,
    readonly citizen: number,
    /** Each mode reports from its own street: the other's open report would be offered as "the same problem nearby". */
    readonly place: [number, number],
  ) {}

  get from() {
    return { id: this.citizen, is_bot: false, first_name: "Sara", language_code: "fa" };
  }

  get chat() {
    return { id: this.citizen, type: "private", first_name: "Sara" };
  }

  async start(): Promise<void> {
    await this.api.start();
    this.port = await freePort();
    this.api.fake.addFile(PHOTO, tinyPhoto(PHOTO));
    // Before the fake answers a call: the bot never learns whether it went through.
    this.api.fake.onCall((call) => this.maybeKill({ call }));
    // Updates just handed over: recorded in the inbox or not, they must not be lost.
    this.api.onDelivered((delivered) => this.maybeKill({ delivered }));
    await this.boot();
  }

  private maybeKill(e: DrillEvent): void {
    if (!this.killOn || !this.run || !this.killOn(e)) return;
    this.killOn = null;
    this.kills.push(this.killedAt);
    this.run.child.kill("SIGKILL");
  }

  async stop(): Promise<void> {
    this.run?.child.kill("SIGKILL");
    await this.run?.exited;
    await this.api.stop();
  }

  async boot(): Promise<void> {
    const env: Record<string, string> = {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: this.api.root,
      MONGODB_URI: withDb(uri, dbName),
      STAFF_CHAT_ID: String(STAFF),
      ADMIN_USER_IDS: `telegram:${ADMIN}`,
      API_THROTTLE: "off",
      HTTP_PORT: String(this.port),
      INSTANCE_ID: `kill9-${this.mode}`,
    };
    if (this.mode === "webhook") env.WEBHOOK_URL = `http://127.0.0.1:${this.port}`;
    const started = Date.now();
    const run = startBot(env);
    this.run = run;
    await until(
      () => run.output().includes("bot started (") || run.child.exitCode !== null,
      "the bot to start",
      90_000,
    );
    if (!run.output().includes("bot started (")) throw new Error(`the bot did not start: ${run.output().slice(-2000)}`);
    this.restarts.push(Date.now() - started);
  }

  /** Arms a kill moment: the process dies when the first matching event comes. */
  arm(name: string, matches: (e: DrillEvent) => boolean): void {
    this.killedAt = name;
    this.killOn = matches;
  }

  get armed(): boolean {
    return this.killOn !== null;
  }

  disarm(): void {
    this.killOn = null;
  }

  /** Waits for the armed moment to kill the process (or for `ms`: false when it did not come). */
  async died(ms = 90_000): Promise<boolean> {
    const run = this.run!;
    let timer: NodeJS.Timeout | undefined;
    const dead = await Promise.race([
      run.exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
    clearTimeout(timer);
    return dead;
  }

  /** Arms a moment, does `act`, waits for the kill; `next` (if given) is armed before the restart, so a moment of the next life's first work is caught too. */
  async killDuring(
    name: string,
    matches: (e: DrillEvent) => boolean,
    act: () => void,
    next?: [string, (e: DrillEvent) => boolean],
  ): Promise<void> {
    this.arm(name, matches);
    act();
    if (!(await this.died()))
      throw new Error(
        `moment "${name}" never came; citizen's last replies: ${JSON.stringify(this.textsTo(this.citizen).slice(-4))}; bot output: ${this.run!.output().slice(-2500)}`,
      );
    if (next) this.arm(...next);
    await this.boot();
  }

  push(update: Omit<Update, "update_id">): void {
    this.api.push(update);
  }

  text(body: string): void {
    const entities = body.startsWith("/")
      ? [{ type: "bot_command", offset: 0, length: body.split(" ")[0]!.length }]
      : undefined;
    this.push({
      message: {
        message_id: this.messageId++,
        date: Math.floor(Date.now() / 1000),
        chat: this.chat,
        from: this.from,
        text: body,
        ...(entities ? { entities } : {}),
      },
    } as unknown as Omit<Update, "update_id">);
  }

  location(lat: number, lon: number): void {
    this.push({
      message: {
        message_id: this.messageId++,
        date: Math.floor(Date.now() / 1000),
        chat: this.chat,
        from: this.from,
        location: { latitude: lat, longitude: lon },
      },
    } as unknown as Omit<Update, "update_id">);
  }

  photo(): void {
    this.push({
      message: {
        message_id: this.messageId++,
        date: Math.floor(Date.now() / 1000),
        chat: this.chat,
        from: this.from,
        photo: [{ file_id: PHOTO, file_unique_id: `u-${PHOTO}`, width: 800, height: 600, file_size: 2048 }],
      },
    } as unknown as Omit<Update, "update_id">);
  }

  /** Presses the newest button with this label in `chatId` (the citizen's chat, or the staff chat as `user`). */
  press(label: string, chatId = this.citizen, user = this.from): void {
    for (const call of [...this.api.fake.log].reverse()) {
      if (Number(call.payload.chat_id) !== chatId) continue;
      const markup = call.payload.reply_markup as
        { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined;
      const data = markup?.inline_keyboard?.flat().find((b) => b.text === label)?.callback_data;
      if (!data) continue;
      const chat = chatId === this.citizen ? this.chat : { id: chatId, type: "supergroup", title: "Staff" };
      this.push({
        callback_query: {
          id: `cq${this.messageId++}`,
          from: user,
          chat_instance: "ci",
          data,
          message: { message_id: call.messageId ?? 1, date: 0, chat, text: "…" },
        },
      } as unknown as Omit<Update, "update_id">);
      return;
    }
    throw new Error(
      `no button "${label}" in chat ${chatId}; calls there: ${JSON.stringify(this.api.fake.log.filter((c) => Number(c.payload.chat_id) === chatId).map((c) => [c.method, c.payload.reply_markup]))}`,
    );
  }

  textsTo(chatId: number): string[] {
    return this.api.fake.textsTo(chatId);
  }

  async replyContaining(part: string, after: number, chatId = this.citizen): Promise<void> {
    await until(
      () =>
        this.textsTo(chatId)
          .slice(after)
          .some((t) => t.includes(part)),
      `a reply containing "${part}"`,
      90_000,
    ).catch((err: unknown) => {
      throw new Error(
        `${String(err)}; last replies: ${JSON.stringify(this.textsTo(chatId).slice(-4))}; bot output: ${this.run?.output().slice(-2500) ?? ""}`,
      );
    });
  }
}

/** A Bot API call of `method` to the citizen, its text containing `part`. */
const toCitizen = (d: Drill, method: string, part?: string) => (e: DrillEvent) =>
  e.call?.method === method &&
  Number(e.call.payload.chat_id) === d.citizen &&
  (part === undefined || String(e.call.payload.text ?? e.call.payload.caption ?? "").includes(part));
const toStaff = (method: string) => (e: DrillEvent) =>
  e.call?.method === method && Number(e.call.payload.chat_id) === STAFF;
/** The answer to a button press made by `userId`. */
const answerTo = (d: Drill, userId: number) => (e: DrillEvent) =>
  e.call?.method === "answerCallbackQuery" &&
  d.api.updates.find((u) => u.callback_query?.id === e.call!.payload.callback_query_id)?.callback_query?.from.id ===
    userId;
/** The citizen's text update reaching the bot (a getUpdates answer, or a webhook post not yet answered). */
const delivering = (d: Drill, text: string) => (e: DrillEvent) =>
  e.delivered?.some((u) => u.message?.chat.id === d.citizen && u.message.text === text) ?? false;

/** One whole story with a kill at each moment; returns what the drill counted. */
async function story(d: Drill): Promise<Record<string, number>> {
  const admin = { id: ADMIN, is_bot: false, first_name: "Azar", language_code: "fa" };
  let seen = d.textsTo(d.citizen).length;
  const step = async (
    name: string,
    kill: (e: DrillEvent) => boolean,
    act: () => void,
    expectPart: string,
    chatId = d.citizen,
  ) => {
    seen = d.textsTo(chatId).length;
    await d.killDuring(name, kill, act);
    // The update the process died on is taken over from the inbox and handled again.
    await d.replyContaining(expectPart, seen, chatId);
  };

  // Killed as /new reaches the bot (polling: the batch answered; webhook: the post not yet answered).
  await step("/new being delivered", delivering(d, "/new"), () => d.text("/new"), "چه نوع مشکلی");
  await step(
    "category press: button being answered",
    answerTo(d, d.citizen),
    () => d.press("زباله و نظافت"),
    "شرح دهید",
  );
  await step("description being delivered", delivering(d, DESCRIPTION), () => d.text(DESCRIPTION), "محل مشکل کجاست؟");
  await step(
    "location: photo prompt being sent",
    toCitizen(d, "sendMessage", "عکس"),
    () => d.location(...d.place),
    "عکس",
  );
  await step("photo: receipt being sent", toCitizen(d, "sendMessage", "دریافت شد"), () => d.photo(), "دریافت شد");
  await step(
    "photos done: phone prompt being sent",
    toCitizen(d, "sendMessage", "شماره"),
    () => d.press("✅ تمام"),
    "شماره",
  );
  await step(
    "phone skipped: summary being sent",
    toCitizen(d, "sendMessage", "بررسی کنید"),
    () => d.text("رد شدن"),
    "بررسی کنید",
  );
  // Submission: killed while it copies the photo into GridFS; the next life takes the press over and
  // is killed as it sends the tracking code (armed before it starts); the life after that confirms.
  seen = d.textsTo(d.citizen).length;
  await d.killDuring(
    "Submit: photo being downloaded",
    (e) => e.call?.method === "getFile",
    () => d.press("✅ ثبت"),
    ["Submit (taken over): tracking code being sent", toCitizen(d, "sendMessage", "کد رهگیری")],
  );
  // The dispatcher of the dying life may have the card in hand too: the next life is armed for it.
  const staffSeen = d.textsTo(STAFF).length;
  // The card is the message with the case's buttons (its photos go just before it, the pin after).
  const card = (e: DrillEvent) =>
    e.call?.method === "sendMessage" &&
    Number(e.call.payload.chat_id) === STAFF &&
    Boolean(e.call.payload.reply_markup);
  if (!(await d.died())) throw new Error('moment "tracking code being sent" never came');
  d.arm("staff card being posted", card);
  await d.boot();
  await d.replyContaining("کد رهگیری", seen);
  const submitted = await Report.findOne({ "citizen.userId": d.citizen }).lean();
  const code = submitted ? `${submitted.code.slice(0, 4)}-${submitted.code.slice(4)}` : "no report";
  // The card is posted by the dispatcher; a card the dying life got out before its kill leaves nothing to catch.
  if (await d.died(30_000)) await d.boot();
  else d.disarm();
  await d.replyContaining(code, staffSeen, STAFF);
  await until(
    () => d.api.fake.log.some((c) => card({ call: c }) && String(c.payload.text).includes(code)),
    "the card with its buttons",
    90_000,
  );
  // Staff actions from the card: Take (the card is redrawn in place), then In progress (the citizen is told).
  await d.killDuring("Take: card being redrawn", toStaff("editMessageText"), () =>
    d.press("🙋 برعهده می‌گیرم", STAFF, admin),
  );
  await untilAsync(
    async () => (await Report.findOne({ "citizen.userId": d.citizen }).lean())?.status === "assigned",
    "the case to be taken",
  );
  await step(
    "In progress: citizen being told",
    toCitizen(d, "sendMessage", "در حال رسیدگی"),
    () => d.press("🛠 در حال انجام", STAFF, admin),
    "در حال رسیدگی",
  );

  const report = await Report.findOne({ "citizen.userId": d.citizen }).lean();
  const cards = d.api.fake.log.filter(
    (c) =>
      Number(c.payload.chat_id) === STAFF &&
      (c.method === "sendMessage" || c.method === "sendPhoto") &&
      String(c.payload.text ?? c.payload.caption ?? "").includes(code) &&
      Boolean(c.payload.reply_markup),
  );
  const history = report?.history ?? [];
  return {
    kills: d.kills.length,
    reports: await Report.countDocuments({ "citizen.userId": d.citizen }),
    photos: report?.photos.length ?? -1,
    descriptionExact: report?.description === DESCRIPTION ? 1 : 0,
    trackingCodeMessages: d.textsTo(d.citizen).filter((t) => t.includes("کد رهگیری")).length,
    staffCards: cards.length,
    takeEntries: history.filter((h) => h.to === "assigned").length,
    inProgressEntries: history.filter((h) => h.to === "in_progress").length,
    citizenInProgressNotices: d.textsTo(d.citizen).filter((t) => t.includes("در حال رسیدگی")).length,
    unfinishedInbox:
      (await countUnfinished("telegram", [d.citizen])) +
      (await Inbox.countDocuments({ status: "parked", platform: "telegram", chatId: d.citizen })),
    slowestRestartMs: Math.max(...d.restarts),
  };
}

describe.each<[Mode, number, [number, number]]>([
  ["polling", 7441, [35.8327, 50.9915]],
  ["webhook", 7442, [35.8451, 51.0102]],
])(
  "kill -9 of the bot at every moment of a report and of staff actions (%s mode), both cores loaded",
  (mode, citizen, place) => {
    it(
      "resumes at the citizen's step each time: one report, answers never lost nor applied twice, the card at most twice",
      { timeout: 900_000 },
      async () => {
        const d = new Drill(mode, citizen, place);
        await d.start();
        try {
          const counts = await story(d);
          console.log(
            `[kill9 drill] ${mode}, ${burners} CPU burners: ${JSON.stringify(counts)}; moments: ${d.kills.join(" | ")}`,
          );
          expect(counts.kills).toBeGreaterThanOrEqual(10);
          expect(counts.reports).toBe(1);
          expect(counts.photos).toBe(1);
          expect(counts.descriptionExact).toBe(1);
          expect(counts.trackingCodeMessages).toBeGreaterThanOrEqual(1);
          expect(counts.staffCards).toBeGreaterThanOrEqual(1);
          expect(counts.staffCards).toBeLessThanOrEqual(2);
          expect(counts.takeEntries).toBe(1);
          expect(counts.inProgressEntries).toBe(1);
          expect(counts.citizenInProgressNotices).toBeGreaterThanOrEqual(1);
          await untilAsync(
            async () =>
              (await countUnfinished("telegram")) + (await Inbox.countDocuments({ status: { $ne: "done" } })) === 0,
            "every inbox row to be done",
          );
        } finally {
          await d.stop();
        }
      },
    );
  },
);
