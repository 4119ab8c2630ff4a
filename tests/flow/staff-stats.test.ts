import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot } from "../support/test-bot.ts";
import { seedWeek, WEEK_TO } from "../support/seed-reports.ts";
import { upsertStaff } from "../../models/staff.ts";
import { parseDays } from "../../handlers/staff/stats.ts";

useTestDb({ cleanEach: true });

const CHAT = -1005000000001;
const pre = (html: string) => /<pre>([\s\S]*)<\/pre>/.exec(html)![1]!.split("\n");
// Figures of the seeded week (see tests/support/seed-reports.ts for how they are worked out); it has
// no field visits, so nothing is visited and none of the resolved cases had an on-site visit (0 %).
const HEADER = "     in   done  1st h  fix h   SLA%   late  stars  visit  site%";
const R1 = "      4      2      2     45    50%      2    4.0      0     0%";
const R2 = "      3      3      1     20    67%      0    4.5      0     0%";

describe("/stats", () => {
  it("an official sees the table of their own region; a manager the whole city; any period up to 90 days", async () => {
    await seedWeek();
    await upsertStaff({ platform: "telegram", userId: 1, name: "Omid", role: "official", regions: ["r1"] });
    await upsertStaff({ platform: "telegram", userId: 2, name: "Mina", role: "manager", regions: ["r1"] });
    const tb = createTestBot({ DEFAULT_LOCALE: "en" });
    tb.clock.now = WEEK_TO;
    const omid = tb.member(1, CHAT, { languageCode: "en" });
    await omid.text("/stats");
    const [regions, departments] = omid.replies().slice(-2);
    expect(regions!.startsWith("<b>📊 Performance by region, last 7 days</b>\n")).toBe(true);
    expect(pre(regions!)).toEqual([HEADER, "District 1 (north-west)", R1, "Total", R1]);
    expect(pre(departments!)).toEqual([HEADER, "Roads", R1, "Total", R1]);

    const mina = tb.member(2, CHAT, { languageCode: "en" });
    await mina.text("/stats 7d");
    expect(pre(mina.replies().at(-2)!)).toEqual([
      HEADER,
      "District 1 (north-west)",
      R1,
      "District 2 (north-east)",
      R2,
      "No region",
      "      1      0      —      —      —      0      —      0      —",
      "Total",
      "      8      5    1.5     20    60%      2    4.3      0     0%",
    ]);
    // 30 days also take in K, the old r1 case (filed h-300, first response 1 h, resolved after 100 h,
    // late, 1 star): received 5; first responses 1 1 2 4 → 1.5; fixes 10 80 100 → 80; 1 of 3 in SLA; (5+3+1)/3.
    await mina.text("/stats ۳۰d");
    expect(mina.replies().at(-2)!.startsWith("<b>📊 Performance by region, last 30 days</b>")).toBe(true);
    expect(pre(mina.replies().at(-2)!)[2]).toBe("      5      3    1.5     80    33%      2    3.0      0     0%");
  });

  it("refuses a bad period and people who are not staff", async () => {
    const tb = createTestBot();
    await upsertStaff({ platform: "telegram", userId: 1, name: "Omid", role: "official", regions: ["r1"] });
    const omid = tb.member(1, CHAT);
    await omid.text("/stats forever");
    expect(omid.lastReply()).toBe("/stats یا /stats 7d یا /stats 30d را بفرستید (هر تعداد روز تا ۹۰).");
    const stranger = tb.member(3, CHAT);
    await stranger.text("/stats");
    expect(stranger.lastReply()).toBe("این کار فقط برای کارکنان ثبت‌شده مجاز است.");
    expect([parseDays(""), parseDays("30d"), parseDays("۷"), parseDays("0d"), parseDays("91d"), parseDays("7w")]).toEqual([7, 30, 7, null, null, null]);
  });
});
