import { Keyboard } from "grammy";
import type { Conversation } from "@grammyjs/conversations";
import type { AppDeps } from "../core/app.ts";
import type { BotContext, ConversationContext } from "../core/context.ts";
import { translator } from "../core/i18n.ts";
import type { Locale } from "../models/common/platform.ts";
import { NEARBY_DEFAULTS } from "../models/report/nearby.ts";
import { mainMenuKeyboard } from "../views/main-menu.ts";
import { nearbyReply, sharedPoint } from "../views/nearby-list.ts";
import { askOneMessage } from "./one-question.ts";

export const NEARBY_CONVERSATION = "nearby";
/** Silence after which the question is forgotten: the next message is handled as if it had not been asked. */
export const NEARBY_WAIT_MS = 15 * 60_000;

/**
 * "📍 Nearby": asks for a location (a request_location button), and the next message answers it.
 * A conversation rather than a flag of our own: its state is the chat's conversation state, which
 * survives a restart, expires by itself, and is erased with the rest on /forgetme.
 */
export function createNearby(deps: { app: AppDeps; menuLabels: ReadonlySet<string> }) {
  const { app } = deps;
  return async function nearby(
    conversation: Conversation<BotContext, ConversationContext>,
    ctx: ConversationContext,
    locale: Locale,
  ): Promise<void> {
    const t = translator(app.i18n, locale);
    const menu = { reply_markup: mainMenuKeyboard(t) };
    const keyboard = new Keyboard()
      .requestLocation(t("location-button"))
      .row()
      .text(t("nearby-back"))
      .resized()
      .oneTime();
    const answer = await askOneMessage(conversation, ctx, {
      t,
      ask: { key: "nearby-ask", vars: { radius: NEARBY_DEFAULTS.radiusM }, keyboard },
      back: { key: "nearby-back", doneKey: "nearby-back-done" },
      menuLabels: deps.menuLabels,
    });
    if (!answer) return;
    const point = sharedPoint(answer.message);
    if (!point) return void (await answer.reply(t("nearby-not-location"), menu));
    // A failure becomes a value: the replay log cannot store Error objects.
    const reply = await conversation.external(async () => {
      try {
        return await nearbyReply(app, t, locale, point);
      } catch (err) {
        app.logger.error({ err }, "nearby list failed");
        return null;
      }
    });
    if (!reply) return void (await answer.reply(t("error-db-unavailable"), menu));
    if (!reply.markup) return void (await answer.reply(reply.text, menu));
    await answer.reply(reply.text, { reply_markup: reply.markup });
    await answer.reply(t("nearby-hint"), menu);
  };
}
