import { Composer } from "grammy";
import type { BotContext } from "../bot/context.ts";
import { mainMenuKeyboard } from "./citizen/main-menu.ts";

/** Installed before the conversations, so /cancel leaves any form (citizen report or staff input) at any step. */
export const cancelHandlers = new Composer<BotContext>();

cancelHandlers.command("cancel", async (ctx) => {
  const active = Object.keys(ctx.conversation.active());
  for (const id of active) await ctx.conversation.exit(id);
  const done = ctx.chat.type === "private" ? "cancel-done" : "staff-input-cancelled";
  const text = ctx.t(active.length > 0 ? done : "cancel-nothing");
  // Citizens get their menu back; a staff group keeps its own keyboard-free chat.
  await ctx.reply(text, ctx.chat.type === "private" ? { reply_markup: mainMenuKeyboard(ctx.t) } : {});
});
