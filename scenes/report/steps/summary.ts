import { InlineKeyboard } from "grammy";
import type { FormCategory } from "../../../models/geography/category.ts";
import type { Locale } from "../../../models/common/platform.ts";
import { formatCoordinates, truncate } from "../../../core/format.ts";
import { done, hint } from "../ask.ts";
import { encode } from "../../../views/buttons/callback-data.ts";
import { attributeAnswerLines } from "../../../views/attribute-answers.ts";
import { EDITABLE_STEPS, type Draft, type Step } from "../draft.ts";
import { askStep, type StepEnv } from "./env.ts";

export type SummaryChoice = "confirm" | "edit" | "cancel";

export function renderSummary(
  env: StepEnv,
  draft: Draft,
  category: FormCategory | undefined,
  locale: Locale,
  timeZone: string,
): string {
  const none = env.t("summary-none");
  const location = draft.location
    ? [draft.venueTitle, env.t("summary-coordinates", formatCoordinates(draft.location.lat, draft.location.lon))]
        .filter(Boolean)
        .join(" — ")
    : env.t("summary-no-coordinates", { address: draft.address });
  const summary = env.t("summary", {
    category: category ? category.title[locale] : draft.categoryKey,
    // Keeps the summary within one message whatever was typed.
    description: truncate(draft.description, 1500),
    location,
    photos: draft.photos.length > 0 ? draft.photos.length : none,
    phone: draft.phone || none,
  });
  // Each extra question asked, skipped ones too, so the citizen sees what staff will and will not know.
  const answers = attributeAnswerLines(category?.attributes ?? [], draft.attributes, {
    t: env.t,
    locale,
    timeZone,
    html: false,
    withSkipped: true,
  });
  return [summary, ...answers].join("\n");
}

export async function askSummary(env: StepEnv, text: string): Promise<SummaryChoice> {
  const kb = new InlineKeyboard()
    .text(env.t("summary-confirm"), encode("form", { key: env.formKey, action: "ok" }))
    .row()
    .text(env.t("summary-edit"), encode("form", { key: env.formKey, action: "edit" }))
    .text(env.t("summary-cancel"), encode("form", { key: env.formKey, action: "cancel" }));
  await env.ctx.reply(text, { reply_markup: kb });
  return waitSummaryChoice(env);
}

/** After a failed submit the summary stays on screen: only the choice is awaited again. */
export function waitSummaryChoice(env: StepEnv): Promise<SummaryChoice> {
  return askStep<SummaryChoice>(env, {
    hintKey: "hint-summary",
    handle(_ctx, button) {
      if (button?.action === "ok") return done("confirm");
      if (button?.action === "edit") return done("edit");
      if (button?.action === "cancel") return done("cancel");
      return hint;
    },
  });
}

/** `steps`: what this form can go back to (no extra questions for a category without them). */
export async function askEditTarget(env: StepEnv, steps: readonly Step[] = EDITABLE_STEPS): Promise<Step | "back"> {
  const kb = new InlineKeyboard();
  steps.forEach((step, i) => {
    kb.text(env.t(`edit-${step}`), encode("form", { key: env.formKey, action: "goto", arg: step }));
    if (i % 2 === 1) kb.row();
  });
  kb.row().text(env.t("edit-back"), encode("form", { key: env.formKey, action: "goto", arg: "back" }));
  await env.ctx.reply(env.t("edit-choose"), { reply_markup: kb });
  return askStep<Step | "back">(env, {
    hintKey: "hint-summary",
    handle(_ctx, button) {
      if (button?.action !== "goto") return hint;
      if (button.arg === "back") return done("back");
      const step = steps.find((s) => s === button.arg);
      return step ? done(step) : hint;
    },
  });
}
