// What simulated people do: exist (users, group chats), hold files, send messages and press
// inline buttons. Each action builds the Telegram-shaped Message/CallbackQuery a real client would
// produce and queues the update for the platform's bot.
import { randomBytes } from "node:crypto";
import type { Message, MessageEntity, Update } from "grammy/types";
import { BotApiError } from "./errors.ts";
import { hasCallbackButton } from "./markup.ts";
import type { MessageContent } from "./messages.ts";
import { editUserMessage, postMessage, userObject } from "./messages.ts";
import { documentFrom, photoFrom } from "./methods/inputs.ts";
import type { Body } from "./sim-input.ts";
import { int, num, obj, optBool, optInt, optStr, str } from "./sim-input.ts";
import { SimError } from "./sim-error.ts";
import type { ChatType, PlatformState, SimChat, SimUser, World } from "./state.ts";
import { CAPTION_LIMIT, TEXT_LIMIT } from "./text.ts";

export function upsertUser(p: PlatformState, b: Body): SimUser {
  const id = int(b, "id", (n) => n > 0, "a positive integer");
  const prev = p.users.get(id);
  const optional = Object.fromEntries(
    ["last_name", "username", "language_code"].flatMap((k) => (b[k] === undefined ? [] : [[k, optStr(b, k)]])),
  );
  const user: SimUser = {
    id,
    first_name: str(b, "first_name"),
    ...optional,
    started: optBool(b, "started") ?? prev?.started ?? false,
    blocked: optBool(b, "blocked") ?? prev?.blocked ?? false,
  };
  p.users.set(id, user);
  if (!p.chats.has(id)) p.chats.set(id, p.newChat(id, "private"));
  return user;
}

function knownUsers(p: PlatformState, b: Body, key: string): number[] {
  const v = b[key] ?? [];
  if (!Array.isArray(v) || !v.every((id) => typeof id === "number"))
    throw new SimError(400, `${key} must be an array of user ids`);
  const missing = v.filter((id: number) => !p.users.has(id));
  if (missing.length)
    throw new SimError(400, `unknown users ${missing.join(", ")}: POST /sim/${p.bot.platform}/users first`);
  return v as number[];
}

export function upsertChat(p: PlatformState, b: Body): SimChat {
  const id = int(b, "id", (n) => n < 0, "a negative integer");
  const type = b.type;
  if (type !== "group" && type !== "supergroup") throw new SimError(400, 'type must be "group" or "supergroup"');
  const members = knownUsers(p, b, "members");
  const admins = knownUsers(p, b, "admins");
  const chat = p.chats.get(id) ?? p.newChat(id, type as ChatType);
  chat.type = type;
  chat.title = str(b, "title");
  if (b.members !== undefined) chat.members = new Set(members);
  if (b.admins !== undefined) chat.admins = new Set(admins);
  for (const a of chat.admins) chat.members.add(a);
  p.chats.set(id, chat);
  return chat;
}

export function describeChat(c: SimChat): Record<string, unknown> {
  return {
    id: c.id,
    type: c.type,
    ...(c.title !== undefined ? { title: c.title } : {}),
    ...(c.type !== "private" ? { members: [...c.members], admins: [...c.admins] } : {}),
  };
}

/** The sender and the chat of a simulated action, with the checks a real client implies. */
function actor(p: PlatformState, b: Body): { user: SimUser; chat: SimChat } {
  const from = int(b, "from");
  const user = p.users.get(from);
  if (!user) throw new SimError(400, `unknown user ${from}: POST /sim/${p.bot.platform}/users first`);
  const chatId = optInt(b, "chat") ?? from;
  const chat = p.chats.get(chatId);
  if (!chat) throw new SimError(400, `unknown chat ${chatId}`);
  if (chat.type === "private" ? chat.id !== from : !chat.members.has(from))
    throw new SimError(403, `user ${from} is not a member of chat ${chatId}`);
  return { user, chat };
}

/** bot_command entities, as Telegram marks them: "/cmd" or "/cmd@bot" at the start or after whitespace. */
export function commandEntities(text: string): MessageEntity[] {
  return [...text.matchAll(/(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)(?=$|\s)/g)].map((m) => ({
    type: "bot_command" as const,
    offset: (m.index ?? 0) + (m[1] ?? "").length,
    length: (m[2] ?? "").length,
  }));
}

/** Bot API errors of the shared file helpers, as /sim errors. */
function simFile<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (err) {
    if (err instanceof BotApiError)
      throw new SimError(400, `${err.description} (use a file_id from POST /sim/:platform/files)`);
    throw err;
  }
}

/** Location.live_period as the Bot API allows it: 60 s to a day, or 0x7FFFFFFF ("until I turn it off"). */
export const LIVE_FOREVER = 0x7fffffff;
const isLivePeriod = (n: number) => (n >= 60 && n <= 86_400) || n === LIVE_FOREVER;
const LIVE_PERIOD_RULE = `an integer from 60 to 86400, or ${LIVE_FOREVER} (until turned off)`;

function point(l: Body): { latitude: number; longitude: number } {
  return { latitude: num(l, "latitude", -90, 90), longitude: num(l, "longitude", -180, 180) };
}

const KINDS = ["text", "photo", "document", "location", "venue", "contact", "sticker"] as const;

