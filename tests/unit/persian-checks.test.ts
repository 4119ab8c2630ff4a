import { describe, expect, it } from "vitest";
import { ltr } from "../../core/format.ts";
import { latinWords, looseDigits, persianViolations, sentTexts, summarize } from "../support/persian-checks.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";

const LRM = "\u200e";

describe("tests/support/persian-checks.ts: the three checks on what a Persian reader is sent", () => {
  it("finds the English words and loose digits seen in issue 14", () => {
    expect(latinWords("• ۲ فروردین — رسیدگی شد — fixed")).toEqual(["fixed"]);
    expect(latinWords("↳ rating 5")).toEqual(["rating"]);
    expect(looseDigits("↳ rating 5")).toEqual(["↳ rating 5"]);
    expect(looseDigits("بازدید میدانی\n↳ 33 m")).toEqual(["ید میدانی\n↳ 33 m"]);
    expect(looseDigits("عکس‌ها: 1")).toHaveLength(1);
    expect(looseDigits("1⭐")).toEqual(["1⭐"]);
  });

  it("lets through codes, commands, phones and coordinates wrapped in LRM, Persian digits, names typed in Latin, commands and @usernames", () => {
    const text = `کد رهگیری: ${ltr("2058-9305")}\nبرای پیگیری، ${LRM}/status ${ltr("2058-9305")} را بفرستید.\n📍 ${ltr("35.83270")}، ${ltr("50.99150")} · ${ltr("+989120005001")}`;
    expect(looseDigits(text)).toEqual([]);
    expect(latinWords(text)).toEqual([]);
    expect(looseDigits("۲۲ متر · ۱۱ آذر ۱۴۰۵ ساعت ۰۴:۱۱")).toEqual([]);
    expect(latinWords("🧑‍🔧 مسئول: Omid · ربات @citizen137_bot · فارسی / English", { names: ["Omid"] })).toEqual([]);
    // An allowed name is a whole word, not a prefix that excuses what follows it.
    expect(latinWords("Omidfixed", { names: ["Omid"] })).toEqual(["Omidfixed"]);
    // HTML tags are not text anyone reads; their contents are.
    expect(latinWords('<a href="tg://user?id=900">امید</a>، <b>fixed</b>')).toEqual(["fixed"]);
    expect(looseDigits(`<b>${ltr("2058-9305")}</b> — 3 روز`)).toHaveLength(1);
  });

  it("a digit outside the wrapped stretch is caught even on a line that has one", () => {
    expect(looseDigits(`کد ${ltr("2058-9305")} و 3 عکس`)).toHaveLength(1);
  });

  it("collects message texts, captions, media captions, alerts and button labels, for the chats asked", () => {
    const call = (method: string, payload: Record<string, unknown>): ApiCall => ({ method, payload, files: {} });
    const calls = [
      call("sendMessage", {
        chat_id: 1,
        text: "سلام",
        reply_markup: { inline_keyboard: [[{ text: "1⭐", callback_data: "x" }]] },
      }),
      call("sendPhoto", { chat_id: 1, caption: "عکس", reply_markup: { keyboard: [[{ text: "📝 ثبت" }], ["/help"]] } }),
      call("sendMediaGroup", { chat_id: 1, media: [{ type: "photo", media: "a", caption: "زیرنویس" }] }),
      call("answerCallbackQuery", { callback_query_id: "q", text: "هشدار" }),
      call("sendMessage", { chat_id: 2, text: "another chat" }),
    ];
    expect(sentTexts(calls, new Set([1])).map((s) => [s.where, s.text])).toEqual([
      ["sendMessage text", "سلام"],
      ["sendMessage button", "1⭐"],
      ["sendPhoto caption", "عکس"],
      ["sendPhoto button", "📝 ثبت"],
      ["sendPhoto button", "/help"],
      ["sendMediaGroup media caption", "زیرنویس"],
      ["answerCallbackQuery text", "هشدار"],
    ]);
    // A bare "/help" in a right-to-left paragraph shows as "help/": it needs an LRM before it, like any command.
    expect(summarize(persianViolations(sentTexts(calls)))).toEqual([
      "digits · sendMessage button · 1⭐",
      "bidi · sendPhoto button · /help",
      "latin · sendMessage text · another",
      "latin · sendMessage text · chat",
    ]);
  });
});
