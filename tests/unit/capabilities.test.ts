import { Api } from "grammy";
import { describe, expect, it } from "vitest";
import { capabilityTransformer, htmlToPlain } from "../../core/capabilities.ts";
import { FakeBotApi } from "../support/fake-bot-api.ts";

function apiFor(platform: "telegram" | "bale") {
  const fake = new FakeBotApi();
  const api = new Api("1:x", { apiRoot: "http://x", fetch: fake.fetch as never });
  api.config.use(capabilityTransformer(platform));
  return { api, fake };
}

describe("platform capabilities", () => {
  it("turns our HTML into plain text", () => {
    expect(
      htmlToPlain(`📋 <b>1234-5678</b> &lt;a href=&quot;x&quot;&gt; &amp;lt; <a href="tg://user?id=1">Ali</a>`),
    ).toBe(`📋 1234-5678 <a href="x"> &lt; Ali`);
  });

  it("Bale: no parse_mode, no force-reply, reply_to_message_id, unscoped command menu", async () => {
    const { api, fake } = apiFor("bale");
    await api.sendMessage(5, "<b>hi</b> &amp; bye", {
      parse_mode: "HTML",
      reply_markup: { force_reply: true, selective: true },
      reply_parameters: { message_id: 77 },
    });
    await api.setMyCommands([{ command: "new", description: "x" }], {
      scope: { type: "all_private_chats" },
      language_code: "en",
    });
    expect(fake.calls.map((c) => c.payload)).toEqual([
      { chat_id: 5, text: "hi & bye", reply_to_message_id: 77 },
      { commands: [{ command: "new", description: "x" }] },
    ]);
  });

  it("Telegram: payloads pass unchanged", async () => {
    const { api, fake } = apiFor("telegram");
    await api.sendMessage(5, "<b>hi</b>", { parse_mode: "HTML", reply_markup: { force_reply: true, selective: true } });
    expect(fake.calls[0]!.payload).toEqual({
      chat_id: 5,
      text: "<b>hi</b>",
      parse_mode: "HTML",
      reply_markup: { force_reply: true, selective: true },
    });
  });
});
