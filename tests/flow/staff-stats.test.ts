import { PNG } from "pngjs";
import { describe, expect, it, vi } from "vitest";
import { picture } from "../support/broken-picture.ts";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, type TestBot } from "../support/test-bot.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { seedWeek, WEEK_TO } from "../support/seed-reports.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { parseDays } from "../../handlers/staff/stats.ts";

// A render failure on demand: the picture step throws, as a broken font or SVG would.
vi.mock("../../views/weekly-table/image.ts", async (importOriginal) =>
  (await import("../support/broken-picture.ts")).brokenPictureModule(await importOriginal()),
);

useTestDb({ cleanEach: true });

const CHAT = -1005000000001;
// Figures of the seeded week (see tests/support/seed-reports.ts for how they are worked out); it has
// no field visits, so nothing is visited and none of the resolved cases had an on-site visit (0 %).
const R1 = [
  "in 4 · done 2 · on time 50%",
  "1st reply 2 h · fixed in 45 h · late 2",
  "stars 4.0 · visited 0 · on site 0%",
];
const R2 = [
  "in 3 · done 3 · on time 67%",
  "1st reply 1 h · fixed in 20 h · late 0",
  "stars 4.5 · visited 0 · on site 0%",
];
const NONE = ["in 1 · done 0 · on time —", "1st reply — · fixed in — · late 0", "stars — · visited 0 · on site —"];
const TOTAL = [
  "in 8 · done 5 · on time 60%",
  "1st reply 1.5 h · fixed in 20 h · late 2",
  "stars 4.3 · visited 0 · on site 0%",
];
const block = (name: string, lines: string[]) => [`<b>${name}</b>`, ...lines].join("\n");
/** /stats at WEEK_TO (Saturday 7 Azar 1405, 09:00 Tehran): the last 7 days began on 30 Aban. */
const WEEK_DATES = "Aban 30, 1405 AP to Azar 7, 1405 AP";

