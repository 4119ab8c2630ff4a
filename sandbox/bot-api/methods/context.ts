// What every Bot API method handler gets, and the checks most of them share (chat, message,
// reply target) with Telegram's wording and order.
import type { Message } from "grammy/types";
import { TG, badRequest } from "../errors.ts";
import type { Params } from "../params.ts";
import type { PlatformState, SimChat, StoredMessage, World } from "../state.ts";

export interface MethodContext {
  world: World;
  p: PlatformState;
  params: Params;
  /** Aborted when the client disconnects (long polls stop waiting). */
  signal: AbortSignal;
}

export type MethodHandler = (ctx: MethodContext) => unknown;

/**
 * The chat named by `chat_id` (an id, or @username of a user). "write": the bot is about to send,
 * so a private chat must have been opened by its user and not blocked.
 */
export function resolveChat(ctx: MethodContext, access: "read" | "write", param = "chat_id"): SimChat {
  const s = ctx.params.str(param)?.trim();
  if (!s) throw TG.chatIdEmpty();
  const id = s.startsWith("@")
    ? [...ctx.p.users.values()].find((u) => u.username?.toLowerCase() === s.slice(1).toLowerCase())?.id
    : Number(s);
  const chat = id === undefined || !Number.isSafeInteger(id) ? undefined : ctx.p.chats.get(id);
  if (!chat) throw TG.chatNotFound();
  if (access === "write" && chat.type === "private") {
    const user = ctx.p.users.get(chat.id);
    if (user?.blocked) throw TG.botBlocked();
    if (!user?.started) throw TG.cantInitiate();
  }
  return chat;
}

export function findMessage(
  ctx: MethodContext,
  chat: SimChat,
  what: Parameters<typeof TG.messageNotFound>[0],
  messageId = ctx.params.int("message_id"),
): StoredMessage {
  const stored = messageId !== undefined && messageId > 0 ? ctx.p.chatMessages(chat.id).get(messageId) : undefined;
  if (!stored) throw TG.messageNotFound(what);
  return stored;
}

/** reply_parameters (Bot API 7+) or the older reply_to_message_id / allow_sending_without_reply. */
export function replyTarget(ctx: MethodContext, chat: SimChat): Message | undefined {
  let messageId = ctx.params.int("reply_to_message_id");
  let allowWithout = ctx.params.bool("allow_sending_without_reply");
  const rp = ctx.params.json("reply_parameters", () => badRequest("can't parse reply parameters JSON object"));
  if (rp !== undefined) {
    if (typeof rp !== "object" || rp === null || Array.isArray(rp))
      throw badRequest("object expected as reply parameters");
    const r = rp as { message_id?: unknown; allow_sending_without_reply?: unknown };
    messageId = Number(r.message_id ?? 0);
    allowWithout = r.allow_sending_without_reply === true;
  }
  if (!messageId || messageId <= 0) return undefined;
  const stored = ctx.p.chatMessages(chat.id).get(messageId);
  if (!stored && !allowWithout) throw TG.messageNotFound("message to be replied");
  return stored?.message;
}

/** Rate limits (when enforced) count every message sent to a chat. */
export function countSend(ctx: MethodContext, chat: SimChat, messages = 1): void {
  ctx.world.limiter?.consume(ctx.p.bot.platform, chat.id, chat.type !== "private", messages);
}
