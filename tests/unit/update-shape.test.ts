import { describe, expect, it } from "vitest";
import { screenUpdate } from "../../bot/intake/update-shape.ts";

const sara = { id: 5200, is_bot: false, first_name: "Sara", language_code: "fa" };
const privateChat = { id: 5200, type: "private", first_name: "Sara" };
const staffChat = { id: -1001370000001, type: "supergroup", title: "Staff" };

function textUpdate(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    update_id: 10,
    message: {
      message_id: 3,
      date: 1_700_000_000,
      chat: privateChat,
      from: sara,
      text: "/status 1234-5678",
      entities: [{ type: "bot_command", offset: 0, length: 7 }],
      ...extra,
    },
  };
}

function press(data: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    update_id: 11,
    callback_query: {
      id: "cq1",
      from: sara,
      chat_instance: "ci",
      data,
      message: { message_id: 9, date: 0, chat: staffChat, text: "…" },
      ...extra,
    },
  };
}

/** Sets `value` at a dotted path (numbers index arrays) in a deep copy. */
function withField(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  const keys = path.split(".");
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return copy;
}

function reasonOf(u: unknown): string {
  const r = screenUpdate(u);
  if (r.ok) throw new Error("expected a refusal");
  return r.reason;
}

describe("screenUpdate: the updates the bot really gets pass unchanged", () => {
  const good: [string, Record<string, unknown>][] = [
    ["a command with entities", textUpdate()],
    [
      "photos with a caption",
      textUpdate({
        text: undefined,
        entities: undefined,
        photo: [
          { file_id: "p-s", file_unique_id: "p-su", width: 90, height: 90, file_size: 900 },
          { file_id: "p", file_unique_id: "p-u", width: 1280, height: 960, file_size: 50_000 },
        ],
        caption: "لوله آب",
      }),
    ],
    [
      "an image document",
      textUpdate({
        text: undefined,
        document: {
          file_id: "d",
          file_unique_id: "d-u",
          mime_type: "image/jpeg",
          file_size: 1_000,
          file_name: "f.jpg",
        },
      }),
    ],
    [
      "a venue",
      textUpdate({
        text: undefined,
        location: { latitude: 35.83, longitude: 50.99 },
        venue: { location: { latitude: 35.83, longitude: 50.99 }, title: "Park", address: "Azadi St" },
      }),
    ],
    [
      "an own contact",
      textUpdate({ text: undefined, contact: { phone_number: "+989121234567", first_name: "Sara", user_id: 5200 } }),
    ],
    [
      "a forwarded location",
      textUpdate({
        text: undefined,
        location: { latitude: -33.9, longitude: 151.2, horizontal_accuracy: 12.5 },
        forward_origin: { type: "hidden_user", date: 1, sender_user_name: "x" },
      }),
    ],
    [
      "a reply in the staff chat",
      {
        update_id: 12,
        message: {
          message_id: 4,
          date: 1,
          chat: staffChat,
          from: sara,
          text: "done",
          reply_to_message: {
            message_id: 2,
            date: 1,
            chat: staffChat,
            from: { id: 42, is_bot: true, first_name: "Bot" },
            text: "Why?",
          },
        },
      },
    ],
    [
      "a live location moving (edited)",
      {
        update_id: 13,
        edited_message: {
          message_id: 5,
          date: 1,
          edit_date: 2,
          chat: privateChat,
          from: sara,
          location: { latitude: 35.8, longitude: 50.9, live_period: 900 },
        },
      },
    ],
    ["a button press on an inaccessible message", press("c:0123456789abcdef01234567:take")],
    ["a Bale user with no language_code, no is_bot", textUpdate({ from: { id: 5200, first_name: "علی" } })],
    [
      "unknown extra fields anywhere below the top",
      textUpdate({
        chat: { ...privateChat, photo: { small_file_id: "x" } },
        link_preview_options: { is_disabled: true },
        reply_markup: { inline_keyboard: [] },
      }),
    ],
  ];
  it.each(good)("%s", (_, u) => {
    const r = screenUpdate(u);
    expect(r).toEqual({ ok: true, update: u });
    if (r.ok) expect(r.update).toBe(u);
  });

  it("64 bytes of callback data pass (32 Persian letters are 64 bytes)", () => {
    expect(screenUpdate(press("ب".repeat(32))).ok).toBe(true);
    expect(screenUpdate(press("z".repeat(64))).ok).toBe(true);
  });
});

