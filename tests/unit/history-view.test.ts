import { describe, expect, it } from "vitest";
import { createI18n, translator } from "../../core/i18n.ts";
import { formatDate, ltr } from "../../core/format.ts";
import type { HistoryEntry, HistoryFacts } from "../../models/report/report.ts";
import type { Locale } from "../../models/common/platform.ts";
import { historyLine, shownInStatus, type HistoryReader } from "../../views/history.ts";
import { latinWords, looseDigits } from "../support/persian-checks.ts";
import { misreadTokens } from "../support/bidi.ts";

const i18n = createI18n("fa");
const TZ = "Asia/Tehran";
const reader = (locale: Locale): HistoryReader => ({ t: translator(i18n, locale), locale, timeZone: TZ });
const fa = reader("fa");
const en = reader("en");
const AT = new Date("2026-03-26T12:00:00Z");
const NO_FACTS: HistoryFacts = { fixed: null, rating: null, distanceM: null, reason: "", duplicateOf: "" };

function entry(p: Partial<Omit<HistoryEntry, "facts">> & { facts?: Partial<HistoryFacts> | null }): HistoryEntry {
  const { facts, ...rest } = p;
  return {
    at: AT,
    kind: "status",
    by: { kind: "citizen", platform: "telegram", id: 1, name: "سارا" },
    from: "resolved",
    to: "resolved",
    note: "",
    public: true,
    eventKey: "",
    ...rest,
    facts: facts ? { ...NO_FACTS, ...facts } : null,
  } as HistoryEntry;
}

const date = (locale: Locale) => formatDate(AT, locale, TZ);
const fixed = entry({ kind: "feedback", facts: { fixed: true } });
const notFixed = entry({ kind: "status", from: "resolved", to: "reopened", facts: { fixed: false } });
const rated = entry({ kind: "feedback", public: false, facts: { rating: 5 } });
const visit = entry({
  kind: "visit",
  to: "in_progress",
  by: { kind: "staff", platform: "telegram", id: 900, name: "Omid" },
  facts: { distanceM: 33 },
});
const far = entry({
  kind: "visit",
  to: "in_progress",
  by: { kind: "staff", platform: "telegram", id: 900, name: "Omid" },
  facts: { distanceM: 1250 },
});
const duplicate = entry({
  kind: "status",
  from: "new",
  to: "duplicate",
  by: { kind: "staff", platform: "telegram", id: 900, name: "Omid" },
  facts: { duplicateOf: "20589305" },
});

