import type { MessageEntity } from "grammy/types";
import type { BotContext } from "../../core/context.ts";
import { BIDI_MARKS, BIDI_SCOPED } from "../../models/common/clean-text.ts";

/**
 * Persian messages carry LRM marks around commands and codes (core/format.ts ltr()), so a citizen who copies
 * "/status 1234-5678" out of one sends the marks back: "\u200e/status \u200e1234-5678\u200e". A command must
 * start the text for grammY (and Telegram marks it as a command only there), so leading direction marks are
 * dropped and the entities shifted; a "/word" left at the start becomes the command it was meant to be.
 * Marks inside the argument are the parsers' job (normalizeCodeInput strips them).
 */
const LEADING_MARKS = new RegExp(`^[${BIDI_MARKS}${BIDI_SCOPED}]+`);
const COMMAND = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=$|\s)/;

export async function leadingMarks(ctx: BotContext, next: () => Promise<void>): Promise<void> {
  const message = ctx.update.message;
  const marks = message?.text ? LEADING_MARKS.exec(message.text)?.[0] : undefined;
  if (message?.text && marks) {
    const text = message.text.slice(marks.length);
    const shifted: MessageEntity[] = (message.entities ?? []).flatMap((e) =>
      e.offset >= marks.length ? [{ ...e, offset: e.offset - marks.length }] : [],
    );
    const command = COMMAND.exec(text)?.[0];
    if (command && !shifted.some((e) => e.type === "bot_command" && e.offset === 0))
      shifted.unshift({ type: "bot_command", offset: 0, length: command.length });
    message.text = text;
    if (shifted.length > 0) message.entities = shifted;
    else delete message.entities;
  }
  await next();
}
