import { describe, expect, it } from "vitest";
import { createI18n, translator } from "../../core/i18n.ts";
import { feedbackKeyboard } from "../../views/feedback-keyboard.ts";
import { decodeAs } from "../../views/buttons/callback-data.ts";
import { formatCode, generateCode, normalizeCodeInput, parseCode } from "../../models/report/tracking-code.ts";

const i18n = createI18n("fa");
const toPersian = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
const toArabicIndic = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));

describe("the digit rule: Persian digits in Persian prose, Latin digits only in tokens typed back", () => {
  it("the stars on the feedback buttons are in the reader's digits; the button data stays the same", () => {
    const labels = (locale: "fa" | "en") =>
      feedbackKeyboard(translator(i18n, locale), "0123456789abcdef01234567").inline_keyboard.flat();
    expect(labels("fa").map((b) => b.text)).toEqual(["رفع شد ✅", "رفع نشد ❌", "۱⭐", "۲⭐", "۳⭐", "۴⭐", "۵⭐"]);
    expect(
      labels("en")
        .slice(2)
        .map((b) => b.text),
    ).toEqual(["1⭐", "2⭐", "3⭐", "4⭐", "5⭐"]);
    const data = labels("fa").at(-1)!;
    expect("callback_data" in data && decodeAs("feedback", data.callback_data)).toEqual({
      reportId: "0123456789abcdef01234567",
      answer: 5,
    });
  });

  it("a code typed with either digit set, or a mix of both, is the same code", () => {
    const code = generateCode(() => 0.42);
    const shown = formatCode(code);
    for (const typed of [
      shown,
      toPersian(shown),
      toArabicIndic(shown),
      `${toPersian(shown.slice(0, 4))}-${shown.slice(5)}`,
      `${shown.slice(0, 4)} ${toArabicIndic(shown.slice(5))}`,
    ]) {
      expect(parseCode(typed)).toEqual({ ok: true, code });
    }
  });

  it("a code copied out of a message keeps working, whatever invisible marks or dash came with it", () => {
    const code = generateCode(() => 0.42);
    const [a, b] = [code.slice(0, 4), code.slice(4)];
    // LRM (ltr()), RLM, the Arabic letter mark, Fluent's isolates, an embedding, a BOM; the minus sign and a full-width hyphen.
    for (const copied of [
      `\u200e${a}-${b}\u200e`,
      `\u2068${a}-${b}\u2069`,
      `\u202a${a}\u061c-${b}\u202c`,
      `\ufeff${a}\u2212${b}`,
      `${a}\u200d-${b}`,
      `${toPersian(a)}\uff0d${b}\u200f`,
    ]) {
      expect(normalizeCodeInput(copied)).toBe(code);
      expect(parseCode(copied)).toEqual({ ok: true, code });
    }
  });
});