function content(p: PlatformState, user: SimUser, b: Body): MessageContent {
  const given = KINDS.filter((k) => b[k] !== undefined && b[k] !== false);
  if (given.length !== 1) throw new SimError(400, `give exactly one of ${KINDS.join(", ")}`);
  const caption = optStr(b, "caption");
  if (caption !== undefined && given[0] !== "photo" && given[0] !== "document")
    throw new SimError(400, "caption goes with photo or document");
  if (caption !== undefined && caption.length > CAPTION_LIMIT)
    throw new SimError(400, `caption is longer than ${CAPTION_LIMIT}`);
  const withCaption = caption !== undefined ? { caption } : {};
  switch (given[0]) {
    case "text": {
      const text = str(b, "text");
      if (text.length > TEXT_LIMIT) throw new SimError(400, `text is longer than ${TEXT_LIMIT}`);
      const entities = commandEntities(text);
      return { text, ...(entities.length ? { entities } : {}) };
    }
    case "photo":
      return { photo: simFile(() => photoFrom(p, { fileId: str(b, "photo") })), ...withCaption };
    case "document":
      return { document: simFile(() => documentFrom(p, { fileId: str(b, "document") })), ...withCaption };
    case "location": {
      const l = obj(b, "location");
      const livePeriod =
        l.live_period === undefined ? undefined : int(l, "live_period", isLivePeriod, LIVE_PERIOD_RULE);
      return { location: { ...point(l), ...(livePeriod !== undefined ? { live_period: livePeriod } : {}) } };
    }
    case "venue": {
      const v = obj(b, "venue");
      const location = point(v);
      return { location, venue: { location, title: str(v, "title"), address: str(v, "address") } };
    }
    case "contact": {
      const c = obj(b, "contact");
      const userId = optInt(c, "user_id");
      const lastName = optStr(c, "last_name");
      return {
        contact: {
          phone_number: str(c, "phone_number"),
          first_name: optStr(c, "first_name") ?? user.first_name,
          ...(lastName ? { last_name: lastName } : {}),
          ...(userId !== undefined ? { user_id: userId } : {}),
        },
      };
    }
    default: {
      const file = p.files.add({
        kind: "sticker",
        bytes: Buffer.alloc(0),
        mime_type: "image/webp",
        width: 512,
        height: 512,
      });
      return {
        sticker: {
          file_id: file.file_id,
          file_unique_id: file.file_unique_id,
          type: "regular",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: "👍",
        },
      };
    }
  }
}

export function userSends(world: World, p: PlatformState, b: Body): { update_id: number; message: unknown } {
  const { user, chat } = actor(p, b);
  const replyId = optInt(b, "reply_to");
  const replyTo = replyId === undefined ? undefined : p.chatMessages(chat.id).get(replyId);
  if (replyId !== undefined && !replyTo) throw new SimError(400, `no message ${replyId} in chat ${chat.id}`);
  const stored = postMessage(world, p, chat, user, content(p, user, b), replyTo ? { replyTo: replyTo.message } : {});
  // Writing to the bot opens the private chat (and undoes a block, as restarting the bot does).
  if (chat.type === "private") Object.assign(user, { started: true, blocked: false });
  // The emulator has no channels: every message has a sender and a non-channel chat.
  const update = p.updates.push({ message: stored.message as Message & Update.NonChannel });
  return { update_id: update.update_id, message: stored.message };
}

export function userPresses(p: PlatformState, b: Body): { update_id: number; callback_query_id: string } {
  const { user, chat } = actor(p, b);
  const messageId = int(b, "message_id");
  const data = str(b, "data");
  const stored = p.chatMessages(chat.id).get(messageId);
  if (!stored) throw new SimError(400, `no message ${messageId} in chat ${chat.id}`);
  if (!hasCallbackButton(stored.message.reply_markup, data))
    throw new SimError(400, `message ${messageId} has no inline button with callback_data ${JSON.stringify(data)}`);
  const id = BigInt.asUintN(63, randomBytes(8).readBigUInt64BE()).toString();
  p.callbacks.set(id, { id, chatId: chat.id, messageId, userId: user.id, answered: false });
  const update = p.updates.push({
    callback_query: { id, from: userObject(user), message: stored.message, chat_instance: chat.instance, data },
  });
  return { update_id: update.update_id, callback_query_id: id };
}

/**
 * The user edits their own message: a live location moves (until its live_period is over) or a
 * text changes. Queued as an `edited_message` update, shown in the transcript as an `edit` item.
 */
export function userEdits(world: World, p: PlatformState, b: Body): { update_id: number; message: unknown } {
  const { user, chat } = actor(p, b);
  const messageId = int(b, "message_id");
  const stored = p.chatMessages(chat.id).get(messageId);
  if (!stored) throw new SimError(400, `no message ${messageId} in chat ${chat.id}`);
  const m = stored.message;
  if (stored.sender !== "user" || m.from?.id !== user.id)
    throw new SimError(403, `message ${messageId} was not sent by user ${user.id}`);
  const given = (["text", "location"] as const).filter((k) => b[k] !== undefined);
  if (given.length !== 1) throw new SimError(400, "give exactly one of text, location");
  if (given[0] === "location") {
    const livePeriod = m.location?.live_period;
    if (!m.location || m.venue || livePeriod === undefined)
      throw new SimError(400, `message ${messageId} is not a live location`);
    if (livePeriod !== LIVE_FOREVER && m.date + livePeriod <= world.unixTime())
      throw new SimError(400, `the live location of message ${messageId} has expired`);
    editUserMessage(world, p, stored, { location: { ...point(obj(b, "location")), live_period: livePeriod } });
  } else {
    if (m.text === undefined) throw new SimError(400, `message ${messageId} has no text to edit`);
    const text = str(b, "text");
    if (text.length > TEXT_LIMIT) throw new SimError(400, `text is longer than ${TEXT_LIMIT}`);
    if (text === m.text) throw new SimError(400, "the text is the same: nothing to edit");
    const entities = commandEntities(text);
    editUserMessage(world, p, stored, { text, entities: entities.length ? entities : undefined });
  }
  const update = p.updates.push({ edited_message: m as Message & Update.Edited & Update.NonChannel });
  return { update_id: update.update_id, message: m };
}
