import { Api } from "grammy";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../bot/logger.ts";
import { nodeFetch } from "../../bot/throttled-fetch.ts";

const TOKEN = "987654:AAH-secret-bot-token_xyz";
/** Nothing listens on port 1: every call fails with a network error. */
const DEAD_ROOT = "http://127.0.0.1:1";

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const logger = createLogger("info", { secrets, destination: { write: (s: string) => void lines.push(s) } });
  return { logger, output: () => lines.join("") };
}

async function failingCall(api: Api): Promise<unknown> {
  try {
    await api.sendMessage(5, "hello");
  } catch (err) {
    return err;
  }
  throw new Error("the call should have failed");
}

describe("logs never show a bot token or a phone number", () => {
  it("a failed Bot API call's error keeps its URL (token) out, whatever fetch made it", async () => {
    // grammY's default client (node-fetch) puts the request URL, token included, in its error message.
    for (const fetch of [undefined, nodeFetch]) {
      const err = await failingCall(new Api(TOKEN, { apiRoot: DEAD_ROOT, ...(fetch ? { fetch: fetch as never } : {}) }));
      const { logger, output } = capture();
      logger.error({ err, updateId: 1 }, "update handling failed");
      expect(output()).toContain("Network request for 'sendMessage' failed!");
      expect(output()).not.toContain(TOKEN);
      expect(output()).not.toContain("AAH-secret");
    }
  });

  it("the error really carries the token before the logger scrubs it (the test is not vacuous)", async () => {
    const err = (await failingCall(new Api(TOKEN, { apiRoot: DEAD_ROOT }))) as { error?: Error };
    expect(String(err.error?.message)).toContain(TOKEN);
  });

  it("known secrets are removed anywhere in a line, child loggers included", () => {
    const { logger, output } = capture([TOKEN, "0123456789abcdef0123456789abcdef"]);
    logger.child({ platform: "telegram" }).info({ note: `token ${TOKEN}`, url: "https://x.example/webhook/telegram/0123456789abcdef0123456789abcdef" }, `set ${TOKEN}`);
    expect(output()).not.toContain(TOKEN);
    expect(output()).not.toContain("0123456789abcdef0123456789abcdef");
    expect(output()).toContain("/webhook/telegram/[redacted]");
  });

  it("token and phone fields are redacted", () => {
    const { logger, output } = capture();
    logger.info(
      {
        token: "t1-value",
        bot: { token: "t2-value" },
        config: { TELEGRAM_BOT_TOKEN: "t3-value", BALE_BOT_TOKEN: "t4-value" },
        citizen: { phone: "+989121111111" },
        report: { citizen: { phone: "+989122222222" } },
        contact: { phone_number: "+989123333333" },
        update: { message: { contact: { phone_number: "+989124444444" } } },
      },
      "fields",
    );
    for (const secret of ["t1-value", "t2-value", "t3-value", "t4-value", "+98912"]) expect(output()).not.toContain(secret);
    expect(JSON.parse(output())).toMatchObject({ token: "[redacted]", contact: { phone_number: "[redacted]" }, update: { message: { contact: { phone_number: "[redacted]" } } } });
  });
});
