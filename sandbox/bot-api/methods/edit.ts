// editMessageText / editMessageCaption / editMessageReplyMarkup / deleteMessage on the bot's
// messages. Only inline keyboards can be edited; leaving reply_markup out removes the keyboard;
// an edit that changes nothing is refused with Telegram's "message is not modified".
import type { InlineKeyboardMarkup, MessageEntity } from "grammy/types";
import { TG, badRequest } from "../errors.ts";
import { isInline, parseReplyMarkup } from "../markup.ts";
import type { AnyMarkup } from "../markup.ts";
import { deleteMessage, editMessage } from "../messages.ts";
import type { StoredMessage } from "../state.ts";
import { formatCaption, formatText, type FormattedInput } from "../text.ts";
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

/** Telegram refuses an edit that leaves the text (or caption), its entities and the keyboard as they are. */
function refuseUnchanged(
  [text, entities, oldMarkup]: [string | undefined, MessageEntity[] | undefined, unknown],
  [next, markup]: [FormattedInput | undefined, InlineKeyboardMarkup | undefined],
): void {
  if (same(text, next?.text) && same(entities, entitiesOrNone(next?.entities)) && same(oldMarkup, markup))
    throw TG.notModified();
}

export const editMethods: Record<string, MethodHandler> = {
  editMessageText(ctx) {
    const text = formatText(
      ctx.params.str("text"),
      ctx.params.str("parse_mode"),
      ctx.params.json("entities", entitiesError),
    );
    const markup = inlineMarkup(ctx);
    const stored = editable(ctx);
    if (stored.message.text === undefined) throw badRequest("there is no text in the message to edit");
    refuseUnchanged([stored.message.text, stored.message.entities, stored.message.reply_markup], [text, markup]);
    return editMessage(ctx.world, ctx.p, stored, { text, markup });
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
    refuseUnchanged([m.caption, m.caption_entities, m.reply_markup], [caption, markup]);
    const next = caption ? (({ text, ...rest }) => ({ caption: text, ...rest }))(caption) : null;
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