describe("screenUpdate: ids the bot puts into queries must be safe integers", () => {
  const hostile: [string, unknown][] = [
    ["an operator object", { $gt: 0 }],
    ["an array", [5200]],
    ["a digit string", "5200"],
    ["a NaN-like string", "NaN"],
    ["a float", 5200.5],
    ["2**60", 2 ** 60],
    ["null", null],
  ];
  const paths: [string, Record<string, unknown>][] = [
    ["message.from.id", textUpdate()],
    ["message.chat.id", textUpdate()],
    ["message.message_id", textUpdate()],
    ["message.date", textUpdate()],
    ["callback_query.from.id", press("fb:0123456789abcdef01234567:fixed")],
    ["callback_query.message.chat.id", press("fb:0123456789abcdef01234567:fixed")],
    ["callback_query.message.message_id", press("fb:0123456789abcdef01234567:fixed")],
  ];
  for (const [path, base] of paths) {
    it.each(hostile)(`${path} as %s is refused, the reason naming the path`, (_, value) => {
      expect(reasonOf(withField(base, path, value))).toMatch(new RegExp(`^${path.replace(/\./g, "\\.")}: `));
    });
  }

  it("update_id must be a safe non-negative integer", () => {
    for (const id of [undefined, -1, 1.5, "10", 2 ** 60, { $gt: 0 }])
      expect(reasonOf(withField(textUpdate(), "update_id", id))).toMatch(/^update_id: /);
  });

  it("user ids are positive, chat ids non-zero (group chats are negative)", () => {
    expect(reasonOf(withField(textUpdate(), "message.from.id", -1))).toMatch(/^message\.from\.id: /);
    expect(reasonOf(withField(textUpdate(), "message.chat.id", 0))).toMatch(/^message\.chat\.id: /);
    expect(screenUpdate(withField(textUpdate(), "message.chat", staffChat)).ok).toBe(true);
  });

  it("contact.user_id, a reply's sender and an entity's offset are checked too", () => {
    const contact = textUpdate({
      text: undefined,
      contact: { phone_number: "+98912", first_name: "S", user_id: { $ne: null } },
    });
    expect(reasonOf(contact)).toBe("message.contact.user_id: invalid_type");
    const reply = textUpdate({
      reply_to_message: { message_id: 1, date: 1, chat: privateChat, from: { id: "5200", first_name: "x" } },
    });
    expect(reasonOf(reply)).toBe("message.reply_to_message.from.id: invalid_type");
    expect(reasonOf(textUpdate({ entities: [{ type: "bot_command", offset: { $gt: 0 }, length: 7 }] }))).toBe(
      "message.entities[0].offset: invalid_type",
    );
  });
});

