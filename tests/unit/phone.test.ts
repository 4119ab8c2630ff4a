import { describe, expect, it } from "vitest";
import { toE164 } from "../../models/common/phone.ts";

describe("toE164", () => {
  it("brings every way an Iranian mobile number is written to one form", () => {
    for (const raw of [
      "09121234567",
      "9121234567",
      "989121234567",
      "+989121234567",
      "+98 912 123 4567",
      "0098-912-123-4567",
      "۰۹۱۲۱۲۳۴۵۶۷",
      "\u200e+98 (912) 123 4567\u200e",
    ])
      expect(toE164(raw), raw).toBe("+989121234567");
  });

  it("reads a landline with its area code, and foreign numbers with or without +", () => {
    expect(toE164("026 3456 0137")).toBe("+982634560137");
    expect(toE164("447911123456")).toBe("+447911123456");
    expect(toE164("+1 202 555 0143")).toBe("+12025550143");
  });

  it("refuses what is no phone number", () => {
    for (const raw of ["", "12345", "0912", "call me", "+98 912 123 4567 ext", "9".repeat(41), "0912123456789012"])
      expect(toE164(raw), raw).toBeNull();
  });
});
