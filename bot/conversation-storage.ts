import type { ConversationData, VersionedState } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { Platform } from "../models/common/platform.ts";
import { CONVERSATION_NAMESPACE, mongoKeyValueStore, privateChatKey } from "../models/infra/kv-store.ts";

/**
 * Bump when a conversation's code changes shape: stored replay logs of the old code would replay
 * wrongly, so the plugin discards them (the citizen starts the form again). 2: the form asks the category's extra questions and checks photos sent as files (issue 16).
 */
export const CONVERSATION_VERSION = 2;

/**
 * Per chat and platform, in MongoDB: a restart (or another instance) continues where the person
 * was. In group chats (staff) each member has their own state, so two officials can type a
 * reason at the same time without one answering the other's prompt.
 */
export function conversationStorage(platform: Platform) {
  return {
    type: "key" as const,
    version: CONVERSATION_VERSION,
    getStorageKey: (ctx: Context) => conversationKey(platform, ctx),
    adapter: mongoKeyValueStore<VersionedState<ConversationData>>(CONVERSATION_NAMESPACE),
  };
}

/** The key of an update's conversation state; the inbox records the update on that document too. */
export function conversationKey(platform: Platform, ctx: Pick<Context, "chat" | "from">): string | undefined {
  if (!ctx.chat) return undefined;
  if (ctx.chat.type === "private") return privateChatKey(platform, ctx.chat.id);
  return ctx.from ? `${platform}:${ctx.chat.id}:${ctx.from.id}` : undefined;
}
