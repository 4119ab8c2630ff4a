import { Keyboard } from "grammy";
import type { Message } from "grammy/types";
import type { Conversation } from "@grammyjs/conversations";
import type { AppDeps } from "../core/app.ts";
import type { BotContext, ConversationContext } from "../core/context.ts";
import { translator, type Translate } from "../core/i18n.ts";
import { cleanUserText } from "../models/common/clean-text.ts";
import type { Locale } from "../models/common/platform.ts";
import { linkReportsByPhone, ownContactPhone, type LinkResult } from "../models/report/phone-link.ts";
import { formatCode } from "../models/report/tracking-code.ts";
import { mainMenuKeyboard } from "../views/main-menu.ts";
import { askOneMessage } from "./one-question.ts";

export const LINK_CONVERSATION = "link-reports";
/** Silence after which the question is forgotten: the next message is handled as if it had not been asked. */
export const LINK_WAIT_MS = 15 * 60_000;

/** The sender's own number from a contact message (see ownContactPhone), or null. */
export function ownPhoneOf(msg: Message | undefined): string | null {
  if (!msg?.contact) return null;
  return ownContactPhone({
    phone: msg.contact.phone_number,
    contactUserId: msg.contact.user_id,
    senderId: msg.from?.id,
    forwarded: msg.forward_origin !== undefined,
  });
}

/**
 * Links the number's reports to this chat; a failure becomes null (logged without the number).
 * Wakes the outbox when a resolution was queued, so it follows the answer at once.
 */
export async function linkFromChat(
  app: AppDeps,
  phone: string,
  who: { userId: number; chatId: number; locale: Locale; firstName: string },
): Promise<LinkResult | null> {
  try {
    const result = await linkReportsByPhone(
      phone,
      {
        platform: app.platform,
        userId: who.userId,
        chatId: who.chatId,
        locale: who.locale,
        name: cleanUserText(who.firstName, { singleLine: true }).trim(),
      },
      app.now(),
    );
    if (result.linked.some((r) => r.askedFeedback)) app.wakeOutbox();
    return result;
  } catch (err) {
    app.logger.error({ err }, "linking reports by phone failed");
    return null;
  }
}

/** The answer to a link: what was linked (code and status each), else why nothing was. */
export function linkResultText(t: Translate, result: LinkResult): string {
  if (result.linked.length === 0) return t(result.alreadyYours > 0 ? "link-already" : "link-none");
  const lines = result.linked.map((r) => t("link-line", { code: formatCode(r.code), status: t(`status-${r.status}`) }));
  const asked = result.linked.filter((r) => r.askedFeedback).length;
  return [
    t("link-done", { count: result.linked.length }),
    ...lines,
    ...(asked > 0 ? [t("link-resolved-follow", { count: asked })] : []),
    t("link-see-my"),
  ].join("\n");
}

/**
 * "🔗 Link my reports": asks for the citizen's own contact (a request_contact button) and links
 * what was filed for that number by phone. A conversation, like "📍 Nearby": its state survives a
 * restart, expires by itself and is erased on /forgetme.
 */
export function createLinkReports(deps: { app: AppDeps; menuLabels: ReadonlySet<string> }) {
  const { app } = deps;
  return async function linkReports(
    conversation: Conversation<BotContext, ConversationContext>,
    ctx: ConversationContext,
    locale: Locale,
  ): Promise<void> {
    const t = translator(app.i18n, locale);
    const menu = { reply_markup: mainMenuKeyboard(t) };
    const keyboard = new Keyboard()
      .requestContact(t("link-share-button"))
      .row()
      .text(t("link-back"))
      .resized()
      .oneTime();
    const answer = await askOneMessage(conversation, ctx, {
      t,
      ask: { key: "link-ask", keyboard },
      back: { key: "link-back", doneKey: "link-back-done" },
      menuLabels: deps.menuLabels,
    });
    if (!answer) return;
    const msg = answer.message;
    if (!msg?.contact) return void (await answer.reply(t("link-not-contact"), menu));
    const phone = ownPhoneOf(msg);
    const from = msg.from;
    const chatId = answer.chat?.id;
    if (!phone || !from || chatId === undefined) return void (await answer.reply(t("link-not-own"), menu));
    const result = await conversation.external(() =>
      linkFromChat(app, phone, { userId: from.id, chatId, locale, firstName: from.first_name }),
    );
    await answer.reply(result ? linkResultText(t, result) : t("error-db-unavailable"), menu);
  };
}
