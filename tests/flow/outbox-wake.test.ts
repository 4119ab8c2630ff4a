import { afterEach, describe, expect, it, vi } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot } from "../support/test-bot.ts";
import { fillReport } from "../support/intake-steps.ts";
import { OutboxDispatcher } from "../../bot/outbox/dispatcher.ts";
import { Outbox } from "../../models/infra/outbox.ts";

useTestDb({ cleanEach: true });

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * An idle dispatcher polls every 30 s at most (tests/unit/dispatcher-idle.test.ts): what this process
 * queues must wake it, or a quiet desk's new case would reach its staff group up to 30 s late.
 */
describe("rows queued by this process wake its outbox dispatcher", () => {
  it("the form's Submit wakes it once, with the staff card queued; the steps before do not", async () => {
    const wakes = vi.spyOn(OutboxDispatcher.prototype, "wakeUp");
    const tb = createTestBot();
    const sara = tb.citizen(7301, { firstName: "Sara" });
    await fillReport(tb, sara);
    expect(wakes).not.toHaveBeenCalled();
    let queuedAtWake = -1;
    wakes.mockImplementation(() => {
      void Outbox.countDocuments({ kind: "staff_card" }).then((n) => (queuedAtWake = n));
    });
    await sara.press("✅ ثبت");
    expect(wakes).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(queuedAtWake).toBe(1));
  });
});
