import { InlineKeyboard } from "grammy";
import type { Translate } from "../core/i18n.ts";

/** "Was it fixed?" and 1–5 stars: `fb:<report id>:fixed|notfixed|r1…r5`. */
export function feedbackKeyboard(t: Translate, reportId: string): InlineKeyboard {
  const kb = new InlineKeyboard().text(t("feedback-fixed"), `fb:${reportId}:fixed`).text(t("feedback-notfixed"), `fb:${reportId}:notfixed`).row();
  // A number, not a string: Fluent writes it in the reader's digits (۵⭐ in Persian).
  for (let stars = 1; stars <= 5; stars++) kb.text(t("feedback-stars", { stars }), `fb:${reportId}:r${stars}`);
  return kb;
}

export function parseFeedbackData(data: string | undefined): { reportId: string; answer: "fixed" | "notfixed" | number } | null {
  const m = /^fb:([0-9a-f]{24}):(fixed|notfixed|r[1-5])$/.exec(data ?? "");
  if (!m) return null;
  const raw = m[2]!;
  return { reportId: m[1]!, answer: raw === "fixed" || raw === "notfixed" ? raw : Number(raw.slice(1)) };
}
