import { Keyboard } from "grammy";
import type { I18n } from "@grammyjs/i18n";
import type { Translate } from "../core/i18n.ts";

export const MENU_KEYS = ["menu-new", "menu-track", "menu-my", "menu-help", "menu-nearby"] as const;
export type MenuKey = (typeof MENU_KEYS)[number];

export function mainMenuKeyboard(t: Translate): Keyboard {
  return new Keyboard()
    .text(t("menu-new"))
    .text(t("menu-track"))
    .row()
    .text(t("menu-my"))
    .text(t("menu-help"))
    .row()
    .text(t("menu-nearby"))
    .resized()
    .persistent();
}

/** Every locale's label for every menu button: a press works whatever language the keyboard was drawn in. */
export function menuLabels(i18n: I18n): Map<string, MenuKey> {
  const labels = new Map<string, MenuKey>();
  for (const locale of i18n.locales) for (const key of MENU_KEYS) labels.set(i18n.t(locale, key), key);
  return labels;
}
