import type { Api } from "grammy";
import type { I18n } from "@grammyjs/i18n";
import type { Locale, Platform } from "../models/common/platform.ts";
import { CAPABILITIES } from "../core/capabilities.ts";

/**
 * The "/" menu the messenger shows: the default locale for everyone, English for English clients. The list comes
 * from the citizen handlers (CITIZEN_COMMANDS in handlers/citizen/index.ts), each described by its `cmd-<name>` text.
 */
export async function registerCommandMenu(
  api: Api,
  i18n: I18n,
  defaultLocale: Locale,
  platform: Platform,
  citizenCommands: readonly string[],
): Promise<void> {
  const commands = (locale: Locale) =>
    citizenCommands.map((command) => ({ command, description: i18n.t(locale, `cmd-${command}`) }));
  await api.setMyCommands(commands(defaultLocale), { scope: { type: "all_private_chats" } });
  // Without per-language menus a second call would replace the first.
  if (CAPABILITIES[platform].scopedCommands)
    await api.setMyCommands(commands("en"), { scope: { type: "all_private_chats" }, language_code: "en" });
}
