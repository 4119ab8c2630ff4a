import { describe, expect, it } from "vitest";
import { sameSecret, webhookHeaderSecret, webhookPath, webhookPathSecret } from "../../bot/http/secrets.ts";

const TOKEN = "123456:AAE-telegram-token";

describe("webhook secrets", () => {
  it("are derived from the token alone: every instance computes the same ones", () => {
    // sha256("webhook:123456:AAE-telegram-token"), first 32 hex digits: fixed, so a change is noticed.
    expect(webhookPathSecret(TOKEN)).toBe("712bdf9cca752424de382f54f7c9c4ba");
    expect(webhookHeaderSecret(TOKEN)).toMatch(/^[0-9a-f]{32}$/);
  });

  it("differ by purpose and by token, and never contain the token", () => {
    expect(webhookHeaderSecret(TOKEN)).not.toBe(webhookPathSecret(TOKEN));
    expect(webhookPathSecret("654321:BALE-token")).not.toBe(webhookPathSecret(TOKEN));
    expect(webhookPath("telegram", TOKEN)).toBe(`/webhook/telegram/${webhookPathSecret(TOKEN)}`);
    expect(webhookPath("bale", TOKEN)).not.toContain("AAE");
  });

  it("are compared whole", () => {
    const secret = webhookPathSecret(TOKEN);
    expect(sameSecret(secret, secret)).toBe(true);
    expect(sameSecret(secret.slice(0, 31), secret)).toBe(false);
    expect(sameSecret(`${secret.slice(0, 31)}${secret.endsWith("0") ? "1" : "0"}`, secret)).toBe(false);
    expect(sameSecret(undefined, secret)).toBe(false);
    expect(sameSecret("", secret)).toBe(false);
  });
});
