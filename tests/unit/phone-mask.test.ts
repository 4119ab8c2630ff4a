import { describe, expect, it } from "vitest";
import { dialablePhone, maskPhone } from "../../models/people/phone-mask.ts";

describe("phone masking for staff chats", () => {
  it("every Iranian form of one mobile number masks to +98 912 *** 5001", () => {
    for (const raw of [
      "09121235001",
      "+989121235001",
      "989121235001",
      "9121235001",
      "00989121235001",
      "+98 912 123 5001",
      "0912-123-5001",
      "(0912) 123 5001",
      "۰۹۱۲۱۲۳۵۰۰۱",
      "٠٩١٢١٢٣٥٠٠١",
      "\u200e+989121235001\u200e",
    ]) {
      expect(maskPhone(raw), raw).toBe("+98 912 *** 5001");
    }
  });

  it("the hidden middle digits appear nowhere in the masked form", () => {
    const masked = maskPhone("+989121235001");
    expect(masked.replace(/\D/g, "")).toBe("989125001");
    expect(masked).not.toContain("123");
  });

  it("foreign numbers keep their own country code (1, 2 or 3 digits), with or without the plus", () => {
    expect(maskPhone("+14155552671")).toBe("+1 415 *** 2671");
    expect(maskPhone("447911123456")).toBe("+44 791 *** 3456");
    expect(maskPhone("+44 7911 123456")).toBe("+44 791 *** 3456");
    // Nine-digit national numbers (UAE, France) would keep 7 of 9 digits as 3 + 4: 2 + 2 instead.
    expect(maskPhone("+971501234567")).toBe("+971 50 *** 67");
    expect(maskPhone("33612345678")).toBe("+33 61 *** 78");
    expect(maskPhone("004915123456789")).toBe("+49 151 *** 6789");
    expect(maskPhone("+7 912 345 67 89")).toBe("+7 912 *** 6789");
    expect(maskPhone("+905321234567")).toBe("+90 532 *** 4567");
  });

  it("a short number is masked harder (never nearly whole); nothing or junk gives no digits", () => {
    expect(maskPhone("+35312345")).toBe("+353 *** 45");
    expect(maskPhone("+3531234567")).toBe("+353 *** 67");
    expect(maskPhone("")).toBe("");
    expect(maskPhone("   ")).toBe("");
    expect(maskPhone("call me")).toBe("***");
    expect(maskPhone("12")).toBe("***");
  });

  it("the full number for the private message is international (+98…), ready to tap and call", () => {
    expect(dialablePhone("09121235001")).toBe("+989121235001");
    expect(dialablePhone("989121235001")).toBe("+989121235001");
    expect(dialablePhone("۰۹۱۲ ۱۲۳ ۵۰۰۱")).toBe("+989121235001");
    expect(dialablePhone("447911123456")).toBe("+447911123456");
    // Not a number we understand: given as stored, so nothing is lost.
    expect(dialablePhone("call me")).toBe("call me");
  });
});
