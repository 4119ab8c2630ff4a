import { Composer, InlineKeyboard, type MiddlewareFn } from "grammy";
import { createConversation } from "@grammyjs/conversations";
import type { BotContext } from "../../core/context.ts";
import {
  createLinkReports,
  LINK_CONVERSATION,
  LINK_WAIT_MS,
  linkFromChat,
  linkResultText,
  ownPhoneOf,
} from "../../scenes/link-reports.ts";
import { encode } from "../../views/buttons/callback-data.ts";
import { onButton } from "../../views/buttons/on-button.ts";
import { mainMenuKeyboard } from "../../views/main-menu.ts";

/** "🔗 Link my reports", drawn under /my (the list and the empty answer). */
export function linkReportsKeyboard(ctx: BotContext): InlineKeyboard {
  return new InlineKeyboard().text(ctx.t("link-button"), encode("linkReports", {}));
}

/**
 * The link conversation (built on the first update: it needs the app), the button that starts it,
 * and a contact sent outside any flow: unambiguous (nothing else reads a contact outside the
 * form), so the citizen's own contact links at once and anyone else's is refused the same way.
 */
export function linkReportsHandlers(menuLabels: ReadonlySet<string>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  let conversation: MiddlewareFn<BotContext> | null = null;
  composer.use((ctx, next) =>
    (conversation ??= createConversation(createLinkReports({ app: ctx.app, menuLabels }), {
      id: LINK_CONVERSATION,
      maxMillisecondsToWait: LINK_WAIT_MS,
    }))(ctx, next),
  );

  onButton(composer, "linkReports", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.conversation.enter(LINK_CONVERSATION, ctx.locale);
  });

  composer.on("message:contact", async (ctx) => {
    const menu = { reply_markup: mainMenuKeyboard(ctx.t) };
    const phone = ownPhoneOf(ctx.message);
    if (!phone) return void (await ctx.reply(ctx.t("link-not-own"), menu));
    const result = await linkFromChat(ctx.app, phone, {
      userId: ctx.from.id,
      chatId: ctx.chat.id,
      locale: ctx.locale,
      firstName: ctx.from.first_name,
    });
    await ctx.reply(result ? linkResultText(ctx.t, result) : ctx.t("error-db-unavailable"), menu);
  });
  return composer;
}
