import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Lease } from "../../models/infra/lease.ts";
import { Inbox } from "../../models/infra/inbox.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { Report } from "../../models/report/report.ts";
import { submitReport } from "../../models/report/report-submit.ts";
import { HttpBotApi } from "../support/http-bot-api.ts";
import { useTestDb } from "../support/test-db.ts";
import { runScript, uriFor } from "./run-script.ts";

const { uri, dbName } = useTestDb({ cleanEach: true });
const api = new HttpBotApi();
const MIN = 60_000;

beforeAll(() => api.start());
afterAll(() => api.stop());
beforeEach(() => api.fake.clearCalls());

const env = (over: Record<string, string> = {}) => ({
  MONGODB_URI: uriFor(uri, dbName),
  TELEGRAM_BOT_TOKEN: "123:telegram-secret",
  TELEGRAM_API_ROOT: api.root,
  BALE_BOT_TOKEN: "456:bale-secret",
  BALE_API_ROOT: api.root,
  STAFF_PLATFORM: "telegram",
  STAFF_CHAT_ID: "-100500",
  MANAGERS_CHAT_ID: "-100600",
  ...over,
});
const doctor = (args: string[] = [], over: Record<string, string> = {}) => runScript("doctor", args, env(over));
const lines = (output: string) => output.trimEnd().split("\n");

async function pendingRow(ageMinutes: number): Promise<void> {
  const at = new Date(Date.now() - ageMinutes * MIN);
  await Outbox.collection.insertOne({
    platform: "telegram",
    chatId: 777,
    kind: "status_changed",
    locale: "fa",
    payload: {},
    status: "pending",
    attempts: 0,
    nextAttemptAt: at,
    createdAt: at,
    updatedAt: at,
  });
}

