// getChat, getChatMember, answerCallbackQuery, getFile: reads about chats, users and files,
// and the one write that is not a message (the callback answer, shown in the transcript).
import type { ChatFullInfo, ChatMember, File } from "grammy/types";
import { TG, badRequest } from "../errors.ts";
import { chatObject, userObject } from "../messages.ts";
import type { MethodHandler } from "./context.ts";
import { resolveChat } from "./context.ts";

const NO_GIFTS = {
  unlimited_gifts: false,
  limited_gifts: false,
  unique_gifts: false,
  premium_subscription: false,
  gifts_from_channels: false,
};

const ADMIN_RIGHTS = {
  can_be_edited: false,
  is_anonymous: false,
  can_manage_chat: true,
  can_delete_messages: true,
  can_manage_video_chats: false,
  can_restrict_members: false,
  can_promote_members: false,
  can_change_info: false,
  can_invite_users: true,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_pin_messages: true,
  can_send_welcome_messages: false,
};

/** Bots may download files up to 20 MB through getFile. */
const DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/** Telegram caps answerCallbackQuery text at 200 characters. */
const CALLBACK_TEXT_LIMIT = 200;

export const queryMethods: Record<string, MethodHandler> = {
  getChat(ctx): ChatFullInfo {
    const chat = resolveChat(ctx, "read");
    return {
      ...chatObject(ctx.p, chat),
      accent_color_id: 0,
      max_reaction_count: 11,
      accepted_gift_types: NO_GIFTS,
    } as ChatFullInfo;
  },

  getChatMember(ctx): ChatMember {
    const chat = resolveChat(ctx, "read");
    const userId = ctx.params.int("user_id") ?? 0;
    if (userId <= 0) throw badRequest("invalid user_id specified");
    if (userId === ctx.p.bot.id) return { status: "administrator", user: ctx.p.botUser, ...ADMIN_RIGHTS };
    const user = ctx.p.users.get(userId);
    if (!user) throw badRequest("user not found");
    const u = userObject(user);
    const isMember = chat.type === "private" ? chat.id === userId : chat.members.has(userId);
    if (!isMember) return { status: "left", user: u };
    if (chat.admins.has(userId)) return { status: "administrator", user: u, ...ADMIN_RIGHTS };
    return { status: "member", user: u };
  },

  answerCallbackQuery(ctx) {
    const id = ctx.params.str("callback_query_id") ?? "";
    const query = ctx.p.callbacks.get(id);
    // A query can be answered once; afterwards Telegram treats its id as invalid.
    if (!query || query.answered) throw TG.queryTooOld();
    const text = ctx.params.str("text") ?? "";
    if (text.length > CALLBACK_TEXT_LIMIT) throw badRequest("MESSAGE_TOO_LONG");
    query.answered = true;
    ctx.world.record(ctx.p, {
      kind: "callback_answer",
      chat_id: query.chatId,
      message_id: query.messageId,
      from: "bot",
      // Who pressed: in a group, the page shows the answer's toast/alert to that user only.
      user_id: query.userId,
      date: ctx.world.unixTime(),
      alert: { text, show_alert: ctx.params.bool("show_alert") },
    });
    return true;
  },

  getFile(ctx): File {
    const fileId = ctx.params.str("file_id") ?? "";
    if (fileId === "") throw badRequest("file_id not specified");
    const file = ctx.p.files.get(fileId);
    if (!file) throw TG.invalidFileId();
    if (file.bytes.length > DOWNLOAD_LIMIT_BYTES) throw badRequest("file is too big");
    return {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.bytes.length,
      file_path: file.file_path,
    };
  },
};
