// editMessageText / editMessageCaption / editMessageReplyMarkup / deleteMessage on the bot's
// messages. Only inline keyboards can be edited; leaving reply_markup out removes the keyboard;
// an edit that changes nothing is refused with Telegram's "message is not modified".
import type { InlineKeyboardMarkup, MessageEntity } from "grammy/types";
import { TG, badRequest } from "../errors.ts";
import { isInline, parseReplyMarkup } from "../markup.ts";
import type { AnyMarkup } from "../markup.ts";
import { deleteMessage, editMessage } from "../messages.ts";
import type { StoredMessage } from "../state.ts";
import { formatCaption, formatText } from "../text.ts";
import type { MethodContext, MethodHandler } from "./context.ts";
import { findMessage, resolveChat } from "./context.ts";

const entitiesError = () => badRequest("can't parse entities JSON object");

/** The bot's own message named by chat_id + message_id (inline messages are not emulated). */
function editable(ctx: MethodContext): StoredMessage {
  if (!ctx.params.has("chat_id") && !ctx.params.int("message_id")) {
    if (!ctx.params.has("inline_message_id")) throw badRequest("message identifier is not specified");
    throw badRequest("MESSAGE_ID_INVALID");
  }
  const stored = findMessage(ctx, resolveChat(ctx, "read"), "message to edit");
  if (stored.sender !== "bot") throw TG.cantEdit();
  return stored;
}

function inlineMarkup(ctx: MethodContext): InlineKeyboardMarkup | undefined {
  const markup: AnyMarkup | undefined = parseReplyMarkup(ctx.params.raw("reply_markup"));
  if (markup !== undefined && !isInline(markup)) throw badRequest("inline keyboard expected");
  return markup;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const entitiesOrNone = (e: MessageEntity[] | undefined): MessageEntity[] | undefined => (e?.length ? e : undefined);

export const editMethods: Record<string, MethodHandler> = {
  editMessageText(ctx) {
    const text = formatText(
      ctx.params.str("text"),
      ctx.params.str("parse_mode"),
      ctx.params.json("entities", entitiesError),
    );
    const markup = inlineMarkup(ctx);
    const stored = editable(ctx);
    const m = stored.message;
    if (m.text === undefined) throw badRequest("there is no text in the message to edit");
    if (m.text === text.text && same(m.entities, entitiesOrNone(text.entities)) && same(m.reply_markup, markup))
      throw TG.notModified();
    return editMessage(ctx.world, ctx.p, stored, {
      text: {
        text: text.text,
        entities: text.entities,
        raw: text.raw,
        ...(text.parseMode ? { parseMode: text.parseMode } : {}),
      },
      markup,
    });
  },

  editMessageCaption(ctx) {
    const caption = formatCaption(
      ctx.params.str("caption"),
      ctx.params.str("parse_mode"),
      ctx.params.json("caption_entities", entitiesError),
    );
    const markup = inlineMarkup(ctx);
    const stored = editable(ctx);
    const m = stored.message;
    if (!m.photo && !m.document) throw badRequest("there is no caption in the message to edit");
    if (
      same(m.caption, caption?.text) &&
      same(m.caption_entities, entitiesOrNone(caption?.entities)) &&
      same(m.reply_markup, markup)
    )
      throw TG.notModified();
    const next = caption
      ? {
          caption: caption.text,
          entities: caption.entities,
          raw: caption.raw,
          ...(caption.parseMode ? { parseMode: caption.parseMode } : {}),
        }
      : null;
    return editMessage(ctx.world, ctx.p, stored, { caption: next, markup });
  },

  editMessageReplyMarkup(ctx) {
    const markup = inlineMarkup(ctx);
    const stored = editable(ctx);
    if (same(stored.message.reply_markup, markup)) throw TG.notModified();
    return editMessage(ctx.world, ctx.p, stored, { markup });
  },

  deleteMessage(ctx) {
    const chat = resolveChat(ctx, "read");
    deleteMessage(ctx.world, ctx.p, chat, findMessage(ctx, chat, "message to delete"));
    return true;
  },
};