describe("views/history.ts: one history entry, in the reader's language", () => {
  it("/case (staff, HTML): the facts the old code stored as English words, in Persian words and digits", () => {
    expect(historyLine(fixed, fa, { for: "case" })).toBe(
      `▫️ ${date("fa")} · 🌐 عمومی · نظر شهروند · سارا\n↳ مشکل رفع شد ✅`,
    );
    expect(historyLine(notFixed, fa, { for: "case" })).toBe(
      `▫️ ${date("fa")} · 🌐 عمومی · دوباره باز شد · سارا\n↳ مشکل رفع نشد ❌`,
    );
    expect(historyLine(rated, fa, { for: "case" })).toBe(
      `▫️ ${date("fa")} · 🔒 داخلی · نظر شهروند · سارا\n↳ امتیاز ۵ از ۵`,
    );
    expect(historyLine(visit, fa, { for: "case" })).toBe(
      `▫️ ${date("fa")} · 🌐 عمومی · بازدید میدانی · Omid\n↳ ۳۳ متر تا نقطه گزارش`,
    );
    expect(historyLine(far, fa, { for: "case" })).toContain("↳ ۱٬۲۵۰ متر تا نقطه گزارش");
  });

  it("the same entries for an English reader", () => {
    expect(historyLine(fixed, en, { for: "case" })).toContain("\n↳ the problem is fixed ✅");
    expect(historyLine(notFixed, en, { for: "case" })).toContain("\n↳ the problem is not fixed ❌");
    expect(historyLine(rated, en, { for: "case" })).toContain("\n↳ 5 of 5 stars");
    expect(historyLine(visit, en, { for: "case" })).toContain("\n↳ 33 m from the reported point");
    expect(historyLine(far, en, { for: "case" })).toContain("\n↳ 1,250 m from the reported point");
  });

  it("a duplicate names its original by code, read as typed in Persian", () => {
    const line = historyLine(duplicate, fa, { for: "case" });
    expect(line).toContain(`↳ تکراری از ${ltr("2058-9305")}`);
    expect(misreadTokens(line)).toEqual([]);
  });

  it("escalations and reminders say why, in words of the reader's language", () => {
    const system = { kind: "system" as const, platform: "" as const, id: 0, name: "" };
    const lines = (["overdue", "reminders", "not_fixed"] as const).map((reason) =>
      historyLine(entry({ kind: "escalation", public: false, by: system, facts: { reason } }), fa, {
        for: "escalation",
      }),
    );
    expect(lines).toEqual([
      `• ${date("fa")} — سامانه: ارجاع به مدیران: مهلت رسیدگی گذشته است`,
      `• ${date("fa")} — سامانه: ارجاع به مدیران: یادآوری‌ها بی‌پاسخ ماند`,
      `• ${date("fa")} — سامانه: ارجاع به مدیران: شهروند گفت مشکل رفع نشده است`,
    ]);
    expect(
      historyLine(entry({ kind: "reminder", public: false, by: system, facts: { reason: "feedback" } }), en, {
        for: "escalation",
      }),
    ).toBe(`• ${date("en")} — system: reminded: the citizen's feedback`);
    expect(
      historyLine(entry({ kind: "reminder", public: false, by: system, facts: { reason: "feedback" } }), fa, {
        for: "escalation",
      }),
    ).toBe(`• ${date("fa")} — سامانه: یادآوری: نظرخواهی از شهروند`);
  });

  it("the managers' escalation shows the facts plainly and the typed note quoted, shortened", () => {
    expect(historyLine(notFixed, fa, { for: "escalation" })).toBe(
      `• ${date("fa")} — سارا: دوباره باز شد: مشکل رفع نشد ❌`,
    );
    const typed = entry({
      kind: "note",
      by: { kind: "staff", platform: "telegram", id: 900, name: "Omid" },
      note: "ب".repeat(300),
    });
    expect(historyLine(typed, fa, { for: "escalation" })).toBe(
      `• ${date("fa")} — Omid: یادداشت («${"ب".repeat(199)}…»)`,
    );
  });

  it("the card's last action carries the facts; a person's note stays off the card", () => {
    expect(historyLine(rated, fa, { for: "card" })).toBe(
      `آخرین اقدام: سارا — نظر شهروند: امتیاز ۵ از ۵ (${date("fa")})`,
    );
    expect(historyLine(entry({ kind: "note", note: "متن بلند یادداشت" }), fa, { for: "card" })).toBe(
      `آخرین اقدام: سارا — یادداشت (${date("fa")})`,
    );
  });

  it("/status: the reporter and followers see facts and notes, anyone else status and date; a visit is only 'an inspector visited'", () => {
    expect(historyLine(notFixed, fa, { for: "status", view: "reporter" })).toBe(
      `• ${date("fa")} — دوباره باز شد — مشکل رفع نشد ❌`,
    );
    expect(historyLine(notFixed, fa, { for: "status", view: "public" })).toBe(`• ${date("fa")} — دوباره باز شد`);
    const resolved = entry({ kind: "status", from: "in_progress", to: "resolved", note: "لوله تعویض شد" });
    expect(historyLine(resolved, fa, { for: "status", view: "follower" })).toBe(
      `• ${date("fa")} — رسیدگی شد — لوله تعویض شد`,
    );
    expect(historyLine(visit, fa, { for: "status", view: "reporter" })).toBe(
      `• ${date("fa")} — 🔎 بازرس از محل بازدید کرد`,
    );
  });

  it("/status: the reporter's own messages to the case are shown to the reporter only; internal entries to nobody", () => {
    const own = entry({ kind: "citizen_note", to: "in_progress", note: "امروز آب بیشتر شده" });
    expect([shownInStatus(own, "reporter"), shownInStatus(own, "follower"), shownInStatus(own, "public")]).toEqual([
      true,
      false,
      false,
    ]);
    expect(historyLine(own, fa, { for: "status", view: "reporter" })).toBe(
      `• ${date("fa")} — 💬 پیام شما: امروز آب بیشتر شده`,
    );
    expect(shownInStatus(rated, "reporter")).toBe(false);
  });

  it("entries stored before facts existed still render (their typed notes as they are)", () => {
    const old = entry({ kind: "status", from: "new", to: "rejected", note: "خارج از حوزه شهرداری" });
    expect(historyLine(old, fa, { for: "case" })).toBe(
      `▫️ ${date("fa")} · 🌐 عمومی · رد شد · سارا\n↳ خارج از حوزه شهرداری`,
    );
  });

  it("every Persian rendering passes the Latin-word and digit checks", () => {
    const all = [fixed, notFixed, rated, visit, far, duplicate].flatMap((h) => [
      historyLine(h, fa, { for: "case" }),
      historyLine(h, fa, { for: "status", view: "reporter" }),
      historyLine(h, fa, { for: "escalation" }),
      historyLine(h, fa, { for: "card" }),
    ]);
    expect(
      all.flatMap((text) => [...latinWords(text, { names: ["Omid"] }), ...looseDigits(text), ...misreadTokens(text)]),
    ).toEqual([]);
  });
});
