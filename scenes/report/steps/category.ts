import { InlineKeyboard } from "grammy";
import type { FormCategory } from "../../../models/geography/category.ts";
import type { Locale } from "../../../models/common/platform.ts";
import { done, hint } from "../ask.ts";
import { encode } from "../../../views/buttons/callback-data.ts";
import { askStep, type StepEnv } from "./env.ts";

export async function askCategory(env: StepEnv, categories: FormCategory[], locale: Locale): Promise<string> {
  const kb = new InlineKeyboard();
  categories.forEach((c, i) => {
    kb.text(c.title[locale], encode("form", { key: env.formKey, action: "cat", arg: c.key }));
    if (i % 2 === 1) kb.row();
  });
  await env.ctx.reply(env.t("ask-category"), { reply_markup: kb });
  return askStep(env, {
    hintKey: "hint-category",
    handle(_ctx, button) {
      const chosen = button?.action === "cat" ? categories.find((c) => c.key === button.arg) : undefined;
      return chosen ? done(chosen.key, chosen.title[locale]) : hint;
    },
  });
}
