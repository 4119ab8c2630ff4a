import type { Bot } from "grammy";
import type { BotContext } from "../../core/context.ts";
import type { Platform } from "../../models/common/platform.ts";
import { CAPABILITIES } from "../../core/capabilities.ts";
import { ALLOWED_UPDATES } from "../../core/platforms.ts";
import { webhookHeaderSecret, webhookPath, webhookPathSecret } from "../http/secrets.ts";
import type { WebhookTarget } from "../http/server.ts";
import type { UpdateHandler } from "./handle-update.ts";

/** The header secret where the platform echoes one (Telegram); Bale has none and relies on the path. */
function headerSecret(platform: Platform, token: string): string | null {
  return CAPABILITIES[platform].webhookSecretToken ? webhookHeaderSecret(token) : null;
}

/** Points the platform at this deployment. Every instance sets the same URL and secret: repeating it is harmless. */
export async function setWebhook(
  bot: Bot<BotContext>,
  platform: Platform,
  token: string,
  baseUrl: string,
): Promise<void> {
  const secret = headerSecret(platform, token);
  await bot.api.setWebhook(`${baseUrl.replace(/\/+$/, "")}${webhookPath(platform, token)}`, {
    ...(secret ? { secret_token: secret } : {}),
    allowed_updates: ALLOWED_UPDATES,
    // Updates queued while no instance ran are still wanted.
    drop_pending_updates: false,
  });
}

/** What the HTTP server needs to accept this platform's webhook posts. */
export function webhookTarget(platform: Platform, token: string, handleUpdate: UpdateHandler): WebhookTarget {
  return { platform, pathSecret: webhookPathSecret(token), headerSecret: headerSecret(platform, token), handleUpdate };
}
