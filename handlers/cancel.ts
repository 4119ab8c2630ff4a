import { Composer } from "grammy";
import type { BotContext } from "../core/context.ts";
import { mainMenuKeyboard } from "../views/main-menu.ts";
import { VISIT_CONVERSATION } from "../scenes/staff/visit/field-visit.ts";

/** Installed before the conversations, so /cancel leaves any form (citizen report, staff input, field visit) at any step. */
export const cancelHandlers = new Composer<BotContext>();

cancelHandlers.command("cancel", async (ctx) => {
  const active = Object.keys(ctx.conversation.active());
  for (const id of active) await ctx.conversation.exit(id);
  const done = active.includes(VISIT_CONVERSATION)
    ? "visit-cancelled"
    : ctx.chat.type === "private"
      ? "cancel-done"
      : "staff-input-cancelled";
  const text = ctx.t(active.length > 0 ? done : "cancel-nothing");
  // Citizens get their menu back; an official leaving a visit gets the location keyboard removed, never the
  // citizen menu; a staff group keeps its own keyboard-free chat.
  const markup = active.includes(VISIT_CONVERSATION)
    ? { remove_keyboard: true as const }
    : ctx.chat.type === "private"
      ? mainMenuKeyboard(ctx.t)
      : null;
  await ctx.reply(text, markup ? { reply_markup: markup } : {});
});
