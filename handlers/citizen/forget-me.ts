import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { requestForget } from "../../models/people/forget-request.ts";
import { encode } from "../../views/buttons/callback-data.ts";
import { onButton } from "../../views/buttons/on-button.ts";

/** /forgetme: asks once more, then queues the deletion request for the retention job. */
export const forgetMeHandlers = new Composer<BotContext>();

forgetMeHandlers.command("forgetme", async (ctx) => {
  const kb = new InlineKeyboard()
    .text(ctx.t("forget-confirm"), encode("forget", { answer: "yes" }))
    .text(ctx.t("forget-keep"), encode("forget", { answer: "no" }));
  await ctx.reply(ctx.t("forget-ask"), { reply_markup: kb });
});

onButton(forgetMeHandlers, "forget", async (ctx, { answer }) => {
  if (answer === "no") {
    await ctx.answerCallbackQuery();
    return ctx.reply(ctx.t("forget-kept"));
  }
  const fresh = await requestForget(ctx.app.platform, ctx.from.id, ctx.app.now());
  // A half-filled form holds their words too: it ends here (retention deletes its state).
  for (const id of Object.keys(ctx.conversation.active())) await ctx.conversation.exit(id);
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t(fresh ? "forget-queued" : "forget-already"));
});
