import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { requestForget } from "../../models/forget-request.ts";

/** /forgetme: asks once more, then queues the deletion request for the retention job. */
export const forgetMeHandlers = new Composer<BotContext>();

forgetMeHandlers.command("forgetme", async (ctx) => {
  const kb = new InlineKeyboard().text(ctx.t("forget-confirm"), "forget:yes").text(ctx.t("forget-keep"), "forget:no");
  await ctx.reply(ctx.t("forget-ask"), { reply_markup: kb });
});

forgetMeHandlers.callbackQuery("forget:yes", async (ctx) => {
  const fresh = await requestForget(ctx.app.platform, ctx.from.id, ctx.app.now());
  // A half-filled form holds their words too: it ends here (retention deletes its state).
  for (const id of Object.keys(ctx.conversation.active())) await ctx.conversation.exit(id);
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t(fresh ? "forget-queued" : "forget-already"));
});

forgetMeHandlers.callbackQuery("forget:no", async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t("forget-kept"));
});
