import type { Update } from "grammy/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HttpBotApi } from "../support/http-bot-api.ts";
import { until, type Child } from "../support/child-process.ts";
import { startBot, untilAsync, withDb } from "../support/bot-process.ts";
import { useTestDb } from "../support/test-db.ts";
import { Report } from "../../models/report.ts";
import { Outbox } from "../../models/outbox.ts";

const { uri, dbName } = useTestDb();

const TOKEN = "444444:kill9-drill-token";
const STAFF = -1004440001;
const CITIZEN = 7441;
const api = new HttpBotApi();
const children: Child[] = [];
let messageId = 1;

const from = { id: CITIZEN, is_bot: false, first_name: "Sara", language_code: "fa" };
const chat = { id: CITIZEN, type: "private", first_name: "Sara" };

function message(extra: Record<string, unknown>): Omit<Update, "update_id"> {
  return { message: { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat, from, ...extra } } as unknown as Omit<Update, "update_id">;
}

function press(label: string): void {
  for (const call of [...api.fake.log].reverse()) {
    if (Number(call.payload.chat_id) !== CITIZEN) continue;
    const markup = call.payload.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined;
    const data = markup?.inline_keyboard?.flat().find((b) => b.text === label)?.callback_data;
    if (data) {
      api.push({ callback_query: { id: `cq${messageId++}`, from, chat_instance: "ci", data, message: { message_id: 1, date: 0, chat, text: "…" } } } as unknown as Omit<Update, "update_id">);
      return;
    }
  }
  throw new Error(`no button ${label}`);
}

const texts = () => api.fake.textsTo(CITIZEN);
async function replyContaining(part: string, after: number): Promise<void> {
  await until(() => texts().slice(after).some((t) => t.includes(part)), `a reply containing "${part}" (replies so far: ${JSON.stringify(texts().slice(-4))})`, 60_000).catch((err: unknown) => {
    throw new Error(`${String(err)}; last replies: ${JSON.stringify(texts().slice(-4))}; bot output: ${children.at(-1)?.output().slice(-1500) ?? ""}`);
  });
}

/** `npm start` as production runs it, long polling the fake Bot API. */
async function startInstance(): Promise<Child> {
  const run = startBot({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.root, MONGODB_URI: withDb(uri, dbName), STAFF_CHAT_ID: String(STAFF), API_THROTTLE: "off" });
  children.push(run);
  await until(() => run.output().includes("bot started (long polling)"), "the bot to start", 60_000);
  return run;
}

async function kill9(run: Child): Promise<void> {
  run.child.kill("SIGKILL");
  await run.exited;
}

beforeAll(() => api.start());
afterEach(() => {
  for (const c of children.splice(0)) c.child.kill("SIGKILL");
});
afterAll(() => api.stop());

describe("kill -9 of the bot process, then restart", () => {
  it("mid-conversation and right after submission: the form resumes, one report, the card sent once", { timeout: 240_000 }, async () => {
    let run = await startInstance();
    let seen = texts().length;
    api.push(message({ text: "/new", entities: [{ type: "bot_command", offset: 0, length: 4 }] }));
    await replyContaining("چه نوع مشکلی", seen);
    seen = texts().length;
    press("زباله و نظافت");
    await replyContaining("شرح دهید", seen);

    // Killed mid-conversation: the next process picks the form up at the description step.
    await kill9(run);
    run = await startInstance();
    seen = texts().length;
    api.push(message({ text: "زباله‌ها سه روز است جمع نشده است" }));
    await replyContaining("محل مشکل کجاست؟", seen);
    api.push(message({ location: { latitude: 35.8327, longitude: 50.9915 } }));
    await replyContaining("عکس", seen);
    press("⏭ بدون عکس");
    await replyContaining("شماره تلفن", seen);
    api.push(message({ text: "رد شدن" }));
    await replyContaining("بررسی کنید", seen);
    seen = texts().length;
    press("✅ ثبت");
    await replyContaining("کد رهگیری", seen);

    // Killed while the dispatcher may be sending the card; the Submit button is pressed again after restart.
    await kill9(run);
    run = await startInstance();
    press("✅ ثبت");
    await untilAsync(async () => (await Outbox.countDocuments({ status: { $ne: "sent" } })) === 0 && (await Outbox.countDocuments({})) > 0, "the outbox to drain", 90_000);
    // The second press was handled (answered) before we count.
    await until(() => api.fake.callsOf("answerCallbackQuery").length >= 4, "the second Submit press to be answered", 30_000);

    expect(await Report.countDocuments({ "citizen.userId": CITIZEN })).toBe(1);
    const code = (await Report.findOne({ "citizen.userId": CITIZEN }).lean())!.code;
    const cards = api.fake.callsOf("sendMessage").filter((c) => Number(c.payload.chat_id) === STAFF);
    // At-least-once is inherent for a row being sent at the kill moment: a second copy would show here.
    expect(cards.map((c) => String(c.payload.text).includes(`${code.slice(0, 4)}-${code.slice(4)}`))).toEqual([true]);
    expect(texts().filter((t) => t.includes("کد رهگیری"))).toHaveLength(1);
    await kill9(run);
  });
});
