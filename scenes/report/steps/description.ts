import { cleanUserText } from "../../../models/common/clean-text.ts";
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
      const problem = descriptionProblem(text);
      return problem ? retry(env.t(problem, { length: text.length })) : done(text);
    },
  });
}

/** Why a (cleaned) text cannot be the description, as its locale key; null when it can. */
export function descriptionProblem(
  text: string,
): "description-empty" | "description-too-short" | "description-too-long" | null {
  if (text.length === 0) return "description-empty";
  if (text.length < DESCRIPTION_MIN) return "description-too-short";
  if (text.length > DESCRIPTION_MAX) return "description-too-long";
  return null;
}
