import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, STAFF_CHAT, type TestBot } from "../support/test-bot.ts";
import { fileReport } from "../support/intake-steps.ts";
import type { InjectedError } from "../support/fake-bot-api.ts";
import { Report } from "../../models/report/report.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { ltr } from "../../core/format.ts";
import { loadCpusWhileFileRuns } from "../support/cpu-load.ts";

useTestDb({ cleanEach: true });

// Both cores busy: a drill that passes only on an idle machine proves timing, not design.
loadCpusWhileFileRuns(2);

const OMID = 900;
const CITIZENS = [7001, 7002, 7003, 7004];
const SEND_METHODS = new Set(["sendMessage", "sendPhoto", "sendMediaGroup", "sendLocation"]);
/** retry_after 0: auto-retry repeats the direct reply at once (the drill must not sleep for real). */
const TOO_MANY_NOW: InjectedError = {
  error_code: 429,
  description: "Too Many Requests: retry after 0",
  retry_after: 0,
};
const TOO_MANY: InjectedError = { error_code: 429, description: "Too Many Requests: retry after 7", retry_after: 7 };
const BAD_GATEWAY: InjectedError = { error_code: 502, description: "Bad Gateway" };

/** A storm on every method: 429s, 5xx and dropped connections, interleaved. */
function storm(tb: TestBot, rounds: number): void {
  for (let i = 0; i < rounds; i++) {
    tb.api.fail("*", TOO_MANY, 2);
    tb.api.fail("*", BAD_GATEWAY, 1);
    tb.api.fail("*", "network", 1);
  }
}

/** What a running dispatcher does over the next hours: passes with the clock moving past every retry_after and backoff. */
async function drainThroughStorm(tb: TestBot): Promise<number> {
  let passes = 0;
  while ((await Outbox.countDocuments({ status: { $in: ["pending", "sending"] } })) > 0) {
    await tb.dispatcher.drainOnce();
    tb.clock.now = new Date(tb.clock.now.getTime() + 31 * 60_000);
    if (++passes > 50) throw new Error("the outbox did not drain");
  }
  return passes;
}

/** Successful sends per chat since log index `from`, in order. */
function sentTexts(tb: TestBot, chatId: number, from: number): string[] {
  return tb.api.log
    .slice(from)
    .filter((c) => SEND_METHODS.has(c.method) && Number(c.payload.chat_id) === chatId)
    .map((c) => String(c.payload.text ?? c.payload.caption ?? ""));
}

describe("Bot API 429 storm, 5xx and network failures during a busy flow", () => {
  it(
    "direct replies arrive through auto-retry; every card and notification arrives exactly once, in order per chat",
    { timeout: 120_000 },
    async () => {
      await upsertStaff({ platform: "telegram", userId: OMID, name: "Omid", role: "admin", regions: [] });
      const tb = createTestBot();
      const omid = tb.member(OMID, STAFF_CHAT, { firstName: "Omid" });

      // 1. Citizens file reports while every few calls hit a 429 (auto-retry on direct replies).
      const codes: string[] = [];
      for (const [i, id] of CITIZENS.entries()) {
        tb.api.fail("*", TOO_MANY_NOW, 3);
        if (i === 0) tb.api.fail("*", "network", 1); // one dropped connection: auto-retry's 3 s backoff
        const sim = tb.citizen(id);
        codes.push(await fileReport(tb, sim, { location: { address: `کرج، خیابان ${i + 1}، پلاک ${i + 10}` } }));
        expect(sim.replies().filter((r) => r.includes("کد رهگیری"))).toHaveLength(1);
      }
      expect(tb.api.calls.filter((c) => c.method.startsWith("!")).length).toBeGreaterThanOrEqual(12);
      expect(await Report.countDocuments({})).toBe(CITIZENS.length);

      // 2. The cards go out through a storm.
      const logStart = tb.api.log.length;
      storm(tb, 2);
      await drainThroughStorm(tb);
      const cards = sentTexts(tb, STAFF_CHAT, logStart);
      expect(cards).toHaveLength(CITIZENS.length);
      // Filing order is card order, each card once.
      expect(cards.map((t) => codes.findIndex((c) => t.includes(formatCode(c))))).toEqual([0, 1, 2, 3]);

      // 3. Staff work the cases while replies hit 429s; the citizens' notifications go out through another storm.
      for (const r of await Report.find({}).sort({ createdAt: 1 }).lean()) {
        tb.api.fail("*", TOO_MANY_NOW, 2);
        await omid.callback(`c:${String(r._id)}:take`);
        await omid.callback(`c:${String(r._id)}:progress`);
      }
      const statuses = await Report.find({}).lean();
      expect(statuses.map((r) => r.status)).toEqual(CITIZENS.map(() => "in_progress"));
      storm(tb, 2);
      await drainThroughStorm(tb);

      expect(await Outbox.countDocuments({ status: { $ne: "sent" } })).toBe(0);
      for (const [i, id] of CITIZENS.entries()) {
        const code = ltr(formatCode(codes[i]!));
        expect(sentTexts(tb, id, logStart)).toEqual([
          `خبر تازه درباره گزارش ${code}: به کارشناس واگذار شد.`,
          `خبر تازه درباره گزارش ${code}: در حال رسیدگی.`,
        ]);
      }
      // Nothing more once everything is sent.
      const total = tb.api.log.length;
      tb.clock.now = new Date(tb.clock.now.getTime() + 24 * 3_600_000);
      expect(await tb.dispatcher.drainOnce()).toBe(0);
      expect(tb.api.log.length).toBe(total);
      // The storm really hit the dispatcher: failed attempts were recorded and retried.
      const retried = await Outbox.countDocuments({ attempts: { $gt: 1 } });
      expect(retried).toBeGreaterThan(0);
    },
  );
});
