import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, STAFF_CHAT } from "../support/test-bot.ts";
import { fileReport, KARAJ } from "../support/intake-steps.ts";
import { Report } from "../../models/report/report.ts";
import { upsertStaff } from "../../models/people/staff.ts";

useTestDb({ cleanEach: true });

const RLO = "\u202E";
const PDF = "\u202C";
const LRI = "\u2066";
const PDI = "\u2069";
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const DISGUISES = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

describe("citizen text reaches staff without bidi overrides or control characters", () => {
  it("a description, a typed address and a name with U+202E are stored and shown on the staff card without it", async () => {
    const tb = createTestBot();
    const sara = tb.citizen(5301, { firstName: `${RLO}nimda${PDF}` });
    const code = await fileReport(tb, sara, {
      description: `لوله آب ${RLO}شکسته${PDF} است\u0007 جلوی مدرسه`,
      location: { address: `خیابان ${LRI}آزادی${PDI}، کوچه ۵` },
    });
    const report = (await Report.findOne({ code }).lean())!;
    expect(report.description).toBe("لوله آب شکسته است جلوی مدرسه");
    expect(report.address).toBe("خیابان آزادی، کوچه ۵");
    expect(report.citizen.name).toBe("nimda");

    await tb.dispatcher.drainOnce();
    const card = tb.api.callsOf("sendMessage").find((c) => c.payload.chat_id === STAFF_CHAT)!;
    const text = String(card.payload.text);
    expect(text).toContain("لوله آب شکسته است جلوی مدرسه");
    expect(text).toContain("خیابان آزادی، کوچه ۵");
    expect(text).toContain("nimda");
    expect(text).not.toMatch(DISGUISES);
  });

  it("a venue's title and address from the messenger are cleaned too", async () => {
    const tb = createTestBot();
    const sara = tb.citizen(5302);
    await sara.text("/new");
    await sara.press("نشت آب و فاضلاب");
    await sara.text("لوله آب جلوی مدرسه شکسته است");
    await sara.venue(KARAJ.lat, KARAJ.lon, `${RLO}پارک${PDF}`, `میدان ${RLO}آزادی`);
    await sara.press("⏭ بدون عکس");
    await sara.text("رد شدن");
    await sara.press("✅ ثبت");
    const report = (await Report.findOne({ "citizen.userId": 5302 }).lean())!;
    expect([report.venueTitle, report.address]).toEqual(["پارک", "میدان آزادی"]);
  });

  it("a staff note to the citizen loses its overrides before the citizen sees it", async () => {
    await upsertStaff({ platform: "telegram", userId: 900, name: "Omid", role: "official", regions: ["r1", "r3"] });
    const tb = createTestBot();
    const sara = tb.citizen(5303);
    await fileReport(tb, sara);
    await tb.dispatcher.drainOnce();
    const omid = tb.member(900, STAFF_CHAT, { firstName: "Omid" });
    await omid.press("💬 پیام به شهروند");
    await omid.text(`تیم فنی ${RLO}فردا${PDF} اعزام می‌شود`);
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    expect(sara.replies()).toHaveLength(1);
    expect(sara.lastReply()).toContain("تیم فنی فردا اعزام می‌شود");
    expect(sara.lastReply()).not.toMatch(DISGUISES);
  });
});
