import type { Conversation } from "@grammyjs/conversations";
import type { BotContext, ConversationContext } from "../core/context.ts";

/**
 * The next update that can be an answer. Edits are skipped: a live location shared earlier updates
 * every few seconds for hours, and an edited text is not a reply — none of them may earn a hint.
 * `acceptEdits` is for the one step that wants them (a visit's photos, kept fresh by a live location).
 */
export async function waitForAnswer(
  conversation: Conversation<BotContext, ConversationContext>,
  acceptEdits = false,
): Promise<ConversationContext> {
  for (;;) {
    const ctx = await conversation.wait();
    if (!ctx.editedMessage || acceptEdits) return ctx;
  }
}
