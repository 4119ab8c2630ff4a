import { describe, expect, it } from "vitest";
import {
  checkDigit,
  formatCode,
  generateCode,
  isValidCode,
  normalizeCodeInput,
  parseCode,
} from "../../models/report/tracking-code.ts";

describe("tracking codes", () => {
  it("computes the Verhoeff check digit of the textbook example", () => {
    expect(checkDigit("236")).toBe("3");
    expect(isValidCode("2363")).toBe(false); // wrong length for our codes
    expect(checkDigit("12345")).toBe("1");
  });

  it("generates 8-digit codes that validate and never start with 0", () => {
    let seed = 0;
    const random = () => (seed = (seed * 9301 + 49297) % 233280) / 233280;
    for (let i = 0; i < 500; i++) {
      const code = generateCode(random);
      expect(code).toMatch(/^[1-9]\d{7}$/);
      expect(isValidCode(code)).toBe(true);
    }
  });

  it("catches every single-digit typo and every adjacent swap", () => {
    const code = generateCode(() => 0.37);
    for (let i = 0; i < code.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === code[i]) continue;
        expect(isValidCode(code.slice(0, i) + d + code.slice(i + 1))).toBe(false);
      }
      if (i < code.length - 1 && code[i] !== code[i + 1]) {
        const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
        expect(isValidCode(swapped)).toBe(false);
      }
    }
  });

  it("accepts Persian and Arabic-Indic digits, spaces and dashes", () => {
    const code = generateCode(() => 0.5);
    const persian = code.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
    const arabic = code.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
    expect(parseCode(`${persian.slice(0, 4)}-${persian.slice(4)}`)).toEqual({ ok: true, code });
    expect(parseCode(` ${arabic.slice(0, 4)} ${arabic.slice(4)} `)).toEqual({ ok: true, code });
    expect(normalizeCodeInput("۱۲۳۴ – ۵۶۷۸")).toBe("12345678");
  });

  it("tells format errors from checksum errors", () => {
    const code = generateCode(() => 0.5);
    const typo = code.slice(0, 7) + String((Number(code[7]) + 1) % 10);
    expect(parseCode("")).toEqual({ ok: false, reason: "empty" });
    expect(parseCode("12ab")).toEqual({ ok: false, reason: "format" });
    expect(parseCode(typo)).toEqual({ ok: false, reason: "checksum" });
    expect(formatCode("12345678")).toBe("1234-5678");
  });
});
