import { Keyboard } from "grammy";
import { done, hint, retry } from "../ask.ts";
import { askStep, type StepEnv } from "./env.ts";
import { cleanUserText } from "../../../models/common/clean-text.ts";
import { ownPhoneOf } from "../../link-reports.ts";

/**
 * Optional phone number; only the citizen's own contact is accepted (its `user_id` is the sender,
 * not forwarded), so the number may link the reports the call centre filed for it (submit.ts).
 * Kept in E.164, the one form reports are compared in; "" when skipped.
 */
export async function askContact(env: StepEnv): Promise<string> {
  const kb = new Keyboard()
    .requestContact(env.t("contact-button"))
    .row()
    .text(env.t("contact-skip-button"))
    .resized()
    .oneTime();
  await env.ctx.reply(env.t("ask-contact"), { reply_markup: kb });
  return askStep(env, {
    hintKey: "hint-contact",
    markup: kb,
    handle(ctx) {
      const msg = ctx.message;
      if (!msg) return hint;
      if (msg.contact) {
        const phone = ownPhoneOf(msg);
        if (phone) return done(phone);
        const own = msg.contact.user_id === ctx.from?.id && msg.forward_origin === undefined;
        if (!own) return retry(env.t("contact-not-own"));
        // Their own, in a form the phone library does not know: kept as sent (it links nothing).
        return done(cleanUserText(msg.contact.phone_number, { singleLine: true }).trim());
      }
      if (msg.text?.trim() === env.t("contact-skip-button")) return done("");
      return hint;
    },
  });
}
