import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { normalizeCodeInput } from "../../models/report/tracking-code.ts";
import { mainMenuKeyboard } from "../../views/main-menu.ts";
import { replyStatus } from "./status.ts";
import { offerThread } from "./thread-offer.ts";
import { withCentreContact } from "./centre-contact.ts";

/** Last in the chain: every private message gets an answer, never silence. */
export const fallbackHandlers = new Composer<BotContext>();

async function replyFallback(ctx: BotContext): Promise<void> {
  await ctx.reply(withCentreContact(ctx.t("fallback-text"), ctx.t, ctx.app.config), {
    reply_markup: mainMenuKeyboard(ctx.t),
  });
}

fallbackHandlers.on("message::bot_command", async (ctx) => {
  await ctx.reply(ctx.t("unknown-command"), { reply_markup: mainMenuKeyboard(ctx.t) });
});

fallbackHandlers.on(["message:text", "message:photo"], async (ctx) => {
  // After "Track a report" people just type the code.
  const text = ctx.message.text;
  if (text !== undefined && /^\d{8}$/.test(normalizeCodeInput(text))) {
    await replyStatus(ctx, text);
    return;
  }
  // Words or a photo for a case, or the start of a new report: the citizen chooses.
  if (await offerThread(ctx)) return;
  await replyFallback(ctx);
});

fallbackHandlers.on("message", replyFallback);
