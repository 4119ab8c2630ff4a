import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot } from "../support/test-bot.ts";
import { ForgetRequest } from "../../models/forget-request.ts";

useTestDb({ cleanEach: true });

describe("/forgetme", () => {
  it("asks for confirmation, queues one request, and says so when asked again", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(9101);
    await sim.text("/forgetme");
    expect(sim.lastReply()).toContain("اطلاعات شخصی شما حذف شود؟");
    await sim.press("نه، بماند");
    expect(sim.lastReply()).toBe("چیزی تغییر نکرد.");
    expect(await ForgetRequest.countDocuments({})).toBe(0);
    await sim.text("/forgetme");
    await sim.press("🗑 بله، اطلاعاتم حذف شود");
    expect(sim.lastReply()).toBe("درخواست شما ثبت شد. اطلاعات شخصی شما حذف خواهد شد.");
    await sim.press("🗑 بله، اطلاعاتم حذف شود");
    expect(sim.lastReply()).toBe("درخواست قبلی شما در نوبت است.");
    const rows = await ForgetRequest.find({}).lean();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ platform: "telegram", userId: 9101, status: "pending" });
  });
});
