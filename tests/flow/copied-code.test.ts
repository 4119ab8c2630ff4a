import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot } from "../support/test-bot.ts";
import { fileReport } from "../support/intake-steps.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { ltr } from "../../core/format.ts";

useTestDb();

/**
 * The submitted message shows "/status <code>" wrapped in LRM marks (issue 14 §1): a citizen who copies it,
 * marks and all, or only the code, must still reach their report.
 */
describe("a command or code copied out of a Persian message", () => {
  it("'/status <code>' copied with its direction marks is the /status command; the code alone with marks is accepted too", async () => {
    const tb = createTestBot();
    const sara = tb.citizen(5301, { firstName: "Sara" });
    const code = await fileReport(tb, sara, { description: "چراغ کوچه خاموش است و شب تاریک است" });
    const submitted = sara.lastReply();
    const line = submitted.split("\n").find((l) => l.includes("/status"))!;
    // Exactly what the message holds between "برای پیگیری، " and " را بفرستید".
    const copied = line.slice(line.indexOf("\u200e/status"), line.lastIndexOf("\u200e") + 1);
    expect(copied).toBe(`\u200e/status ${ltr(formatCode(code))}`);

    // The copy does not start with "/", so no client marks it as a command: the bot still reads it as one.
    await sara.text(copied);
    expect(sara.lastReply()).toContain(ltr(formatCode(code)));
    expect(sara.lastReply()).toContain("دریافت شد");

    await sara.text("/status " + ltr(formatCode(code)));
    expect(sara.lastReply()).toContain("دریافت شد");
  });

  it("leading marks before plain text are dropped without inventing a command", async () => {
    const tb = createTestBot();
    const ali = tb.citizen(5302, { firstName: "Ali" });
    await ali.text("\u200e/nosuchcommand");
    expect(ali.lastReply()).toContain("این دستور را نمی‌شناسم");
  });
});
