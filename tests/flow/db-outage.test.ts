import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot } from "../support/test-bot.ts";
import { fillReport } from "../support/intake-steps.ts";
import { Report } from "../../models/report/report.ts";

const { uri, dbName } = useTestDb({ cleanEach: true });

async function outage<T>(during: () => Promise<T>): Promise<T> {
  await mongoose.disconnect();
  try {
    return await during();
  } finally {
    await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 5_000, autoIndex: false });
  }
}

describe("MongoDB unavailable", () => {
  it("mid-form: the citizen is told to try again, nothing is lost, the form resumes afterwards", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(8001);
    await sim.text("/new");
    await sim.press("زباله و نظافت");
    await outage(async () => {
      await sim.text("زباله‌ها سه روز است جمع نشده");
      expect(sim.lastReply()).toBe(
        "سامانه موقتاً در دسترس نیست. لطفاً یک دقیقه دیگر دوباره تلاش کنید؛ چیزی از آنچه فرستاده‌اید از دست نمی‌رود.",
      );
      await sim.callback("r:0000000000:nophoto");
      expect(tb.api.callsOf("answerCallbackQuery").at(-1)!.payload).toMatchObject({
        show_alert: true,
        text: expect.stringContaining("موقتاً در دسترس نیست"),
      });
    });
    // The description step is still waiting.
    await sim.text("زباله‌ها سه روز است جمع نشده");
    expect(sim.lastReply()).toContain("محل مشکل کجاست؟");
  });

  it("at submission: the form stays on the summary and Submit works after recovery", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(8002);
    await fillReport(tb, sim);
    const submit = sim.findButton("✅ ثبت")!;
    await outage(() => sim.callback(submit));
    expect(await Report.countDocuments({})).toBe(0);
    await sim.callback(submit);
    expect(sim.lastReply()).toMatch(/کد رهگیری: \u200e\d{4}-\d{4}/);
    expect(await Report.countDocuments({})).toBe(1);
  });
});
