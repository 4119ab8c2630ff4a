// Logs carry no message content: the production logger (core/logger.ts) behind a whole desk, with
// the Bot API refusing (400), rate limiting (429) and failing (500) on every kind of outbox row and
// on direct replies, while a citizen with a name, a phone number, a description and an address
// files a report that staff work to the end. Not one of those pieces may reach a log line.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestDesk, STAFF_CHAT, type TestBot, type TestDesk } from "../support/test-bot.ts";
import { drainCardRedraws } from "../support/card-redraws.ts";
import type { InjectedError } from "../support/fake-bot-api.ts";
import { createLogger } from "../../core/logger.ts";
import { runJob } from "../../bot/cron/run-job.ts";
import type { JobName } from "../../bot/cron/jobs.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { Report } from "../../models/report/report.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { encode } from "../../views/buttons/callback-data.ts";
import { tinyPhoto } from "../support/photo-bytes.ts";

useTestDb({ cleanEach: true });

const MANAGERS = -1001370000099;
const OMID = 900; // official
const AZAR = 902; // admin: dead-letter alerts reach her in private
const CITIZEN = 5401;
const HOUR = 3_600_000;

/** The citizen and everything they wrote. */
const FIRST_NAME = "Shirin Kamali";
const USERNAME = "shirin_k1370";
const PHONE = "+989127770011";
const DESCRIPTION = "کیسه‌های زباله سه روز است جلوی ساختمان نسترن مانده‌اند و بوی بدی می‌دهند";
const ADDRESS = "خیابان شهید بهشتی، کوچه نسترن، پلاک ۱۲";
const VENUE = "مجتمع مسکونی نسترن";
const ANSWER = "کیسه‌ها کنار درِ پارکینگ هستند؛ زنگ واحد چهار را بزنید";
const CONTENT = [
  FIRST_NAME,
  "Shirin",
  "Kamali",
  USERNAME,
  PHONE,
  PHONE.slice(3),
  DESCRIPTION,
  "کیسه‌های زباله",
  ADDRESS,
  "شهید بهشتی",
  VENUE,
  ANSWER,
  "زنگ واحد",
];

