import { InlineKeyboard } from "grammy";
import type { Translate } from "../core/i18n.ts";
import { encode } from "./buttons/callback-data.ts";
import { STARS } from "./buttons/families.ts";

/** "Was it fixed?" and 1–5 stars (the feedback family of views/buttons/families.ts). */
export function feedbackKeyboard(t: Translate, reportId: string): InlineKeyboard {
  const kb = new InlineKeyboard()
    .text(t("feedback-fixed"), encode("feedback", { reportId, answer: "fixed" }))
    .text(t("feedback-notfixed"), encode("feedback", { reportId, answer: "notfixed" }))
    .row();
  // A number, not a string: Fluent writes it in the reader's digits (۵⭐ in Persian).
  for (const stars of STARS) kb.text(t("feedback-stars", { stars }), encode("feedback", { reportId, answer: stars }));
  return kb;
}
