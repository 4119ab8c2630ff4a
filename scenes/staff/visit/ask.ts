import type { Conversation } from "@grammyjs/conversations";
import type { InlineKeyboard, Keyboard } from "grammy";
import type { BotContext, ConversationContext } from "../../../core/context.ts";
import type { Translate } from "../../../core/i18n.ts";
import { waitForAnswer } from "../../wait-answer.ts";
import { cleanUserText } from "../../../models/common/clean-text.ts";
import { decodeAs, ownerOf } from "../../../views/buttons/callback-data.ts";
import type { VisitChoice } from "../../../views/buttons/families.ts";

export type VisitConversation = Conversation<BotContext, ConversationContext>;

export type Step<T> = { done: T } | { retry: string } | "hint" | "ignore";

export interface VisitAskOptions<T> {
  t: Translate;
  nonce: string;
  /** Locale key of what this step wants, repeated after anything else. */
  hintKey: string;
  hintVars?: Record<string, string | number>;
  markup?: InlineKeyboard | Keyboard;
  /** Offer edited messages (a live location moving) to `handle`; other steps never answer them. */
  acceptEdits?: boolean;
  /** `choice` is this visit's pressed button, if any. Pure parsing: conversations replay it. */
  handle(ctx: ConversationContext, choice: VisitChoice | null): Step<T>;
}

/**
 * Waits for one step's answer. Buttons from elsewhere get an alert, commands a reminder that
 * /cancel stops the visit, wrong kinds of message the step's hint; live-location updates
 * (edited messages) are never answered, only offered to a step that asks for them.
 */
export async function visitAsk<T>(conversation: VisitConversation, o: VisitAskOptions<T>): Promise<T> {
  const withMarkup = o.markup ? { reply_markup: o.markup } : {};
  for (;;) {
    const ctx = await waitForAnswer(conversation, o.acceptEdits);
    const data = ctx.callbackQuery?.data;
    // Buttons carry the visit's nonce, so a button left over from an earlier visit is not this one's.
    if (ctx.callbackQuery && ownerOf("visit", data) !== o.nonce) {
      await ctx.answerCallbackQuery({ text: o.t("visit-finish-first"), show_alert: true });
      continue;
    }
    // Null for a choice this release does not draw: no step wants it, it is acknowledged and ignored.
    const choice = ctx.callbackQuery ? (decodeAs("visit", data)?.choice ?? null) : null;
    const text = ctx.message?.text;
    const step: Step<T> = text?.startsWith("/")
      ? "hint"
      : ctx.message || ctx.editedMessage || choice !== null
        ? o.handle(ctx, choice)
        : "ignore";
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    if (step === "ignore") continue;
    if (step === "hint") {
      await ctx.reply(`${o.t("visit-in-flow")}\n${o.t(o.hintKey, o.hintVars)}`, withMarkup);
      continue;
    }
    if ("done" in step) return step.done;
    await ctx.reply(step.retry, withMarkup);
  }
}

/** A short text answer (a reason, a note), or Skip when `skipChoice` is given. */
export function textStep(t: Translate, max: number, skipChoice?: VisitChoice) {
  return (ctx: ConversationContext, choice: VisitChoice | null): Step<string> => {
    if (skipChoice && choice === skipChoice) return { done: "" };
    if (choice !== null || ctx.editedMessage) return "ignore";
    const text = ctx.message?.text === undefined ? undefined : cleanUserText(ctx.message.text).trim();
    if (!text) return "hint";
    if (text.length > max) return { retry: t("visit-text-too-long", { max, length: text.length }) };
    return { done: text };
  };
}
