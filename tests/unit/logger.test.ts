import { Api, GrammyError, HttpError } from "grammy";
import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { createLogger, loggableRowId } from "../../core/logger.ts";
import { nodeFetch } from "../../bot/throttled-fetch.ts";
import { DomainError } from "../../models/common/errors.ts";

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
      const err = await failingCall(
        new Api(TOKEN, { apiRoot: DEAD_ROOT, ...(fetch ? { fetch: fetch as never } : {}) }),
      );
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
    logger
      .child({ platform: "telegram" })
      .info(
        { note: `token ${TOKEN}`, url: "https://x.example/webhook/telegram/0123456789abcdef0123456789abcdef" },
        `set ${TOKEN}`,
      );
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
    for (const secret of ["t1-value", "t2-value", "t3-value", "t4-value", "+98912"])
      expect(output()).not.toContain(secret);
    // A contact is redacted whole (its name too), wherever it is.
    expect(JSON.parse(output())).toMatchObject({
      token: "[redacted]",
      contact: "[redacted]",
      update: { message: { contact: "[redacted]" } },
    });
  });
});

/** What a citizen wrote and who they are: none of it may reach a log line. */
const NAME = "Shirin Kamali";
const PHONE = "+989127770011";
const DESCRIPTION = "loole-ab-jeloye-madrese";
const ADDRESS = "Azadi-Street-Alley-5";
const CONTENT = [NAME, "Shirin", "Kamali", PHONE, "9127770011", DESCRIPTION, ADDRESS];

function expectNoContent(output: string): void {
  for (const piece of CONTENT) expect(output).not.toContain(piece);
}

/** A staff card refused by the Bot API: grammY keeps the whole request in `payload`. */
function refusedCard(code = 400): GrammyError {
  const payload = {
    chat_id: -1001370000001,
    text: `${NAME} ${PHONE}\n${DESCRIPTION}\n${ADDRESS}`,
    parse_mode: "HTML",
    reply_markup: { inline_keyboard: [] },
  };
  return new GrammyError(
    `Call to 'sendMessage' failed! (${code}: Bad Request: can't parse entities)`,
    { ok: false, error_code: code, description: "Bad Request: can't parse entities" },
    "sendMessage",
    payload,
  );
}

