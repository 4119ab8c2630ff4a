import { describe, expect, it, vi } from "vitest";
import { picture } from "../support/broken-picture.ts";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, type TestBot } from "../support/test-bot.ts";
import { h, seedReport, seedWeek, WEEK_TO } from "../support/seed-reports.ts";
import { runJob } from "../../bot/cron/run-job.ts";
import { queueJobMessage } from "../../models/infra/job-outbox.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { performanceFor } from "../../models/report/stats.ts";
import { tablePayloads } from "../../views/weekly-table/payload.ts";

// The weekly table when its picture cannot be drawn (a broken font or SVG): the managers still get the figures.
vi.mock("../../views/weekly-table/image.ts", async (importOriginal) =>
  (await import("../support/broken-picture.ts")).brokenPictureModule(await importOriginal()),
);

useTestDb({ cleanEach: true });

const MANAGERS = -1003000000001;

async function weeklyTable(tb: TestBot) {
  const outcome = await runJob("weekly-table", { config: tb.config }, { at: WEEK_TO, holder: "test-instance" });
  if (!outcome.ran) throw new Error(`weekly-table did not run: ${outcome.reason}`);
  tb.clock.now = WEEK_TO;
  picture.broken = true;
  try {
    await tb.dispatcher.drainOnce();
  } finally {
    picture.broken = false;
  }
  return tb.api.calls
    .filter((c) => c.method.startsWith("send"))
    .map((c) => ({ method: c.method, text: String(c.payload.text ?? c.payload.caption ?? "") }));
}

describe("weekly table whose picture cannot be rendered", () => {
  it("a short table: the picture's row sends the text instead (with the legend); nothing is sent twice", async () => {
    const tb = createTestBot({ MANAGERS_CHAT_ID: String(MANAGERS), DEFAULT_LOCALE: "en" });
    await seedWeek();
    const sent = await weeklyTable(tb);
    expect(sent.map((s) => s.method)).toEqual(["sendMessage", "sendMessage"]);
    expect(sent[0]!.text.startsWith("<b>📈 Weekly performance by region</b>\n")).toBe(true);
    expect(sent[0]!.text).toContain("<b>Total</b>\nin 8 · done 5 · on time 60%\n");
    expect(sent[0]!.text).toContain("\n\nin / done: cases received / resolved.\n");
    expect(sent[1]!.text.startsWith("<b>📈 Weekly performance by department</b>\n")).toBe(true);
  });

  it("a long table: the picture's row gives up with the reason, the text row sends the figures", async () => {
    const tb = createTestBot({ MANAGERS_CHAT_ID: String(MANAGERS), DEFAULT_LOCALE: "en" });
    await seedWeek();
    for (let i = 1; i <= 12; i++)
      await seedReport({ regionKey: `z${String(i).padStart(2, "0")}`, department: "roads", createdAt: h(100) });
    const sent = await weeklyTable(tb);
    expect(sent.map((s) => s.method)).toEqual(["sendMessage", "sendMessage"]);
    expect(sent[0]!.text).toContain("<b>z12</b>\nin 1 · done 0 · on time —\n");
    const photoRow = await Outbox.findOne({ _id: /^job:weekly-table:1-regions-1-photo:/ }).lean();
    expect([photoRow?.status, photoRow?.lastError]).toEqual([
      "failed",
      "the table picture could not be rendered; the text part carries the figures (Error)",
    ]);
  });
});

describe("weekly table rows queued before the picture existed", () => {
  it("a row without a part still sends its text", async () => {
    const tb = createTestBot({ MANAGERS_CHAT_ID: String(MANAGERS), DEFAULT_LOCALE: "en" });
    await seedWeek();
    const [payload] = tablePayloads(
      await performanceFor({ from: new Date(WEEK_TO.getTime() - 7 * 86_400_000), to: WEEK_TO }, WEEK_TO),
    );
    await queueJobMessage({
      id: "job:weekly-table:1-regions:old",
      chat: { platform: "telegram", chatId: MANAGERS },
      kind: "weekly_table",
      locale: "en",
      payload: { ...payload! },
      now: WEEK_TO,
    });
    tb.clock.now = WEEK_TO;
    await tb.dispatcher.drainOnce();
    const sent = tb.api.calls.filter((c) => c.method.startsWith("send"));
    expect(sent.map((c) => c.method)).toEqual(["sendMessage"]);
    expect(String(sent[0]!.payload.text)).toContain("<b>District 1 (north-west)</b>\nin 4 · done 2 · on time 50%\n");
  });
});