const ERRORS: Record<400 | 429 | 500, InjectedError> = {
  400: { error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag" },
  429: { error_code: 429, description: "Too Many Requests: retry after 5", retry_after: 5 },
  500: { error_code: 500, description: "Internal Server Error" },
};

interface Captured {
  lines: string[];
  output(): string;
  records(): Record<string, unknown>[];
}

function capture(): Captured {
  const lines: string[] = [];
  return {
    lines,
    output: () => lines.join(""),
    records: () =>
      lines
        .join("")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

function desk(log: Captured): TestDesk {
  // Debug: the per-update lines are checked too.
  const logger = createLogger("debug", { destination: { write: (s: string) => void log.lines.push(s) } });
  return createTestDesk({ MANAGERS_CHAT_ID: String(MANAGERS) }, ["telegram"], {}, { logger });
}

/**
 * While the outbox drains, every row's sends fail as 429, then 500, then 400 (its plain-text
 * retry goes through), per chat: a chat's rows go strictly one after the other, so each row meets
 * all three. In `deadChats` the plain-text retry is refused too: the row dies and its alert goes out.
 */
function faultyOutbox(tb: TestBot, deadChats: Set<number>) {
  const calls = new Map<number, number>();
  let on = false;
  tb.api.onCall((call) => {
    if (!on) return;
    const chat = Number(call.payload.chat_id);
    const n = calls.get(chat) ?? 0;
    calls.set(chat, n + 1);
    const code = ([429, 500, 400, deadChats.has(chat) ? 400 : 0] as const)[n % 4]!;
    if (code) tb.api.fail(call.method, ERRORS[code], 1);
  });
  return {
    /** Sends everything queued, through the faults, moving the clock past each retry's wait. */
    async drain(d: TestDesk): Promise<void> {
      on = true;
      try {
        for (let pass = 0; pass < 200; pass++) {
          await d.dispatcher.drainOnce();
          if ((await Outbox.countDocuments({ status: { $in: ["pending", "sending"] } })) === 0) return;
          d.clock.now = new Date(d.clock.now.getTime() + HOUR);
        }
        throw new Error("the outbox did not drain");
      } finally {
        on = false;
      }
    },
  };
}

async function job(d: TestDesk, name: JobName): Promise<void> {
  const outcome = await runJob(name, { config: d.config }, { at: d.clock.now, holder: "log-privacy" });
  if (!outcome.ran) throw new Error(`${name} did not run`);
}

function expectNoContent(log: Captured): void {
  const out = log.output();
  for (const piece of CONTENT) expect(out, `the logs show "${piece}"`).not.toContain(piece);
  // Her chat's id is her user id: no line names it under any key (a staff group's id may be named).
  // Nor inside a value: a notice's row id ends in its chat (`…:telegram:<chatId>`).
  expect(out, "the logs name the citizen's chat id").not.toMatch(new RegExp(`(":\\s*"?|:)${CITIZEN}\\b`));
}

describe("logs carry no message content", () => {
  it(
    "a whole case under 400, 429 and 500 on every outbox row and on direct replies logs none of the citizen's name, phone, description or address",
    { timeout: 60_000 },
    async () => {
      await upsertStaff({
        platform: "telegram",
        userId: OMID,
        name: "Omid",
        role: "official",
        regions: ["r1", "r2", "r3", "r4"],
      });
      await upsertStaff({ platform: "telegram", userId: AZAR, name: "Azar", role: "admin" });
      const log = capture();
      const d = desk(log);
      d.clock.now = new Date("2026-06-01T06:00:00Z");
      const tb = d.on("telegram");
      const outbox = faultyOutbox(tb, new Set([CITIZEN]));
      const shirin = tb.citizen(CITIZEN, { firstName: FIRST_NAME, username: USERNAME });
      const omid = tb.member(OMID, STAFF_CHAT, { firstName: "Omid" });
      const photo = tinyPhoto("ph-1");

      // The form's summary (description, address, phone) is refused, rate limited to the end, failed
      // to the end: each time the form is lost (the reply failed for good) and the citizen starts
      // again. retry_after 0 lets auto-retry repeat at once instead of its 3 s backoff; the error it
      // ends with is the same.
      tb.api.addFile("ph-1", photo);
      const upToContact = async () => {
        // She tries again a while later (and stays under the flood guard's 20 updates a minute).
        d.clock.now = new Date(d.clock.now.getTime() + 10 * 60_000);
        await shirin.text("/new");
        await shirin.press("زباله و نظافت");
        await shirin.text(DESCRIPTION);
        await shirin.venue(35.8327, 50.9915, VENUE, ADDRESS);
        await shirin.photo("ph-1", photo.byteLength);
        await shirin.press("✅ تمام");
      };
      for (const [failure, times] of [
        [ERRORS[400], 1],
        [{ ...ERRORS[429], retry_after: 0 }, 4],
        [{ ...ERRORS[500], retry_after: 0 }, 4],
      ] as const) {
        await upToContact();
        tb.api.fail("sendMessage", failure, times);
        await shirin.contact(PHONE);
        expect(shirin.lastReply()).toBe("در سامانه خطایی رخ داد. لطفاً دوباره تلاش کنید.");
      }
      await upToContact();
      await shirin.contact(PHONE);
      expect(shirin.lastReply()).toContain(DESCRIPTION);
      await shirin.press("✅ ثبت");
      const report = (await Report.findOne({ "citizen.userId": CITIZEN }).lean())!;
      expect(report).toMatchObject({
        description: DESCRIPTION,
        address: ADDRESS,
        venueTitle: VENUE,
        citizen: { name: FIRST_NAME, phone: PHONE },
      });

      // Photos, card and location to the staff chat: one row. The cycle's 400 on the photos has them
      // skipped (a refused photo does not hold the card back), so the card meets a 500 of its own.
      tb.api.fail("sendMessage", ERRORS[500], 1);
      await outbox.drain(d);

      // Omid takes the case (the card edit is refused: a new card is posted), asks the citizen,
      // she answers, he writes to her and resolves it. The card went out as plain text (its HTML
      // was refused), without buttons: he presses what they carry.
      const id = report._id.toHexString();
      // Card redraws go through the outbox; each is sent right after its action without the faults
      // (as the direct edits they replaced were), so the faults' per-chat cycle still meets every
      // row of the kinds checked below.
      tb.api.fail("editMessageText", ERRORS[400], 1);
      await omid.callback(encode("card", { reportId: id, action: "take" }));
      await omid.callback(encode("card", { reportId: id, action: "ask" }));
      await omid.text("کیسه‌ها دقیقاً کجا هستند؟");
      await drainCardRedraws(d);
      await outbox.drain(d);
      await shirin.text(ANSWER);
      await outbox.drain(d);
      await omid.callback(encode("card", { reportId: id, action: "note" }));
      await omid.text("تیم نظافت امروز اعزام می‌شود");
      await drainCardRedraws(d);
      await outbox.drain(d);

      // Overdue: reminders, an escalation and the digest.
      d.clock.now = new Date(d.clock.now.getTime() + 72 * HOUR);
      await job(d, "reminders");
      await job(d, "escalations");
      await job(d, "daily-digest");
      await outbox.drain(d);

      await omid.callback(encode("card", { reportId: id, action: "resolve" }));
      await omid.text("زباله‌ها جمع‌آوری شد");
      await omid.press("بدون عکس");
      await drainCardRedraws(d);
      await outbox.drain(d);
      d.clock.now = new Date(d.clock.now.getTime() + 80 * HOUR);
      await job(d, "feedback-reminders");
      await outbox.drain(d);

      expectNoContent(log);

      // Not vacuous: the failures happened and were logged, for every kind of row.
      const records = log.records();
      const failed = records
        .filter((r) => r.msg === "update handling failed")
        .map((r) => (r.err as { error_code?: number }).error_code);
      expect(failed).toEqual(expect.arrayContaining([400, 429, 500]));
      const seen = new Map<string, Set<unknown>>();
      for (const r of records)
        if (typeof r.kind === "string" && r.code !== undefined)
          seen.set(r.kind, (seen.get(r.kind) ?? new Set()).add(r.code));
      // The new-case alert is one row (staff_card: photos, card, pin); each of its messages met a fault.
      const alertMethods = new Set(
        records.filter((r) => r.kind === "staff_card" && r.code !== undefined).map((r) => r.method),
      );
      expect([...alertMethods].sort()).toEqual(["sendLocation", "sendMessage", "sendPhoto"]);
      expect(records.some((r) => r.msg === "new-case photos not sent; the card and pin go without them")).toBe(true);
      const kinds = [
        "staff_card",
        "status_changed",
        "info_request",
        "staff_citizen_reply",
        "case_note",
        "staff_reminder",
        "escalation",
        "daily_digest",
        "resolution",
        "feedback_reminder",
        "outbox_dead_alert",
      ];
      for (const kind of kinds) expect([kind, [...(seen.get(kind) ?? [])].sort()]).toEqual([kind, [400, 429, 500]]);
      expect(records.some((r) => r.msg === "outbox row is dead; alerting the managers and admins")).toBe(true);
      expect(records.some((r) => r.msg === "card edit refused; posting a new card")).toBe(true);
      expect(records.filter((r) => r.msg === "update").length).toBeGreaterThan(20);
    },
  );
});