describe("screenUpdate: texts, data, files and places are bounded and typed", () => {
  it("texts: a string of at most 8192 characters", () => {
    expect(screenUpdate(textUpdate({ text: "x".repeat(8_192), entities: undefined })).ok).toBe(true);
    expect(reasonOf(textUpdate({ text: "x".repeat(8_193) }))).toBe("message.text: too_big");
    expect(reasonOf(textUpdate({ text: { $regex: ".*" } }))).toBe("message.text: invalid_type");
    expect(reasonOf(textUpdate({ text: ["/my"] }))).toBe("message.text: invalid_type");
    expect(reasonOf(textUpdate({ caption: "c".repeat(9_000) }))).toBe("message.caption: too_big");
  });

  it("callback data: a string of at most 64 bytes", () => {
    expect(reasonOf(press("z".repeat(65)))).toBe("callback_query.data: custom");
    expect(reasonOf(press("ب".repeat(33)))).toBe("callback_query.data: custom");
    expect(reasonOf(press({ $gt: "" }))).toBe("callback_query.data: invalid_type");
    expect(reasonOf(press(12345))).toBe("callback_query.data: invalid_type");
  });

  it("names: at most 256 characters", () => {
    expect(reasonOf(withField(textUpdate(), "message.from.first_name", "n".repeat(257)))).toBe(
      "message.from.first_name: too_big",
    );
    expect(reasonOf(withField(textUpdate(), "message.chat.title", { $ne: "" }))).toBe(
      "message.chat.title: invalid_type",
    );
  });

  it("locations: numbers within the globe", () => {
    const at = (latitude: unknown, longitude: unknown) =>
      textUpdate({ text: undefined, location: { latitude, longitude } });
    expect(reasonOf(at("35.8", 50.9))).toBe("message.location.latitude: invalid_type");
    expect(reasonOf(at(35.8, 2 ** 60))).toBe("message.location.longitude: too_big");
    expect(reasonOf(at(-91, 50.9))).toBe("message.location.latitude: too_small");
    expect(reasonOf(at(Number.NaN, 50.9))).toBe("message.location.latitude: invalid_type");
    expect(reasonOf(at(Infinity, 50.9))).toBe("message.location.latitude: invalid_type");
    expect(
      reasonOf(textUpdate({ venue: { location: { latitude: { $gt: 0 }, longitude: 1 }, title: "t", address: "a" } })),
    ).toBe("message.venue.location.latitude: invalid_type");
  });

  it("photos and documents: file ids are strings, sizes integers", () => {
    expect(reasonOf(textUpdate({ photo: { file_id: "p" } }))).toBe("message.photo: invalid_type");
    expect(reasonOf(textUpdate({ photo: [{ file_id: "p", file_size: 1 }, { file_id: { $gt: "" } }] }))).toBe(
      "message.photo[1].file_id: invalid_type",
    );
    expect(reasonOf(textUpdate({ document: { file_id: "d", file_size: "1000" } }))).toBe(
      "message.document.file_size: invalid_type",
    );
    expect(reasonOf(textUpdate({ contact: { phone_number: 989121234567 } }))).toBe(
      "message.contact.phone_number: invalid_type",
    );
  });
});

describe("screenUpdate: only the kinds the bot subscribes to", () => {
  it("not an object at all", () => {
    for (const u of [null, "update", 7, [textUpdate()]]) expect(reasonOf(u)).toBe("update: invalid_type");
  });

  it("no kind, two kinds, or a kind the bot never asked for", () => {
    const expected = "update: exactly one of message, edited_message, callback_query expected";
    expect(reasonOf({ update_id: 1 })).toBe(expected);
    expect(
      reasonOf({ ...textUpdate(), callback_query: (press("x") as { callback_query: unknown }).callback_query }),
    ).toBe(expected);
    // grammY reads ctx.from from business_connection before the message: a forged one would speak for the sender.
    expect(
      reasonOf({
        ...textUpdate(),
        business_connection: { id: "b", user: { id: { $gt: 0 } }, user_chat_id: 1, date: 1 },
      }),
    ).toBe(expected);
    expect(
      reasonOf({
        update_id: 2,
        channel_post: { message_id: 1, date: 1, chat: { id: -100, type: "channel", title: "News" }, text: "hi" },
      }),
    ).toBe(expected);
  });

  it("the reason never carries the value", () => {
    const secret = "SECRET-09121234567";
    for (const u of [
      withField(textUpdate(), "message.from.id", { $gt: secret }),
      textUpdate({ text: secret.repeat(1_000) }),
      press(secret.repeat(5)),
      withField(textUpdate(), "message.chat.id", secret),
    ]) {
      expect(reasonOf(u)).not.toContain("SECRET");
    }
  });
});
