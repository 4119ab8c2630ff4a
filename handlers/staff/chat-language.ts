import type { BotContext } from "../../core/context.ts";
import type { Config } from "../../core/config.ts";
import { translator, type Translate } from "../../core/i18n.ts";
import type { Locale } from "../../models/common/platform.ts";

/**
 * The language of a staff chat: the desk's (DEFAULT_LOCALE), the one its case cards speak. Everyone
 * in the group reads what the bot posts there, so a post follows the group, never the one person
 * whose press caused it; only an alert (answerCallbackQuery), which the presser alone sees, may
 * speak the presser's language.
 */
export function deskLocale(config: Config): Locale {
  return config.DEFAULT_LOCALE;
}

/** The language of messages posted in this chat: the presser's in a private chat, the desk's in a group. */
export function chatLocale(ctx: BotContext): Locale {
  return ctx.chat?.type === "private" ? ctx.locale : deskLocale(ctx.app.config);
}

export function chatT(ctx: BotContext): Translate {
  return ctx.chat?.type === "private" ? ctx.t : translator(ctx.app.i18n, deskLocale(ctx.app.config));
}
