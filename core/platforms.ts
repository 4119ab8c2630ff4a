import type { Config } from "./config.ts";
import type { Platform } from "../models/common/platform.ts";

/** The update kinds the bot handles, asked for in getUpdates and setWebhook alike. */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query"] as const;

export interface PlatformBot {
  platform: Platform;
  token: string;
  apiRoot: string;
}

/** Which bots this process runs: one per configured token. */
export function configuredBots(config: Config): PlatformBot[] {
  const bots: PlatformBot[] = [];
  if (config.TELEGRAM_BOT_TOKEN)
    bots.push({
      platform: "telegram",
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: stripSlash(config.TELEGRAM_API_ROOT),
    });
  if (config.BALE_BOT_TOKEN)
    bots.push({ platform: "bale", token: config.BALE_BOT_TOKEN, apiRoot: stripSlash(config.BALE_API_ROOT) });
  return bots;
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** STAFF_CHAT_ID on STAFF_PLATFORM: where cases go when no region or department chat matches. */
export function staffFallbackChat(config: Config): { platform: "telegram" | "bale"; chatId: number } | null {
  return config.STAFF_CHAT_ID ? { platform: config.STAFF_PLATFORM, chatId: Number(config.STAFF_CHAT_ID) } : null;
}

/** MANAGERS_CHAT_ID on STAFF_PLATFORM: escalations, digests, the weekly table. */
export function managersChat(config: Config): { platform: "telegram" | "bale"; chatId: number } | null {
  return config.MANAGERS_CHAT_ID ? { platform: config.STAFF_PLATFORM, chatId: Number(config.MANAGERS_CHAT_ID) } : null;
}

/** Telegram's limit for a button's callback_data, in bytes (Bale keeps it); the bot's own buttons stay under it. */
export const CALLBACK_DATA_MAX_BYTES = 64;
