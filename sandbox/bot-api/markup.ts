// reply_markup as the Bot API server reads it (tdlib/telegram-bot-api get_reply_markup): the same
// precedence (keyboard, inline_keyboard, remove_keyboard, force_reply; anything else = none) and
// the same error texts, plus Telegram's server-side button checks (BUTTON_DATA_INVALID, URLs).
import type {
  ForceReply,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  KeyboardButton,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
} from "grammy/types";
import { badRequest } from "./errors.ts";

export type AnyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/** callback_data is 1-64 bytes (UTF-8), not characters. */
export const CALLBACK_DATA_MAX_BYTES = 64;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function rowsOf(value: unknown, arrayOfArrays: string): unknown[][] {
  if (!Array.isArray(value) || !value.every(Array.isArray)) throw badRequest(arrayOfArrays);
  return value as unknown[][];
}

function buttonText(button: Json, context: string): string {
  if (typeof button.text !== "string") throw badRequest(`${context}: Field "text" must be of type String`);
  return button.text;
}

function keyboardButton(button: unknown): KeyboardButton {
  if (typeof button === "string") return { text: button };
  if (!isObject(button)) throw badRequest("can't parse keyboard button: KeyboardButton must be a String or an Object");
  buttonText(button, "can't parse keyboard button");
  return button as unknown as KeyboardButton;
}

const ACTION_FIELDS = [
  "callback_game",
  "pay",
  "switch_inline_query",
  "switch_inline_query_chosen_chat",
  "switch_inline_query_current_chat",
  "login_url",
  "web_app",
  "copy_text",
];

function inlineButton(button: unknown): InlineKeyboardButton {
  const context = "can't parse inline keyboard button";
  if (!isObject(button)) throw badRequest(`${context}: InlineKeyboardButton must be an Object`);
  buttonText(button, context);
  if (typeof button.url === "string" && button.url !== "") {
    if (!/^(https?|tg):\/\/\S+$/i.test(button.url)) throw badRequest("BUTTON_URL_INVALID");
    return button as unknown as InlineKeyboardButton;
  }
  // An empty callback_data counts as absent, so such a button is a (refused) text button.
  if (typeof button.callback_data === "string" && button.callback_data !== "") {
    if (Buffer.byteLength(button.callback_data, "utf8") > CALLBACK_DATA_MAX_BYTES)
      throw badRequest("BUTTON_DATA_INVALID");
    return button as unknown as InlineKeyboardButton;
  }
  if (ACTION_FIELDS.some((f) => f in button)) return button as unknown as InlineKeyboardButton;
  throw badRequest(`${context}: Text buttons are unallowed in the inline keyboard`);
}

/** `value`: the parameter as given (object, JSON string or absent). */
export function parseReplyMarkup(value: unknown): AnyMarkup | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  let markup: unknown = value;
  if (typeof value === "string") {
    try {
      markup = JSON.parse(value) as unknown;
    } catch {
      throw badRequest("can't parse reply keyboard markup JSON object");
    }
  }
  if (!isObject(markup)) throw badRequest("object expected as reply markup");
  const selective = markup.selective === true ? { selective: true } : {};
  if (markup.keyboard !== undefined) {
    const rows = rowsOf(markup.keyboard, 'field "keyboard" must be an Array of Arrays').map((row) =>
      row.map(keyboardButton),
    );
    if (rows.length > 0) {
      const options = Object.fromEntries(
        ["is_persistent", "resize_keyboard", "one_time_keyboard", "input_field_placeholder"]
          .filter((k) => markup[k] !== undefined)
          .map((k) => [k, markup[k]]),
      );
      return { keyboard: rows, ...options, ...selective } as ReplyKeyboardMarkup;
    }
  }
  if (markup.inline_keyboard !== undefined) {
    const rows = rowsOf(
      markup.inline_keyboard,
      'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays',
    ).map((row) => row.map(inlineButton));
    // Empty rows are dropped; no buttons at all means no keyboard.
    const kept = rows.filter((row) => row.length > 0);
    if (kept.length > 0) return { inline_keyboard: kept };
  }
  if (markup.remove_keyboard === true || markup.hide_keyboard === true) return { remove_keyboard: true, ...selective };
  if (markup.force_reply === true) {
    const placeholder =
      typeof markup.input_field_placeholder === "string"
        ? { input_field_placeholder: markup.input_field_placeholder }
        : {};
    return { force_reply: true, ...placeholder, ...selective };
  }
  return undefined;
}

export function isInline(markup: AnyMarkup | undefined): markup is InlineKeyboardMarkup {
  return markup !== undefined && "inline_keyboard" in markup;
}

export function hasCallbackButton(markup: AnyMarkup | undefined, data: string): boolean {
  return (
    isInline(markup) &&
    markup.inline_keyboard.some((row) => row.some((b) => "callback_data" in b && b.callback_data === data))
  );
}
