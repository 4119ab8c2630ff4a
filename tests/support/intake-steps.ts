import type { ChatSim } from "./chat-sim.ts";
import type { TestBot } from "./test-bot.ts";
import { createI18n, translator } from "../../core/i18n.ts";

const fa = translator(createI18n("fa"), "fa");
/** The prompt after the description and any extra questions: how the helper knows the questions are over. */
const ASK_LOCATION = fa("ask-location");
const SKIP_QUESTION = fa("attribute-skip-button");

export interface ReportInput {
  category?: string;
  description?: string;
  location?: { lat: number; lon: number } | { address: string };
  photos?: { fileId: string; bytes: Uint8Array }[];
  phone?: string | null;
  /**
   * Answers to the category's extra questions, in order: a text to type, or a button to press (a
   * multiple choice takes several presses, then its Done). Questions left over are skipped.
   */
  attributes?: (string | { press: string })[];
}

/** Karaj city centre: inside the default service area. */
export const KARAJ = { lat: 35.8327, lon: 50.9915 };

/** Drives the form up to the summary (Persian labels), answering every step. */
export async function fillReport(tb: TestBot, sim: ChatSim, input: ReportInput = {}): Promise<void> {
  await sim.text("/new");
  await sim.press(input.category ?? "نشت آب و فاضلاب");
  await sim.text(input.description ?? "لوله آب جلوی مدرسه شکسته است");
  await answerQuestions(sim, input.attributes ?? []);
  const where = input.location ?? KARAJ;
  if ("address" in where) await sim.text(where.address);
  else await sim.location(where.lat, where.lon);
  const photos = input.photos ?? [];
  for (const p of photos) {
    tb.api.addFile(p.fileId, p.bytes);
    await sim.photo(p.fileId, p.bytes.byteLength);
  }
  if (photos.length === 0) await sim.press("⏭ بدون عکس");
  else if (photos.length < 3) await sim.press("✅ تمام");
  if (input.phone) await sim.contact(input.phone);
  else await sim.text("رد شدن");
}

/** Answers (or skips) the category's extra questions until the form asks for the location. */
export async function answerQuestions(sim: ChatSim, answers: readonly (string | { press: string })[]): Promise<void> {
  const left = [...answers];
  for (let asked = 0; sim.lastReply() !== ASK_LOCATION; asked++) {
    if (asked > 20) throw new Error(`the form never reached the location step; last reply: ${sim.lastReply()}`);
    const answer = left.shift();
    if (answer === undefined) await sim.press(SKIP_QUESTION);
    else if (typeof answer === "string") await sim.text(answer);
    else await sim.press(answer.press);
  }
  if (left.length > 0) throw new Error(`${left.length} answer(s) left over: the category asked fewer questions`);
}

/** Fills the form and submits it; returns the tracking code (digits only). */
export async function fileReport(tb: TestBot, sim: ChatSim, input: ReportInput = {}): Promise<string> {
  await fillReport(tb, sim, input);
  await sim.press("✅ ثبت");
  const m = /کد رهگیری: \u200e(\d{4})-(\d{4})/.exec(sim.lastReply());
  if (!m) throw new Error(`no tracking code in: ${sim.lastReply()}`);
  return `${m[1]}${m[2]}`;
}
