import type { Conversation } from "@grammyjs/conversations";
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup } from "grammy/types";
import type { InlineKeyboard, Keyboard } from "grammy";
import type { BotContext, ConversationContext } from "../../core/context.ts";
import type { Translate } from "../../core/i18n.ts";
import { decodeAs, ownerOf } from "../../views/buttons/callback-data.ts";
import type { ButtonFields } from "../../views/buttons/families.ts";
import { waitForAnswer } from "../wait-answer.ts";

export type IntakeConversation = Conversation<BotContext, ConversationContext>;
/** A press on one of this form's buttons. */
export type FormButton = ButtonFields["form"];
export type Markup = InlineKeyboard | Keyboard | InlineKeyboardMarkup | ReplyKeyboardMarkup;

/** What a step makes of one incoming update. */
export type Outcome<T> =
  | { kind: "done"; value: T; toast?: string }
  /** Right kind of message, wrong content: say why and wait for another. */
  | { kind: "retry"; text: string }
  /** Wrong kind of message for this step. */
  | { kind: "hint" };

export interface AskOptions<T> {
  formKey: string;
  t: Translate;
  /** Locale key of the hint for this step. */
  hintKey: string;
  /** Re-sent with hints and retries, so a one-time keyboard that was used comes back. */
  markup?: Markup;
  /** Menu button labels (any locale): a menu press mid-form is not an answer. */
  menuLabels: ReadonlySet<string>;
  handle(ctx: ConversationContext, button: FormButton | null): Outcome<T>;
}

export const done = <T>(value: T, toast?: string): Outcome<T> =>
  toast ? { kind: "done", value, toast } : { kind: "done", value };
export const retry = (text: string): Outcome<never> => ({ kind: "retry", text });
export const hint: Outcome<never> = { kind: "hint" };

/**
 * Waits until the citizen gives a valid answer for one step. Every other update is answered:
 * stale buttons get an alert, commands and menu presses a reminder, wrong kinds of message the
 * step's hint. Pure parsing only here: conversations replay this code on every update.
 */
export async function ask<T>(conversation: IntakeConversation, o: AskOptions<T>): Promise<T> {
  const withMarkup = o.markup ? { reply_markup: o.markup } : {};
  for (;;) {
    const ctx = await waitForAnswer(conversation);
    const cq = ctx.callbackQuery;
    let button: FormButton | null = null;
    if (cq) {
      if (ownerOf("form", cq.data) !== o.formKey) {
        await ctx.answerCallbackQuery({ text: o.t("stale-button"), show_alert: true });
        continue;
      }
      // Null for an action this release does not draw: every step answers it with its hint.
      button = decodeAs("form", cq.data);
    }
    const text = ctx.message?.text;
    if (text !== undefined && (text.startsWith("/") || o.menuLabels.has(text.trim()))) {
      await ctx.reply(`${o.t("hint-in-flow")}\n${o.t(o.hintKey)}`, withMarkup);
      continue;
    }
    const outcome = ctx.message || cq ? o.handle(ctx, button) : hint;
    if (cq) await ctx.answerCallbackQuery(outcome.kind === "done" && outcome.toast ? { text: outcome.toast } : {});
    if (outcome.kind === "done") return outcome.value;
    if (outcome.kind === "retry") await ctx.reply(outcome.text, withMarkup);
    else await ctx.reply(o.t(o.hintKey), withMarkup);
  }
}
