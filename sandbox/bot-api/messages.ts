// Messages entering, changing and leaving a chat, for both directions (the bot through the Bot
// API, users through /sim): one place that stores them, keeps the client's reply keyboard and
// writes the transcript.
import type { Chat, Message, User } from "grammy/types";
import { isInline } from "./markup.ts";
import type { AnyMarkup } from "./markup.ts";
import type { PlatformState, SimChat, SimUser, StoredMessage, World } from "./state.ts";
import { describe } from "./transcript.ts";

/** The content fields of a Message (what differs between a text, a photo, a location…). */
export type MessageContent = Pick<
  Message,
  | "text"
  | "entities"
  | "caption"
  | "caption_entities"
  | "photo"
  | "document"
  | "location"
  | "venue"
  | "contact"
  | "sticker"
  | "media_group_id"
>;

export interface PostOptions {
  raw?: string;
  parseMode?: string;
  markup?: AnyMarkup;
  replyTo?: Message;
}

export function userObject(u: SimUser): User {
  return {
    id: u.id,
    is_bot: false,
    first_name: u.first_name,
    ...(u.last_name ? { last_name: u.last_name } : {}),
    ...(u.username ? { username: u.username } : {}),
    ...(u.language_code ? { language_code: u.language_code } : {}),
  };
}

export function chatObject(p: PlatformState, chat: SimChat): Chat {
  if (chat.type !== "private")
    return chat.type === "group"
      ? { id: chat.id, type: "group", title: chat.title ?? "" }
      : { id: chat.id, type: "supergroup", title: chat.title ?? "" };
  const u = p.users.get(chat.id);
  return {
    id: chat.id,
    type: "private",
    first_name: u?.first_name ?? "",
    ...(u?.last_name ? { last_name: u.last_name } : {}),
    ...(u?.username ? { username: u.username } : {}),
  };
}

/** Telegram nests the replied-to message one level only. */
function replySnapshot(m: Message): Message {
  const copy = structuredClone(m);
  delete copy.reply_to_message;
  return copy;
}

export function postMessage(
  world: World,
  p: PlatformState,
  chat: SimChat,
  from: SimUser | "bot",
  content: MessageContent,
  opts: PostOptions = {},
): StoredMessage {
  const message: Message = {
    message_id: chat.nextMessageId++,
    from: from === "bot" ? p.botUser : userObject(from),
    chat: chatObject(p, chat),
    date: world.unixTime(),
    ...content,
    ...(opts.replyTo ? { reply_to_message: replySnapshot(opts.replyTo) } : {}),
    ...(isInline(opts.markup) ? { reply_markup: opts.markup } : {}),
  } as Message;
  const stored: StoredMessage = {
    message,
    sender: from === "bot" ? "bot" : "user",
    ...(opts.raw !== undefined ? { raw: opts.raw } : {}),
    ...(opts.parseMode ? { parseMode: opts.parseMode } : {}),
    ...(opts.markup ? { markup: opts.markup } : {}),
  };
  p.chatMessages(chat.id).set(message.message_id, stored);
  trackKeyboard(chat, stored);
  world.record(p, { kind: "message", ...describe(stored, world.baseUrl, p.bot.platform) });
  return stored;
}

/** What the user's client shows under the input field after this message. */
function trackKeyboard(chat: SimChat, stored: StoredMessage): void {
  const markup = stored.markup;
  if (stored.sender === "user") {
    if (chat.keyboard?.one_time_keyboard) chat.keyboard = null;
  } else if (markup && "keyboard" in markup) {
    chat.keyboard = markup;
  } else if (markup && "remove_keyboard" in markup) {
    chat.keyboard = null;
  }
}

export interface Edit {
  text?: { text: string; entities: Message["entities"]; raw: string; parseMode?: string };
  caption?: { caption: string; entities: Message["caption_entities"]; raw: string; parseMode?: string } | null;
  /** Only inline keyboards can be edited; undefined removes the keyboard, as on Telegram. */
  markup: AnyMarkup | undefined;
}

export function editMessage(world: World, p: PlatformState, stored: StoredMessage, edit: Edit): Message {
  const m = stored.message;
  if (edit.text) {
    m.text = edit.text.text;
    setOrDelete(m, "entities", edit.text.entities?.length ? edit.text.entities : undefined);
    stored.raw = edit.text.raw;
    setOrDelete(stored, "parseMode", edit.text.parseMode);
  }
  if (edit.caption !== undefined) {
    setOrDelete(m, "caption", edit.caption?.caption);
    setOrDelete(m, "caption_entities", edit.caption?.entities?.length ? edit.caption.entities : undefined);
    setOrDelete(stored, "raw", edit.caption?.raw);
    setOrDelete(stored, "parseMode", edit.caption?.parseMode);
  }
  setOrDelete(m, "reply_markup", isInline(edit.markup) ? edit.markup : undefined);
  setOrDelete(stored, "markup", edit.markup);
  m.edit_date = world.unixTime();
  world.record(p, { kind: "edit", ...describe(stored, world.baseUrl, p.bot.platform) });
  return m;
}

/** A user's own edit (a live location moving, a corrected text): new content, edit_date, a transcript item. */
export function editUserMessage(
  world: World,
  p: PlatformState,
  stored: StoredMessage,
  patch: { [K in "text" | "entities" | "location"]?: Message[K] | undefined },
): Message {
  const m = stored.message;
  for (const key of ["text", "entities", "location"] as const) if (key in patch) setOrDelete(m, key, patch[key]);
  m.edit_date = world.unixTime();
  world.record(p, { kind: "edit", ...describe(stored, world.baseUrl, p.bot.platform) });
  return m;
}

export function deleteMessage(world: World, p: PlatformState, chat: SimChat, stored: StoredMessage): void {
  p.chatMessages(chat.id).delete(stored.message.message_id);
  world.record(p, {
    kind: "delete",
    chat_id: chat.id,
    message_id: stored.message.message_id,
    from: stored.sender,
    date: world.unixTime(),
  });
}

function setOrDelete<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}
