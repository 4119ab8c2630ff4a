import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot } from "../support/test-bot.ts";
import { ForgetRequest } from "../../models/people/forget-request.ts";
import { BotState } from "../../models/infra/kv-store.ts";
import { Report } from "../../models/report/report.ts";
import { KARAJ } from "../support/intake-steps.ts";

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

  it("works in the middle of a report form: 'no' leaves the form where it was; 'yes' leaves the form (and what it held) and queues the request", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(9102);
    await sim.text("/new");
    await sim.press("نشت آب و فاضلاب");
    await sim.text("لوله آب جلوی خانه شماره ۱۲ شکسته است");
    expect(sim.lastReply()).toContain("محل مشکل کجاست؟");

    await sim.text("/forgetme");
    expect(sim.lastReply()).toContain("اطلاعات شخصی شما حذف شود؟");
    await sim.press("نه، بماند");
    expect(sim.lastReply()).toBe("چیزی تغییر نکرد.");
    // Still at the location step: the form takes the answer and moves on to the photos.
    await sim.location(KARAJ.lat, KARAJ.lon);
    expect(sim.replies().slice(-2).join("\n")).toContain("حداکثر ۳ عکس از مشکل بفرستید");

    await sim.text("/forgetme");
    await sim.press("🗑 بله، اطلاعاتم حذف شود");
    expect(sim.lastReply()).toBe("درخواست شما ثبت شد. اطلاعات شخصی شما حذف خواهد شد.");
    expect(await ForgetRequest.countDocuments({ platform: "telegram", userId: 9102, status: "pending" })).toBe(1);
    // The form is gone with the description it held; the next message is not taken as a photo-step answer.
    const state = await BotState.findById("conversation:telegram:9102").lean();
    expect(state?.value ?? null).toBeNull();
    await sim.press("⏭ بدون عکس");
    expect(sim.lastReply()).not.toContain("آیا مایلید شماره تلفن خود را بفرستید");
    expect((await BotState.findById("conversation:telegram:9102").lean())?.value ?? null).toBeNull();
    expect(await Report.countDocuments({})).toBe(0);
  });
});
