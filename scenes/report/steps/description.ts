import { cleanUserText } from "../../../models/clean-text.ts";
import { done, hint, retry } from "../ask.ts";
import { DESCRIPTION_MAX, DESCRIPTION_MIN } from "../draft.ts";
import { askStep, type StepEnv } from "./env.ts";

export async function askDescription(env: StepEnv): Promise<string> {
  await env.ctx.reply(env.t("ask-description"), { reply_markup: { remove_keyboard: true } });
  return askStep(env, {
    hintKey: "hint-description",
    handle(ctx) {
      const raw = ctx.message?.text;
      if (raw === undefined) return hint;
      // Cleaned before the length checks: a text of bidi overrides alone is empty, not long enough.
      const text = cleanUserText(raw).trim();
      if (text.length === 0) return retry(env.t("description-empty"));
      if (text.length < DESCRIPTION_MIN) return retry(env.t("description-too-short", { length: text.length }));
      if (text.length > DESCRIPTION_MAX) return retry(env.t("description-too-long", { length: text.length }));
      return done(text);
    },
  });
}
