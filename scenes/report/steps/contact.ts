import { Keyboard } from "grammy";
import { done, hint, retry } from "../ask.ts";
import { askStep, type StepEnv } from "./env.ts";
import { cleanUserText } from "../../../models/common/clean-text.ts";

/** Optional phone number; only the citizen's own contact is accepted. Returns "" when skipped. */
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
        if (msg.contact.user_id !== ctx.from?.id) return retry(env.t("contact-not-own"));
        return done(cleanUserText(msg.contact.phone_number, { singleLine: true }).trim());
      }
      if (msg.text?.trim() === env.t("contact-skip-button")) return done("");
      return hint;
    },
  });
}
