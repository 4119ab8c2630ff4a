import { describe, expect, it } from "vitest";
import { cleanUserText } from "../../models/common/clean-text.ts";
import { parseStaffArgs } from "../../handlers/staff/staff-admin-args.ts";

const RLO = "\u202E";
const PDF = "\u202C";
const ZWNJ = "\u200C";
const ZWJ = "\u200D";
const LRM = "\u200E";
const RLM = "\u200F";

describe("cleanUserText: what citizens type loses the characters that disguise text", () => {
  it("a right-to-left override cannot make 'nimda' read as 'admin'", () => {
    expect(cleanUserText(`${RLO}nimda${PDF}`)).toBe("nimda");
  });

  it("removes every embedding, override and isolate control (U+202A–U+202E, U+2066–U+2069)", () => {
    const controls = ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"];
    expect(cleanUserText(controls.map((c) => `a${c}`).join("") + "b")).toBe("aaaaaaaaab");
  });

  it("removes C0 and C1 control characters but keeps line breaks; a tab becomes a space, CR LF one newline", () => {
    expect(cleanUserText("a\u0000b\u0007c\u001Bd\u007Fe\u0085f\u009Fg")).toBe("abcdefg");
    expect(cleanUserText("line one\r\nline two\rline three\nend")).toBe("line one\nline two\nline three\nend");
    expect(cleanUserText("col\tcol")).toBe("col col");
  });

  it("keeps the zero-width non-joiner and joiner Persian words and emoji need", () => {
    const word = `می${ZWNJ}خواهم`;
    const family = `👩${ZWJ}👧`;
    expect(cleanUserText(`${word} ${family}`)).toBe(`${word} ${family}`);
  });

  it("keeps LRM and RLM: marks without scope cannot reverse or hide text, and Persian keyboards type them", () => {
    expect(cleanUserText(`کد ${LRM}1234-5678${LRM} ${RLM}`)).toBe(`کد ${LRM}1234-5678${LRM} ${RLM}`);
  });

  it("single-line fields (names, phone numbers) get spaces for line breaks, so a name cannot fake a second line", () => {
    expect(cleanUserText("Sara\nPhone verified\u2028ok\u2029", { singleLine: true })).toBe("Sara Phone verified ok ");
  });

  it("leaves ordinary Persian and English text as it is", () => {
    const text = "لوله آب جلوی مدرسه شکسته است — Azadi St. 12, (2nd floor)!";
    expect(cleanUserText(text)).toBe(text);
  });

  it("a staff name given to /staff add is cleaned too: it is shown on cards and to citizens", () => {
    expect(parseStaffArgs(`add telegram:7 official name=${RLO}nimda${PDF}`)).toMatchObject({ name: "nimda" });
  });
});