describe("logs carry no message content", () => {
  it("an outbox row id names a private chat as `private`; a group's id and every other part stay", () => {
    expect(loggableRowId("6b11:6b12:status_changed:telegram:5401")).toBe("6b11:6b12:status_changed:telegram:private");
    expect(loggableRowId("6b11:6b12:site_visit:bale:5401:x")).toBe("6b11:6b12:site_visit:bale:private:x");
    expect(loggableRowId("digest:telegram:-1001370000001:59")).toBe("digest:telegram:-1001370000001:59");
    expect(loggableRowId("6b11:2-card")).toBe("6b11:2-card");
  });

  it("a Bot API error to a private chat keeps no chat id: that id is the person's", () => {
    const { logger, output } = capture();
    const err = new GrammyError(
      "Call to 'sendMessage' failed! (403: Forbidden: bot was blocked by the user)",
      { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
      "sendMessage",
      { chat_id: 5401, text: "x" },
    );
    logger.warn({ err }, "send failed");
    const line = JSON.parse(output()) as { err: Record<string, unknown> };
    expect(line.err).toMatchObject({ method: "sendMessage", error_code: 403 });
    expect(line.err).not.toHaveProperty("chatId");
    expect(output()).not.toContain("5401");
  });

  it("a Bot API error keeps its method, code, description and a group's chat id, never the payload it sent", () => {
    const { logger, output } = capture();
    logger.warn({ err: refusedCard() }, "send failed");
    expectNoContent(output());
    const line = JSON.parse(output()) as { err: Record<string, unknown> };
    expect(line.err).toMatchObject({
      type: "GrammyError",
      method: "sendMessage",
      error_code: 400,
      description: "Bad Request: can't parse entities",
      chatId: -1001370000001,
    });
    expect(Object.keys(line.err).sort()).toEqual(["chatId", "description", "error_code", "method", "stack", "type"]);
  });

  it("`error` is serialized like `err`, and so is an error logged as the first argument", () => {
    const { logger, output } = capture();
    logger.warn({ error: refusedCard(500) }, "a");
    logger.error(refusedCard(429));
    expectNoContent(output());
    const [a, b] = output()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, { error_code?: number }>);
    expect(a!.error!.error_code).toBe(500);
    expect(b!.err!.error_code).toBe(429);
  });

  it("an error nested anywhere in a log object is serialized the same way", () => {
    const { logger, output } = capture();
    logger.warn({ failures: [{ attempt: 1, failure: refusedCard() }] }, "nested");
    expectNoContent(output());
    expect(output()).toContain('"method":"sendMessage"');
  });

  it("a network error keeps grammY's message and the cause's code, never the request", () => {
    const inner = Object.assign(new Error(`request to http://x/sendMessage failed: body ${DESCRIPTION}`), {
      code: "ECONNREFUSED",
    });
    const { logger, output } = capture();
    logger.warn({ err: new HttpError("Network request for 'sendMessage' failed!", inner) }, "network");
    expectNoContent(output());
    expect(JSON.parse(output())).toMatchObject({
      err: {
        type: "HttpError",
        message: "Network request for 'sendMessage' failed!",
        cause: { type: "Error", code: "ECONNREFUSED" },
      },
    });
  });

  it("a validation error that quotes the rejected value keeps its class and stack frames, not its message", () => {
    const Note = mongoose.model("LogPrivacyNote", new mongoose.Schema({ text: { type: String, maxlength: 5 } }));
    const err = new Note({ text: `${DESCRIPTION} ${ADDRESS}` }).validateSync()!;
    expect(err.message).toContain(DESCRIPTION); // the test is not vacuous
    const { logger, output } = capture();
    logger.error({ err }, "save failed");
    expectNoContent(output());
    const line = JSON.parse(output()) as { err: { type: string; stack: string } };
    expect(line.err.type).toBe("ValidationError");
    expect(line.err.stack).toMatch(/^\s+at /);
  });

  it("a MongoDB server error keeps code and codeName: a duplicate-key message quotes the key's value", () => {
    const err = new mongoose.mongo.MongoServerError({
      message: `E11000 duplicate key error collection: reports dup key: { description: "${DESCRIPTION}" }`,
      code: 11000,
      codeName: "DuplicateKey",
    });
    const { logger, output } = capture();
    logger.error({ err }, "insert failed");
    expectNoContent(output());
    expect(JSON.parse(output())).toMatchObject({
      err: { type: "MongoServerError", code: 11000, codeName: "DuplicateKey" },
    });
  });

  it("our own errors keep their message (they name codes and ids, never what people wrote)", () => {
    const { logger, output } = capture();
    logger.warn({ err: new DomainError("conflict", "report 12345678 changed meanwhile") }, "refused");
    expect(JSON.parse(output())).toMatchObject({
      err: { type: "DomainError", message: "report 12345678 changed meanwhile" },
    });
  });

  it("something thrown that is not an Error (an object with a message) is logged as its type only", () => {
    const { logger, output } = capture();
    logger.error({ err: { message: `${NAME} ${PHONE}`, detail: DESCRIPTION } }, "odd throw");
    expectNoContent(output());
    expect(JSON.parse(output())).toMatchObject({ err: { type: "object" } });
  });

  it("a string under err passes: it is an errorSummary() line (code and description), as the inbox and HTTP server log", () => {
    const { logger, output } = capture();
    logger.error({ err: "MongoServerSelectionError" }, "inbox sweep failed");
    expect(JSON.parse(output())).toMatchObject({ err: "MongoServerSelectionError" });
  });

  it("message fields are redacted at any depth: an update, a contact, a location, a request body", () => {
    const { logger, output } = capture();
    const update = {
      update_id: 1,
      message: {
        text: DESCRIPTION,
        caption: ADDRESS,
        from: { id: 5, first_name: "Shirin", last_name: "Kamali", username: "shirin_k" },
        contact: { phone_number: PHONE },
        location: { latitude: 35.8, longitude: 50.9 },
      },
    };
    logger.info(
      {
        update,
        body: JSON.stringify({ text: DESCRIPTION }),
        deep: { a: { b: { c: { d: { e: { text: ADDRESS } } } } } },
        report: { description: DESCRIPTION, address: ADDRESS, citizen: { name: NAME } },
      },
      "update",
    );
    logger.child({ ctx: { message: { text: DESCRIPTION } } }).info("child");
    expectNoContent(output());
    expect(output()).not.toContain("shirin_k");
    expect(output()).not.toContain("35.8");
    const line = JSON.parse(output().split("\n")[0]!) as {
      update: { update_id: number; message: Record<string, unknown> };
    };
    expect(line.update.update_id).toBe(1);
    expect(line.update.message).toMatchObject({
      text: "[redacted]",
      caption: "[redacted]",
      contact: "[redacted]",
      location: "[redacted]",
      from: { id: 5, first_name: "[redacted]" },
    });
  });

  it("our own top-level fields stay readable: the Bot API's description of a failure, codes, ids", () => {
    const { logger, output } = capture();
    logger.warn(
      { rowId: "r1", kind: "staff_card", method: "sendMessage", code: 400, description: "Bad Request: chat not found" },
      "outbox send failed",
    );
    expect(JSON.parse(output())).toMatchObject({
      rowId: "r1",
      kind: "staff_card",
      code: 400,
      description: "Bad Request: chat not found",
    });
  });

  it("the logged object itself is left as it was (the redaction works on a copy)", () => {
    const { logger } = capture();
    const fields = { update: { message: { text: DESCRIPTION } } };
    logger.info(fields, "x");
    expect(fields.update.message.text).toBe(DESCRIPTION);
  });
});