describe("npm run doctor (child process)", { timeout: 90_000 }, () => {
  it("healthy: every line ✓, exit 0; it asked getMe and the chats", async () => {
    await pendingRow(5);
    const r = await doctor();
    expect(r.code).toBe(0);
    expect(lines(r.output)).toEqual([
      "✓ config: valid",
      expect.stringMatching(/^✓ database: reachable, MongoDB \d+\.\d+/),
      "✓ indexes: in sync with the models",
      expect.stringMatching(/^✓ outbox: 1 pending, oldest [56] min old \(limit 30\)$/),
      "✓ parked updates: none",
      "✓ dead letters: none",
      "✓ leases: none stuck",
      `✓ telegram bot: @citizen137_bot (id 42) at ${api.root}`,
      `✓ bale bot: @citizen137_bot (id 42) at ${api.root}`,
      "✓ staff chat: telegram:-100500 reachable, the bot is a member",
      "✓ managers chat: telegram:-100600 reachable, the bot is a member",
    ]);
    expect(api.fake.callsOf("getChatMember").map((c) => c.payload)).toEqual([
      { chat_id: "-100500", user_id: 42 },
      { chat_id: "-100600", user_id: 42 },
    ]);
  });

  it("a rejected token: ✗ token rejected, the chats cannot be checked, exit 1", async () => {
    api.fake.fail("getMe", { error_code: 401, description: "Unauthorized" });
    const r = await doctor([], { BALE_BOT_TOKEN: "" });
    expect(r.code).toBe(1);
    expect(lines(r.output)).toContain("✗ telegram bot: token rejected (401 Unauthorized)");
    expect(lines(r.output)).toContain("✗ staff chat: cannot check telegram:-100500: no working telegram bot");
  });

  it("a stale outbox row, a stuck lease and a missing index: ✗ lines, exit 1; the threshold is an option", async () => {
    await pendingRow(45);
    await Lease.collection.insertOne({
      _id: "job:reminders" as never,
      holder: "host:1",
      until: new Date(Date.now() - 10 * MIN),
      slot: "s",
      lastCompletedSlot: "",
      lastRunAt: null,
    });
    const indexName = (await Report.collection.listIndexes().toArray())
      .map((i) => String(i.name))
      .find((n) => n !== "_id_")!;
    await Report.collection.dropIndex(indexName);
    try {
      const r = await doctor();
      expect(r.code).toBe(1);
      const out = lines(r.output);
      expect(out).toContainEqual(expect.stringMatching(/^✗ outbox: 1 pending, oldest 4[56] min old \(limit 30\)$/));
      expect(out).toContainEqual(expect.stringMatching(/^✗ leases: job:reminders held by host:1 expired /));
      expect(out).toContainEqual(
        expect.stringMatching(new RegExp(`^✗ indexes: reports \\(missing ${indexName} .*\\) — run npm run indexes$`)),
      );

      const lenient = await doctor(["--max-outbox-age-minutes", "60"]);
      expect(lines(lenient.output)).toContainEqual(
        expect.stringMatching(/^✓ outbox: 1 pending, oldest 4[56] min old \(limit 60\)$/),
      );
    } finally {
      await Report.createIndexes();
    }
  });

  it("dead outbox rows: ✗ with their count and the latest 10 (id, kind, platform, when, error), exit 1", async () => {
    const t0 = Date.parse("2025-06-01T09:00:00Z");
    for (let i = 0; i < 12; i++) {
      const at = new Date(t0 + i * MIN);
      await Outbox.collection.insertOne({
        _id: `dead-${String(i).padStart(2, "0")}` as never,
        platform: i % 2 ? "bale" : "telegram",
        chatId: -100500,
        kind: "staff_card",
        locale: "fa",
        payload: {},
        status: "dead",
        attempts: 1,
        lastError: "400 Bad Request: chat not found",
        nextAttemptAt: at,
        deadAt: at,
        alertedAt: at,
        createdAt: at,
        updatedAt: at,
      });
    }
    // A failed row (nothing to send) and an unreachable one are not dead letters.
    await Outbox.collection.insertOne({
      _id: "gone" as never,
      platform: "telegram",
      chatId: 5,
      kind: "status_changed",
      locale: "fa",
      payload: {},
      status: "failed",
      attempts: 1,
      lastError: "report x not found",
      nextAttemptAt: new Date(),
      createdAt: new Date(),
    });
    await Outbox.collection.insertOne({
      _id: "blocked" as never,
      platform: "telegram",
      chatId: 6,
      kind: "status_changed",
      locale: "fa",
      payload: {},
      status: "unreachable",
      attempts: 1,
      lastError: "403 Forbidden",
      nextAttemptAt: new Date(),
      createdAt: new Date(),
    });

    const r = await doctor();
    expect(r.code).toBe(1);
    const listed = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2].map(
      (i) =>
        `dead-${String(i).padStart(2, "0")} (staff_card, ${i % 2 ? "bale" : "telegram"}, ${new Date(t0 + i * MIN).toISOString()}): 400 Bad Request: chat not found`,
    );
    expect(lines(r.output)).toContain(`✗ dead letters: 12 given up: ${listed.join("; ")}; …and 2 more`);
    // Every other check is still fine: the dead letters alone make it exit 1.
    expect(lines(r.output).filter((l) => l.startsWith("✗"))).toHaveLength(1);
  });

  it("parked inbox updates: ✗ with their count, id, when, attempts and error — never the update's content — exit 1", async () => {
    const at = new Date("2025-06-02T10:00:00Z");
    await Inbox.collection.insertOne({
      _id: "telegram:9001" as never,
      platform: "telegram",
      updateId: 9001,
      chatKey: "555",
      chatId: 555,
      update: JSON.stringify({ message: { text: "my number is 09120005001" } }),
      status: "parked",
      attempts: 5,
      lastError: "TypeError",
      receivedAt: at,
      doneAt: null,
    });
    await Inbox.collection.insertOne({
      _id: "telegram:9002" as never,
      platform: "telegram",
      updateId: 9002,
      status: "done",
      attempts: 1,
      lastError: "",
      receivedAt: at,
      doneAt: at,
    });
    const r = await doctor();
    expect(r.code).toBe(1);
    expect(lines(r.output)).toContain(
      "✗ parked updates: 1 set aside: telegram:9001 (received 2025-06-02T10:00:00.000Z, 5 attempts): TypeError",
    );
    expect(r.output).not.toContain("09120005001");
    expect(lines(r.output).filter((l) => l.startsWith("✗"))).toHaveLength(1);
    await Inbox.deleteMany({});
  });

  it("--help, a bad option value, an invalid config, an unreachable database", async () => {
    const help = await doctor(["--help"]);
    expect(help.code).toBe(0);
    expect(lines(help.output)[0]).toBe("Usage: npm run doctor -- [--max-outbox-age-minutes <n>]");
    expect(await doctor(["--max-outbox-age-minutes", "soon"])).toEqual({
      code: 1,
      output: `--max-outbox-age-minutes must be a whole number of minutes, got "soon" (see --help)\n`,
    });
    expect(await doctor([], { TELEGRAM_BOT_TOKEN: "nope" })).toEqual({
      code: 1,
      output: "✗ config: TELEGRAM_BOT_TOKEN: does not look like a bot token (digits:secret)\n",
    });
    const down = await doctor([], { MONGODB_URI: "mongodb://127.0.0.1:1/c137" });
    expect(down.code).toBe(1);
    expect(lines(down.output)[1]).toMatch(/^✗ database: cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:1\/c137: /);
    expect(lines(down.output)).toContain("✓ staff chat: telegram:-100500 reachable, the bot is a member");
  });

  it("job reminders --at a future (Jalali) day queues rows stamped with real time: due now for the dispatcher, and doctor says 0 min old, not a negative age", async () => {
    const now = new Date();
    await submitReport({
      submissionKey: "doctor-future-at",
      platform: "telegram",
      citizen: { userId: 5001, chatId: 5001, name: "Sara", username: "", phone: "", locale: "fa" },
      categoryKey: "water",
      description: "لوله آب شکسته است",
      location: null,
      address: "",
      venueTitle: "",
      photos: [],
      route: { regionKey: "r1", chat: null, needsLocationCheck: false },
      now,
    });
    // 30 days ahead, written as an admin would: the Jalali day in Persian digits (00:00 in Tehran).
    const future = new Intl.DateTimeFormat("fa-IR-u-ca-persian", {
      timeZone: "Asia/Tehran",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    })
      .format(new Date(now.getTime() + 30 * 24 * 60 * MIN))
      .replace(/\//g, "-");
    const job = await runScript("job", ["reminders", "--at", future], { ...env(), TZ_NAME: "Asia/Tehran" });
    expect(job.code).toBe(0);
    expect(job.output).toMatch(/^reminders \S+: queued 1 message, updated 1 case\n/);
    const rows = await Outbox.find({ kind: "staff_reminder" }).lean();
    expect(rows).toHaveLength(1);
    const after = Date.now();
    expect(rows[0]!.createdAt.getTime()).toBeLessThanOrEqual(after);
    expect(rows[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
    expect(rows[0]!.nextAttemptAt.getTime()).toBeLessThanOrEqual(after);
    const r = await doctor();
    expect(lines(r.output)).toContainEqual("✓ outbox: 1 pending, oldest 0 min old (limit 30)");
  });
});
