import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../core/config.ts";

describe("config", () => {
  it("applies defaults for an empty environment", () => {
    const c = loadConfig({});
    expect(c.TZ_NAME).toBe("Asia/Tehran");
    expect(c.DEFAULT_LOCALE).toBe("fa");
    expect(c.TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
    expect(c.BALE_API_ROOT).toBe("https://tapi.bale.ai");
    expect(c.HTTP_PORT).toBe(8137);
    expect(c.REPORTS_PER_DAY).toBe(5);
    expect(c.SERVICE_AREA_BBOX).toEqual({ minLat: 35.72, minLon: 50.8, maxLat: 35.92, maxLon: 51.2 });
  });

  it("runtime keys: HTTP host and shutdown grace default; HTTP_PORT 0 means any free port", () => {
    const c = loadConfig({});
    expect([c.HTTP_HOST, c.SHUTDOWN_GRACE_MS]).toEqual(["0.0.0.0", 10_000]);
    expect(loadConfig({ HTTP_PORT: "0", HTTP_HOST: "127.0.0.1", SHUTDOWN_GRACE_MS: "2500" })).toMatchObject({
      HTTP_PORT: 0,
      HTTP_HOST: "127.0.0.1",
      SHUTDOWN_GRACE_MS: 2500,
    });
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: "-1" })).toThrow(ConfigError);
  });

  it("treats empty strings as unset (a copied .env.example works)", () => {
    expect(loadConfig({ MONGODB_URI: "", TELEGRAM_BOT_TOKEN: " " }).TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it("parses admin ids and the service area", () => {
    const c = loadConfig({ ADMIN_USER_IDS: "telegram:1, bale:22", SERVICE_AREA_BBOX: "35,50,36,51" });
    expect(c.ADMIN_USER_IDS).toEqual([
      { platform: "telegram", userId: 1 },
      { platform: "bale", userId: 22 },
    ]);
    expect(c.SERVICE_AREA_BBOX).toEqual({ minLat: 35, minLon: 50, maxLat: 36, maxLon: 51 });
  });

  it("the 137 centre's phone and hours: unset by default, trimmed when set, a phone that is not one refused", () => {
    const unset = loadConfig({});
    expect([unset.CENTRE_PHONE, unset.CENTRE_HOURS]).toEqual([undefined, undefined]);
    expect(loadConfig({ CENTRE_PHONE: " +98 26 3456-0137 ", CENTRE_HOURS: "شنبه تا چهارشنبه، ۸ تا ۱۴" })).toMatchObject(
      { CENTRE_PHONE: "+98 26 3456-0137", CENTRE_HOURS: "شنبه تا چهارشنبه، ۸ تا ۱۴" },
    );
    expect(loadConfig({ CENTRE_PHONE: "137" }).CENTRE_PHONE).toBe("137");
    let problems: string[] = [];
    try {
      loadConfig({ CENTRE_PHONE: "call us", CENTRE_HOURS: "x".repeat(101) });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(["CENTRE_HOURS", "CENTRE_PHONE"]);
  });

  it("reports every bad variable on its own line", () => {
    let problems: string[] = [];
    try {
      loadConfig({
        MONGODB_URI: "postgres://x",
        HTTP_PORT: "99999",
        TZ_NAME: "Mars/Base",
        DEFAULT_LOCALE: "de",
        ADMIN_USER_IDS: "tg:1",
        TELEGRAM_BOT_TOKEN: "nope",
      });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      problems = (err as ConfigError).problems;
    }
    expect(problems).toHaveLength(6);
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual([
      "ADMIN_USER_IDS",
      "DEFAULT_LOCALE",
      "HTTP_PORT",
      "MONGODB_URI",
      "TELEGRAM_BOT_TOKEN",
      "TZ_NAME",
    ]);
    expect(problems.find((p) => p.startsWith("ADMIN_USER_IDS"))).toContain('"tg:1" is not platform:userId');
  });
});
