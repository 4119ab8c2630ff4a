import type { Conversation } from "@grammyjs/conversations";
import type { Keyboard } from "grammy";
import type { BotContext, ConversationContext } from "../core/context.ts";
import type { Translate } from "../core/i18n.ts";
import { mainMenuKeyboard } from "../views/main-menu.ts";
import { waitForAnswer } from "./wait-answer.ts";

export interface OneQuestion {
  t: Translate;
  /** The question and the reply keyboard that answers it (a request_location or request_contact button). */
  ask: { key: string; vars?: Record<string, string | number>; keyboard: Keyboard };
  /** The keyboard's "back to menu" label and what it answers. */
  back: { key: string; doneKey: string };
  menuLabels: ReadonlySet<string>;
}

/**
 * A one-message question outside the report form ("📍 Nearby", "🔗 Link my reports"): asks it and
 * returns the next message. Commands, menu presses and buttons are not answers: the question is
 * dropped and they are handled as usual (the conversation halts and passes them on). "Back" is
 * answered here with the menu; null then.
 */
export async function askOneMessage(
  conversation: Conversation<BotContext, ConversationContext>,
  ctx: ConversationContext,
  q: OneQuestion,
): Promise<ConversationContext | null> {
  await ctx.reply(q.t(q.ask.key, q.ask.vars), { reply_markup: q.ask.keyboard });
  const answer = await waitForAnswer(conversation);
  const text = answer.message?.text?.trim();
  if (answer.callbackQuery || text?.startsWith("/") || (text !== undefined && q.menuLabels.has(text)))
    await conversation.halt({ next: true });
  if (text === q.t(q.back.key)) {
    await answer.reply(q.t(q.back.doneKey), { reply_markup: mainMenuKeyboard(q.t) });
    return null;
  }
  return answer;
}
