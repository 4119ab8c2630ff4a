import { Composer, type MiddlewareFn } from "grammy";
import { createConversation } from "@grammyjs/conversations";
import type { BotContext } from "../../core/context.ts";
import { supportCase, type SupportRefusal } from "../../models/report/nearby.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { createNearby, NEARBY_CONVERSATION, NEARBY_WAIT_MS } from "../../scenes/nearby.ts";
import { onButton } from "../../views/buttons/on-button.ts";
import { mainMenuKeyboard } from "../../views/main-menu.ts";
import { nearbyReply, sharedPoint } from "../../views/nearby-list.ts";
import { requestCardRedraw } from "../../views/case-card/redraw.ts";

/** "📍 Nearby" pressed: the conversation asks for a location and answers it (scenes/nearby.ts). */
export async function askNearby(ctx: BotContext): Promise<void> {
  await ctx.conversation.enter(NEARBY_CONVERSATION, ctx.locale);
}

/** Why a "👍 Me too" added nobody, as the alert says it. */
const REFUSALS: Record<SupportRefusal, string> = {
  already: "nearby-already",
  own: "nearby-own",
  closed: "nearby-closed",
  not_found: "stale-button",
};

/**
 * The nearby conversation (built on the first update: it needs the app), a location sent without
 * pressing "📍 Nearby" (answered the same way: nothing else reads one outside a form), and
 * "👍 Me too" under the list.
 */
export function nearbyHandlers(menuLabels: ReadonlySet<string>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  let conversation: MiddlewareFn<BotContext> | null = null;
  composer.use((ctx, next) =>
    (conversation ??= createConversation(createNearby({ app: ctx.app, menuLabels }), {
      id: NEARBY_CONVERSATION,
      maxMillisecondsToWait: NEARBY_WAIT_MS,
    }))(ctx, next),
  );

  composer.on(["message:location", "message:venue"], async (ctx) => {
    const point = sharedPoint(ctx.message);
    if (!point) return;
    const reply = await nearbyReply(ctx.app, ctx.t, ctx.locale, point);
    const menu = { reply_markup: mainMenuKeyboard(ctx.t) };
    if (!reply.markup) return void (await ctx.reply(reply.text, menu));
    await ctx.reply(reply.text, { reply_markup: reply.markup });
    await ctx.reply(ctx.t("nearby-hint"), menu);
  });

  onButton(composer, "meToo", async (ctx, button) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return;
    const result = await supportCase(
      { id: button.reportId },
      { platform: ctx.app.platform, userId: ctx.from.id, chatId, locale: ctx.locale },
    );
    if (result.outcome !== "supported")
      return void (await ctx.answerCallbackQuery({ text: ctx.t(REFUSALS[result.outcome]), show_alert: true }));
    await ctx.answerCallbackQuery();
    // The staff card shows the new count: queued through the outbox, in the card chat's order.
    await requestCardRedraw(ctx.app, result.report);
    await ctx.reply(ctx.t("nearby-supported", { code: formatCode(result.report.code) }));
  });
  return composer;
}
