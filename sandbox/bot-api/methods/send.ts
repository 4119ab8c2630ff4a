// send* methods and sendChatAction. Order of checks follows the official server: content and
// markup first, then the chat, then the reply target, then (if enforced) the rate limits.
import { randomBytes } from "node:crypto";
import type { Message } from "grammy/types";
import { TG, badRequest } from "../errors.ts";
import { parseReplyMarkup } from "../markup.ts";
import type { MessageContent, PostOptions } from "../messages.ts";
import { postMessage } from "../messages.ts";
import { formatCaption, formatText } from "../text.ts";
import type { FormattedInput } from "../text.ts";
import type { MethodContext, MethodHandler } from "./context.ts";
import { countSend, replyTarget, resolveChat } from "./context.ts";
import { documentFrom, photoFrom } from "./inputs.ts";

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "record_audio",
  "upload_audio",
  "upload_document",
  "choose_sticker",
  "find_location",
  "pick_up_location",
  "record_video_note",
  "upload_video_note",
  "cancel",
]);

function captionOf(ctx: MethodContext): FormattedInput | undefined {
  return formatCaption(
    ctx.params.str("caption"),
    ctx.params.str("parse_mode"),
    ctx.params.json("caption_entities", () => badRequest("can't parse entities JSON object")),
  );
}

function withCaption(caption: FormattedInput | undefined): Pick<MessageContent, "caption" | "caption_entities"> {
  if (!caption) return {};
  return { caption: caption.text, ...(caption.entities.length ? { caption_entities: caption.entities } : {}) };
}

function rawOf(f: FormattedInput | undefined): Pick<PostOptions, "raw" | "parseMode"> {
  return f ? { raw: f.raw, ...(f.parseMode ? { parseMode: f.parseMode } : {}) } : {};
}

/** The part every single-message send shares once its content is built. */
function sendOne(ctx: MethodContext, build: () => MessageContent, formatted?: FormattedInput): Message {
  const markup = parseReplyMarkup(ctx.params.raw("reply_markup"));
  const chat = resolveChat(ctx, "write");
  const replyTo = replyTarget(ctx, chat);
  // Files are resolved after the chat check, as TDLib does (a bad file_id in a bad chat: "chat not found").
  const content = build();
  countSend(ctx, chat);
  return postMessage(ctx.world, ctx.p, chat, "bot", content, {
    ...rawOf(formatted),
    ...(markup ? { markup } : {}),
    ...(replyTo ? { replyTo } : {}),
  }).message;
}

function coordinate(ctx: MethodContext, name: "latitude" | "longitude", max: number): number {
  if (!ctx.params.has(name)) throw badRequest(`${name} is empty`);
  const value = ctx.params.num(name) ?? 0;
  if (Math.abs(value) > max) throw badRequest("wrong location specified");
  return value;
}

function location(ctx: MethodContext): { latitude: number; longitude: number } {
  return { latitude: coordinate(ctx, "latitude", 90), longitude: coordinate(ctx, "longitude", 180) };
}

interface MediaItem {
  type: "photo" | "document";
  media: string;
  caption?: string;
  parse_mode?: string;
  caption_entities?: unknown;
}

function mediaItems(ctx: MethodContext): MediaItem[] {
  const media = ctx.params.json("media", () => badRequest("can't parse media JSON object"));
  if (!Array.isArray(media)) throw badRequest("expected an Array of InputMedia");
  if (media.length === 0) throw badRequest("there are no messages to send");
  if (media.length > 10) throw badRequest("too many messages to send as an album");
  return media.map((m: unknown) => {
    const item = (typeof m === "object" && m !== null ? m : {}) as Partial<MediaItem>;
    if (item.type !== "photo" && item.type !== "document")
      throw badRequest(`can't parse InputMedia: type "${String(item.type)}" is unsupported by this emulator`);
    if (typeof item.media !== "string" || item.media === "")
      throw badRequest('can\'t parse InputMedia: Field "media" must be of type String');
    return item as MediaItem;
  });
}

export const sendMethods: Record<string, MethodHandler> = {
  sendMessage(ctx) {
    const text = formatText(
      ctx.params.str("text"),
      ctx.params.str("parse_mode"),
      ctx.params.json("entities", () => badRequest("can't parse entities JSON object")),
    );
    return sendOne(
      ctx,
      () => ({ text: text.text, ...(text.entities.length ? { entities: text.entities } : {}) }),
      text,
    );
  },

  sendPhoto(ctx) {
    const ref = ctx.params.file("photo");
    if (!ref) throw badRequest("there is no photo in the request");
    const caption = captionOf(ctx);
    return sendOne(ctx, () => ({ photo: photoFrom(ctx.p, ref), ...withCaption(caption) }), caption);
  },

  sendDocument(ctx) {
    const ref = ctx.params.file("document");
    if (!ref) throw badRequest("there is no document in the request");
    const caption = captionOf(ctx);
    return sendOne(ctx, () => ({ document: documentFrom(ctx.p, ref), ...withCaption(caption) }), caption);
  },

  sendLocation(ctx) {
    const loc = location(ctx);
    return sendOne(ctx, () => ({ location: loc }));
  },

  sendVenue(ctx) {
    const loc = location(ctx);
    const venue = { location: loc, title: ctx.params.str("title") ?? "", address: ctx.params.str("address") ?? "" };
    return sendOne(ctx, () => ({ location: loc, venue }));
  },

  sendContact(ctx) {
    const contact = {
      phone_number: ctx.params.required("phone_number"),
      first_name: ctx.params.required("first_name"),
      ...(ctx.params.has("last_name") ? { last_name: ctx.params.str("last_name") } : {}),
    };
    return sendOne(ctx, () => ({ contact }));
  },

  sendMediaGroup(ctx) {
    const items = mediaItems(ctx);
    const captions = items.map((m) => formatCaption(m.caption, m.parse_mode, m.caption_entities));
    const chat = resolveChat(ctx, "write");
    const replyTo = replyTarget(ctx, chat);
    // Resolve every file before sending any message: one bad item fails the whole album.
    const contents: MessageContent[] = items.map((m, i) => {
      const ref = ctx.params.fileFrom(m.media);
      if (!ref) throw TG.wrongFileId();
      const media = m.type === "photo" ? { photo: photoFrom(ctx.p, ref) } : { document: documentFrom(ctx.p, ref) };
      return { ...media, ...withCaption(captions[i]) };
    });
    countSend(ctx, chat, contents.length);
    const groupId = BigInt.asUintN(63, randomBytes(8).readBigUInt64BE()).toString();
    return contents.map(
      (content, i) =>
        postMessage(
          ctx.world,
          ctx.p,
          chat,
          "bot",
          { ...content, media_group_id: groupId },
          { ...rawOf(captions[i]), ...(replyTo ? { replyTo } : {}) },
        ).message,
    );
  },

  sendChatAction(ctx) {
    const action = ctx.params.str("action")?.toLowerCase() ?? "";
    if (!CHAT_ACTIONS.has(action)) throw badRequest("wrong parameter action in request");
    resolveChat(ctx, "write");
    return true;
  },
};
