import type { ConversationData, VersionedState } from "@grammyjs/conversations";
import type { BotContext } from "./context.ts";
import type { Platform } from "../models/platform.ts";
import { mongoKeyValueStore } from "../models/kv-store.ts";

/**
 * Bump when a conversation's code changes shape: stored replay logs of the old code would replay
 * wrongly, so the plugin discards them (the citizen starts the form again).
 */
export const CONVERSATION_VERSION = 1;

/** Per chat and platform, in MongoDB: a restart (or another instance) continues where the citizen was. */
export function conversationStorage(platform: Platform) {
  return {
    type: "key" as const,
    version: CONVERSATION_VERSION,
    getStorageKey: (ctx: BotContext) => (ctx.chat ? `${platform}:${ctx.chat.id}` : undefined),
    adapter: mongoKeyValueStore<VersionedState<ConversationData>>("conversation"),
  };
}
