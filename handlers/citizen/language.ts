import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { translator } from "../../core/i18n.ts";
import { setCitizenLocale } from "../../models/people/citizen.ts";
import { mainMenuKeyboard } from "../../views/main-menu.ts";
import { encode } from "../../views/buttons/callback-data.ts";
import { onButton } from "../../views/buttons/on-button.ts";

export const languageHandlers = new Composer<BotContext>();

languageHandlers.command("language", async (ctx) => {
  const kb = new InlineKeyboard()
    .text("فارسی", encode("language", { locale: "fa" }))
    .text("English", encode("language", { locale: "en" }));
  await ctx.reply(ctx.t("language-choose"), { reply_markup: kb });
});

onButton(languageHandlers, "language", async (ctx, { locale }) => {
  const userId = ctx.from.id;
  await setCitizenLocale(ctx.app.platform, userId, locale);
  const t = translator(ctx.app.i18n, locale);
  await ctx.answerCallbackQuery();
  // The menu is redrawn so its buttons speak the new language.
  await ctx.reply(t("language-set"), { reply_markup: mainMenuKeyboard(t) });
});
