import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryMongoServer } from "../../sandbox/mongo/server.ts";
import { prepareDb } from "../../models/infra/db.ts";
import { createTestBot, STAFF_CHAT } from "../support/test-bot.ts";
import { fileReport, fillReport, KARAJ } from "../support/intake-steps.ts";
import { Report } from "../../models/report/report.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { loadCpusWhileFileRuns } from "../support/cpu-load.ts";

// Both cores busy: a drill that passes only on an idle machine proves timing, not design.
loadCpusWhileFileRuns(2);

/**
 * MongoDB stopped mid-flow and started again (issue 8). A dedicated server, not the shared test DB:
 * stop() drops every connection like a crashed mongod; restart() listens again on the same port with
 * the same data. The "10 s" outage is simulated by the updates that arrive while it is down.
 */
const DOWN =
  "سامانه موقتاً در دسترس نیست. لطفاً یک دقیقه دیگر دوباره تلاش کنید؛ چیزی از آنچه فرستاده‌اید از دست نمی‌رود.";
let server: MemoryMongoServer;
const crashes: unknown[] = [];
const onCrash = (reason: unknown) => void crashes.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onCrash);
  server = await MemoryMongoServer.start({ host: "127.0.0.1", port: 0 });
  mongoose.set("bufferCommands", false);
  // A short server selection: during the outage every update fails fast, and the driver finds the server again quickly.
  await mongoose.connect(server.uri, {
    dbName: "outage_drill",
    serverSelectionTimeoutMS: 1_000,
    heartbeatFrequencyMS: 500,
    autoIndex: false,
  });
  await prepareDb();
});

afterAll(async () => {
  process.off("unhandledRejection", onCrash);
  await mongoose.disconnect();
  await server.stop();
});

describe("MongoDB stopped mid-flow and started again", () => {
  it(
    "the citizen is told to retry, nothing is half-written, the form resumes and the outbox drains after recovery",
    { timeout: 120_000 },
    async () => {
      const tb = createTestBot();
      // Before the outage: one report filed (its card waits in the outbox), one citizen mid-form, one at the summary.
      const early = await fileReport(tb, tb.citizen(8101), {
        location: { address: "کرج، خیابان شهید بهشتی، پلاک ۱۲" },
      });
      const sara = tb.citizen(8102);
      await sara.text("/new");
      await sara.press("زباله و نظافت");
      const ali = tb.citizen(8103);
      await fillReport(tb, ali);
      const submit = ali.findButton("✅ ثبت")!;
      expect(await Outbox.countDocuments({ status: "pending" })).toBe(1);
      tb.api.clearCalls();

      await server.stop();
      await sara.text("زباله‌ها سه روز است جمع نشده است");
      expect(sara.lastReply()).toBe(DOWN);
      await sara.location(KARAJ.lat, KARAJ.lon);
      expect(sara.lastReply()).toBe(DOWN);
      await ali.callback(submit);
      expect(tb.api.callsOf("answerCallbackQuery").at(-1)!.payload).toMatchObject({ show_alert: true, text: DOWN });
      // The dispatcher's pass fails (its loop logs and retries); nothing was sent.
      await expect(tb.dispatcher.drainOnce()).rejects.toThrow();
      expect(tb.api.calls.filter((c) => c.payload.chat_id === STAFF_CHAT)).toEqual([]);

      await server.restart();
      // No report was half-written while the database was away.
      expect(await Report.countDocuments({})).toBe(1);
      // Sara's form is still at the description step: she resends and goes on.
      await sara.text("زباله‌ها سه روز است جمع نشده است");
      expect(sara.lastReply()).toContain("محل مشکل کجاست؟");
      await sara.location(KARAJ.lat, KARAJ.lon);
      await sara.press("⏭ بدون عکس");
      await sara.text("رد شدن");
      await sara.press("✅ ثبت");
      expect(sara.lastReply()).toMatch(/کد رهگیری: \u200e\d{4}-\d{4}/);
      // Ali's Submit works now, once.
      await ali.callback(submit);
      expect(ali.lastReply()).toMatch(/کد رهگیری: \u200e\d{4}-\d{4}/);
      await ali.callback(submit);
      expect(await Report.countDocuments({})).toBe(3);
      expect(await Report.countDocuments({ "citizen.userId": 8103 })).toBe(1);
      for (const r of await Report.find({}).lean()) expect(r.description.length).toBeGreaterThanOrEqual(10);

      // The outbox drains after recovery: the early card plus the two new ones, once each.
      await tb.dispatcher.drainOnce();
      expect(await Outbox.countDocuments({ status: { $ne: "sent" } })).toBe(0);
      const cards = tb.api.callsOf("sendMessage").filter((c) => c.payload.chat_id === STAFF_CHAT);
      expect(cards).toHaveLength(3);
      expect(String(cards[0]!.payload.text)).toContain(`${early.slice(0, 4)}-${early.slice(4)}`);
      expect(crashes).toEqual([]);
    },
  );
});
