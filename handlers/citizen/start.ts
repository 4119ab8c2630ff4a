import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { mainMenuKeyboard } from "../../views/main-menu.ts";
import { withCentreContact } from "./centre-contact.ts";

export const startHandlers = new Composer<BotContext>();

export async function replyHelp(ctx: BotContext): Promise<void> {
  await ctx.reply(withCentreContact(ctx.t("help"), ctx.t, ctx.app.config), { reply_markup: mainMenuKeyboard(ctx.t) });
}

startHandlers.command("start", async (ctx) => {
  await ctx.reply(ctx.t("welcome", { name: ctx.from?.first_name ?? "" }), { reply_markup: mainMenuKeyboard(ctx.t) });
});
startHandlers.command("help", replyHelp);
startHandlers.command("privacy", async (ctx) => {
  await ctx.reply(ctx.t("privacy", { days: ctx.app.config.RETENTION_DAYS }));
});
