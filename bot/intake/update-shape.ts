import { z } from "zod";
import type { Update } from "grammy/types";
import { CALLBACK_DATA_MAX_BYTES } from "../../core/platforms.ts";

/**
 * The edge check every update passes before it is recorded (polling and webhook alike): the fields
 * the bot reads must have the types and sizes the Bot API gives them. A webhook body is anyone's
 * JSON; an id that is an object (`{"$gt":0}`) would otherwise reach a MongoDB filter as an operator.
 * Unknown extra fields are kept (the platforms add fields over time); only the top level is closed,
 * because grammY reads the sender and chat from many update kinds the bot never subscribes to.
 */

/** Telegram allows 4096 characters; room for how Bale and Telegram Premium count. */
export const TEXT_MAX = 8_192;
/** Names, titles and usernames (Telegram: 64 and 32). */
export const NAME_MAX = 256;
const FILE_ID_MAX = 512;
const SHORT_MAX = 256;

// z.int() is the safe-integer range: 2**60, 1.5, NaN, "5200" and {"$gt":0} all fail it.
const userId = z.int().min(1);
const chatId = z.int().refine((n) => n !== 0);
const count = z.int().min(0);
const name = z.string().max(NAME_MAX);
const short = z.string().max(SHORT_MAX);
const fileId = z.string().min(1).max(FILE_ID_MAX);

const user = z.looseObject({
  id: userId,
  is_bot: z.boolean().optional(),
  first_name: name.optional(),
  last_name: name.optional(),
  username: name.optional(),
  language_code: z.string().max(35).optional(),
});

const chat = z.looseObject({
  id: chatId,
  type: z.string().max(32),
  title: name.optional(),
  username: name.optional(),
  first_name: name.optional(),
  last_name: name.optional(),
});

const entity = z.looseObject({
  type: z.string().max(64),
  offset: count,
  length: count,
  url: z.string().max(TEXT_MAX).optional(),
  user: user.optional(),
});
const entities = z.array(entity).max(1_024);

const location = z.looseObject({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  horizontal_accuracy: z.number().min(0).optional(),
  live_period: count.optional(),
  heading: count.optional(),
  proximity_alert_radius: count.optional(),
});

const photoSize = z.looseObject({
  file_id: fileId,
  file_unique_id: fileId.optional(),
  width: count.optional(),
  height: count.optional(),
  file_size: count.optional(),
});

const fileRef = z.looseObject({ file_id: fileId, file_unique_id: fileId.optional(), file_size: count.optional() });

const message = z.looseObject({
  message_id: count,
  date: count,
  edit_date: count.optional(),
  chat,
  from: user.optional(),
  sender_chat: chat.optional(),
  via_bot: user.optional(),
  text: z.string().max(TEXT_MAX).optional(),
  caption: z.string().max(TEXT_MAX).optional(),
  entities: entities.optional(),
  caption_entities: entities.optional(),
  photo: z.array(photoSize).max(32).optional(),
  document: fileRef
    .extend({
      file_name: z.string().max(1_024).optional(),
      mime_type: short.optional(),
      thumbnail: photoSize.optional(),
    })
    .optional(),
  sticker: fileRef.optional(),
  voice: fileRef.optional(),
  location: location.optional(),
  venue: z.looseObject({ location, title: z.string().max(1_024), address: z.string().max(1_024) }).optional(),
  contact: z
    .looseObject({
      phone_number: z.string().max(64),
      first_name: name.optional(),
      last_name: name.optional(),
      user_id: userId.optional(),
      vcard: z.string().max(TEXT_MAX).optional(),
    })
    .optional(),
  media_group_id: short.optional(),
  forward_date: count.optional(),
  forward_from: user.optional(),
  forward_from_chat: chat.optional(),
  forward_origin: z.looseObject({ type: short }).optional(),
  is_automatic_forward: z.boolean().optional(),
  // Telegram nests one level; a getter lets the schema refer to itself.
  get reply_to_message() {
    return message.optional();
  },
});

const callbackQuery = z.looseObject({
  id: z.string().min(1).max(SHORT_MAX),
  from: user,
  message: message.optional(),
  inline_message_id: short.optional(),
  chat_instance: short.optional(),
  data: z
    .string()
    .refine((s) => Buffer.byteLength(s, "utf8") <= CALLBACK_DATA_MAX_BYTES)
    .optional(),
  game_short_name: short.optional(),
});

/** The kinds the bot subscribes to (core/platforms.ts ALLOWED_UPDATES). */
const KINDS = ["message", "edited_message", "callback_query"] as const;

const update = z.looseObject({
  update_id: z.int().min(0),
  message: message.optional(),
  edited_message: message.optional(),
  callback_query: callbackQuery.optional(),
});

export type ScreenResult = { ok: true; update: Update } | { ok: false; reason: string };

/** The first problem's field path and kind, e.g. `message.from.id: invalid_type`: never the value. */
function describe(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((p) => (typeof p === "number" ? `[${p}]` : String(p)))
    .join(".")
    .replace(/\.\[/g, "[");
  return `${path === "" ? "update" : path}: ${issue.code}`;
}

/** Is this a Bot API update of a kind the bot handles, with every field it reads well-typed and bounded? */
export function screenUpdate(u: unknown): ScreenResult {
  const parsed = update.safeParse(u);
  if (!parsed.success) return { ok: false, reason: describe(parsed.error.issues[0]!) };
  // Every other top-level key is an update kind (grammY reads senders and chats from many of them).
  const keys = Object.keys(u as object).filter((k) => k !== "update_id");
  if (keys.length !== 1 || !(KINDS as readonly string[]).includes(keys[0]!))
    return { ok: false, reason: `update: exactly one of ${KINDS.join(", ")} expected` };
  // The value as it came: the schema only looked at it.
  return { ok: true, update: u as Update };
}
