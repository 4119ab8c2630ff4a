import type { Translate } from "../core/i18n.ts";
import { escapeHtml, formatDate, formatDay, ltr } from "../core/format.ts";
import type { CategoryAttribute } from "../models/geography/category.ts";
import type { AttributeAnswer } from "../models/report/report-submit.ts";
import type { Locale } from "../models/common/platform.ts";

export interface AnswerLineOptions {
  t: Translate;
  locale: Locale;
  timeZone: string;
  /** The card and /case are HTML; the form's summary is plain text. */
  html: boolean;
  /** Also a line for each question not answered (the summary: the citizen sees what was asked). */
  withSkipped?: boolean;
}

// A letter of the Arabic script: an answer with one is prose and flows right to left by itself.
const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;

/** A question's text in the reader's language, else the other one, else its code. */
export function questionText(attr: Pick<CategoryAttribute, "code" | "description">, locale: Locale): string {
  return attr.description[locale] || attr.description[locale === "fa" ? "en" : "fa"] || attr.code;
}

/** One answer as a reader sees it: list keys by their names, numbers in the reader's digits, dates Jalali. */
export function answerText(
  attr: CategoryAttribute | undefined,
  answer: AttributeAnswer,
  o: Pick<AnswerLineOptions, "locale" | "timeZone">,
): string {
  const { locale } = o;
  const values = answer.values.map((v) => {
    switch (attr?.datatype) {
      case "singlevaluelist":
      case "multivaluelist": {
        const name = attr.values.find((x) => x.key === v)?.name;
        return name?.[locale] || name?.en || v;
      }
      case "number": {
        const n = Number(v);
        return Number.isFinite(n)
          ? new Intl.NumberFormat(locale === "fa" ? "fa-IR" : "en-US", {
              useGrouping: false,
              maximumFractionDigits: 20,
            }).format(n)
          : v;
      }
      case "datetime": {
        const d = new Date(v);
        if (Number.isNaN(d.getTime())) return v;
        return v.endsWith("T00:00:00.000Z") ? formatDay(d, locale, "UTC") : formatDate(d, locale, o.timeZone);
      }
      default:
        // Typed by a person: a code-like token ("12-345") in Persian text would display reordered.
        return locale === "fa" && !ARABIC_SCRIPT.test(v) ? ltr(v) : v;
    }
  });
  return values.join(locale === "fa" ? "، " : ", ");
}

/**
 * "Pole number: 12-345", one line per answer, in the questions' order; answers to questions the
 * category no longer asks still show (by their code), since they were given.
 */
export function attributeAnswerLines(
  attrs: readonly CategoryAttribute[],
  answers: readonly AttributeAnswer[] | null | undefined,
  o: AnswerLineOptions,
): string[] {
  const given = answers ?? [];
  const esc = (s: string) => (o.html ? escapeHtml(s) : s);
  const line = (question: string, answer: string) => o.t("attribute-answer", { question: esc(question), answer });
  const lines: string[] = [];
  for (const attr of attrs) {
    const a = given.find((x) => x.code === attr.code);
    if (a && a.values.length > 0) lines.push(line(questionText(attr, o.locale), esc(answerText(attr, a, o))));
    else if (o.withSkipped) lines.push(line(questionText(attr, o.locale), o.t("attribute-skipped")));
  }
  for (const a of given)
    if (!attrs.some((x) => x.code === a.code) && a.values.length > 0)
      lines.push(line(a.code, esc(answerText(undefined, a, o))));
  return lines;
}
