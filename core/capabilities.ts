import type { Transformer } from "grammy";
import type { Platform } from "../models/common/platform.ts";

/**
 * What each messenger's Bot API supports. Bale mirrors Telegram's API but not all of it; where a
 * feature is missing we fall back (plain text, a new message, a plain prompt) instead of failing.
 */
export interface Capabilities {
  /** parse_mode "HTML" in messages and captions. */
  html: boolean;
  /** editMessageText / editMessageReplyMarkup on the bot's own messages. */
  edits: boolean;
  /** reply_markup.force_reply (staff prompts in groups). */
  forceReply: boolean;
  /** reply_parameters (Bot API 7); older APIs take reply_to_message_id. */
  replyParameters: boolean;
  /** Per-language and per-scope command menus. */
  scopedCommands: boolean;
  forumTopics: boolean;
  chatMemberUpdates: boolean;
  liveLocation: boolean;
  /** setWebhook's secret_token, echoed in X-Telegram-Bot-Api-Secret-Token; without it only the secret path protects the webhook. */
  webhookSecretToken: boolean;
  /**
   * The managers' performance table as a picture (sendPhoto of a rendered PNG) with the text as its
   * caption. Off on Bale: it gets the phone text only, as issue 14 asks, until the picture has been
   * checked in Bale's apps.
   */
  tableImages: boolean;
}

export const CAPABILITIES: Record<Platform, Capabilities> = {
  telegram: {
    html: true,
    edits: true,
    forceReply: true,
    replyParameters: true,
    scopedCommands: true,
    forumTopics: true,
    chatMemberUpdates: true,
    liveLocation: true,
    webhookSecretToken: true,
    tableImages: true,
  },
  bale: {
    html: false,
    edits: true,
    forceReply: false,
    replyParameters: false,
    scopedCommands: false,
    forumTopics: false,
    chatMemberUpdates: false,
    liveLocation: false,
    webhookSecretToken: false,
    tableImages: false,
  },
};

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&amp;": "&" };

/** Our HTML (b, i, code, pre, a) as plain text: tags dropped, entities decoded (&amp; last). */
export function htmlToPlain(html: string): string {
  return html.replace(/<[^>]+>/g, "").replace(/&(lt|gt|quot|#39|amp);/g, (e) => ENTITIES[e] ?? e);
}

type Payload = Record<string, unknown>;

function downgrade(p: Payload, caps: Capabilities): Payload {
  const out: Payload = { ...p };
  if (!caps.html && out.parse_mode === "HTML") {
    delete out.parse_mode;
    for (const key of ["text", "caption"]) if (typeof out[key] === "string") out[key] = htmlToPlain(out[key]);
    if (Array.isArray(out.media)) out.media = out.media.map((m: Payload) => downgrade(m, caps));
  }
  const markup = out.reply_markup as Payload | undefined;
  if (!caps.forceReply && markup && "force_reply" in markup) delete out.reply_markup;
  const reply = out.reply_parameters as { message_id?: number } | undefined;
  if (!caps.replyParameters && reply) {
    delete out.reply_parameters;
    if (reply.message_id) out.reply_to_message_id = reply.message_id;
  }
  return out;
}

/** Installed on every Api of a platform (bot, conversations, outbox): the fallbacks in one place. */
export function capabilityTransformer(platform: Platform): Transformer {
  const caps = CAPABILITIES[platform];
  return (prev, method, payload, signal) => {
    if (!caps.scopedCommands && method === "setMyCommands") {
      const p = { ...(payload as Payload) };
      delete p.scope;
      delete p.language_code;
      return prev(method, p as typeof payload, signal);
    }
    return prev(method, downgrade(payload as Payload, caps) as typeof payload, signal);
  };
}