const sent = (tb: TestBot) =>
  tb.api.calls.filter((c) => Number(c.payload.chat_id) === CHAT && c.method.startsWith("send"));
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The uploaded picture (the one file of the multipart request, which `photo` attaches): a PNG, 1080 px wide. */
function expectPicture(call: ApiCall): void {
  expect(call.method).toBe("sendPhoto");
  const files = Object.entries(call.files);
  expect(files).toHaveLength(1);
  expect(call.payload.photo).toBe(`attach://${files[0]![0]}`);
  const bytes = files[0]![1];
  expect([...bytes!.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  expect(PNG.sync.read(Buffer.from(bytes!)).width).toBe(1080);
}

async function staffDesk(platform: "telegram" | "bale" = "telegram", locale = "en") {
  await seedWeek();
  await upsertStaff({ platform, userId: 1, name: "Omid", role: "official", regions: ["r1"] });
  await upsertStaff({ platform, userId: 2, name: "Mina", role: "manager", regions: ["r1"] });
  const tb = createTestBot({ DEFAULT_LOCALE: locale }, platform);
  tb.clock.now = WEEK_TO;
  return tb;
}

describe("/stats", () => {
  it("a picture of the table per section with the phone text as its caption, titled with the dates; an official sees their region, a manager the city", async () => {
    const tb = await staffDesk();
    const omid = tb.member(1, CHAT, { languageCode: "en" });
    await omid.text("/stats");
    const [regions, departments, ...more] = sent(tb);
    expect(more).toEqual([]);
    expectPicture(regions!);
    expectPicture(departments!);
    expect(regions!.payload.parse_mode).toBe("HTML");
    expect(regions!.payload.caption).toBe(
      [`<b>📊 Performance by region, ${WEEK_DATES}</b>`, block("District 1 (north-west)", R1), block("Total", R1)].join(
        "\n\n",
      ),
    );
    expect(departments!.payload.caption).toBe(
      [`<b>📊 Performance by department, ${WEEK_DATES}</b>`, block("Roads", R1), block("Total", R1)].join("\n\n"),
    );

    tb.api.clearCalls();
    const mina = tb.member(2, CHAT, { languageCode: "en" });
    await mina.text("/stats 7d");
    expect(sent(tb)[0]!.payload.caption).toBe(
      [
        `<b>📊 Performance by region, ${WEEK_DATES}</b>`,
        block("District 1 (north-west)", R1),
        block("District 2 (north-east)", R2),
        block("No region", NONE),
        block("Total", TOTAL),
      ].join("\n\n"),
    );

    // 30 days also take in K, the old r1 case (filed h-300, first response 1 h, resolved after 100 h,
    // late, 1 star): received 5; first responses 1 1 2 4 → 1.5; fixes 10 80 100 → 80; 1 of 3 in SLA; (5+3+1)/3.
    // The title says the 30 days (from 7 Aban), not "weekly" and not "last 30 days".
    tb.api.clearCalls();
    await mina.text("/stats ۳۰d");
    const month = sent(tb)[0]!;
    expectPicture(month);
    const caption = String(month.payload.caption);
    expect(caption.split("\n")[0]).toBe("<b>📊 Performance by region, Aban 7, 1405 AP to Azar 7, 1405 AP</b>");
    expect(caption).toContain(
      block("District 1 (north-west)", [
        "in 5 · done 3 · on time 33%",
        "1st reply 1.5 h · fixed in 80 h · late 2",
        "stars 3.0 · visited 0 · on site 0%",
      ]),
    );
  });

  it("in Persian: the Jalali dates in the title, Persian digits, short right-to-left blocks", async () => {
    const tb = await staffDesk("telegram", "fa");
    await tb.member(2, CHAT).text("/stats");
    const regions = sent(tb)[0]!;
    expectPicture(regions);
    const blocks = String(regions.payload.caption).split("\n\n");
    expect(blocks[0]).toBe("<b>📊 کارنامه مناطق، ۳۰ آبان ۱۴۰۵ تا ۷ آذر ۱۴۰۵</b>");
    expect(blocks[1]).toBe(
      block("منطقه ۱ (شمال غرب)", [
        "دریافت ۴ · رسیدگی ۲ · به‌موقع ۵۰٪",
        "پاسخ ۲ ساعت · رفع ۴۵ ساعت · معوق ۲",
        "امتیاز ۴٫۰ · بازدید ۰ · حضوری ۰٪",
      ]),
    );
    // Persian digits throughout, and no Latin letter outside the bold tags.
    expect(String(regions.payload.caption).replace(/<\/?b>/g, "")).not.toMatch(/[A-Za-z0-9]/);
  });

  it("on Bale: the phone text only, as plain text with the legend; no picture", async () => {
    const tb = await staffDesk("bale");
    await tb.member(2, CHAT, { languageCode: "en" }).text("/stats");
    const calls = sent(tb);
    expect(calls.map((c) => c.method)).toEqual(["sendMessage", "sendMessage"]);
    expect(calls[0]!.payload.parse_mode).toBeUndefined();
    const text = String(calls[0]!.payload.text);
    expect(
      text.startsWith(`📊 Performance by region, ${WEEK_DATES}\n\nDistrict 1 (north-west)\n${R1.join("\n")}\n\n`),
    ).toBe(true);
    expect(text).toContain(`Total\n${TOTAL.join("\n")}\n\nin / done: cases received / resolved.\n`);
  });

  it("when the picture cannot be rendered, the text goes instead, with the legend", async () => {
    const tb = await staffDesk();
    picture.broken = true;
    try {
      await tb.member(2, CHAT, { languageCode: "en" }).text("/stats");
    } finally {
      picture.broken = false;
    }
    const calls = sent(tb);
    expect(calls.map((c) => c.method)).toEqual(["sendMessage", "sendMessage"]);
    expect(calls[0]!.payload.parse_mode).toBe("HTML");
    expect(String(calls[0]!.payload.text)).toContain(
      `${block("Total", TOTAL)}\n\nin / done: cases received / resolved.\n`,
    );
  });

  it("refuses a bad period and people who are not staff", async () => {
    const tb = createTestBot();
    await upsertStaff({ platform: "telegram", userId: 1, name: "Omid", role: "official", regions: ["r1"] });
    const omid = tb.member(1, CHAT);
    await omid.text("/stats forever");
    expect(omid.lastReply()).toBe(
      "\u200e/stats یا \u200e/stats 7d یا \u200e/stats 30d را بفرستید (هر تعداد روز تا ۹۰).",
    );
    const stranger = tb.member(3, CHAT);
    await stranger.text("/stats");
    expect(stranger.lastReply()).toBe("این کار فقط برای کارکنان ثبت‌شده مجاز است.");
    expect([
      parseDays(""),
      parseDays("30d"),
      parseDays("۷"),
      parseDays("0d"),
      parseDays("91d"),
      parseDays("7w"),
    ]).toEqual([7, 30, 7, null, null, null]);
  });
});
