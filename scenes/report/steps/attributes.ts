import { InlineKeyboard } from "grammy";
import type { CategoryAttribute, FormCategory } from "../../../models/geography/category.ts";
import {
  ATTRIBUTE_MAX_LENGTH,
  checkAnswer,
  type AttributeProblem,
} from "../../../models/geography/category-attributes.ts";
import type { AttributeAnswer } from "../../../models/report/report-submit.ts";
import type { Locale } from "../../../models/common/platform.ts";
import { encode } from "../../../views/buttons/callback-data.ts";
import { questionText } from "../../../views/attribute-answers.ts";
import { done, hint, retry, type FormButton, type Outcome } from "../ask.ts";
import { askStep, type StepEnv } from "./env.ts";

/** The form Open311's datetime takes, shown as the example. */
const DATE_EXAMPLE = "2025-03-21";

/** Literal keys (not built from the problem's name), so the locale check sees each one used. */
const PROBLEM_KEYS: Record<AttributeProblem, string> = {
  required: "attribute-required",
  not_a_number: "attribute-not-a-number",
  not_a_date: "attribute-not-a-date",
  not_in_list: "attribute-not-in-list",
  unknown: "attribute-not-in-list",
  too_long: "attribute-too-long",
};

const HOW_KEYS: Record<CategoryAttribute["datatype"], string> = {
  string: "attribute-how-text",
  text: "attribute-how-text",
  number: "attribute-how-number",
  datetime: "attribute-how-datetime",
  singlevaluelist: "attribute-how-single",
  multivaluelist: "attribute-how-multi",
};

const isList = (a: CategoryAttribute) => a.datatype === "singlevaluelist" || a.datatype === "multivaluelist";

/**
 * The category's extra questions, one after another, in their order. Answers are checked by the same
 * `checkAnswer` Open311 uses, so both channels store the same shape. Skipped questions are left out.
 */
export async function askAttributes(env: StepEnv, category: FormCategory, locale: Locale): Promise<AttributeAnswer[]> {
  const answers: AttributeAnswer[] = [];
  for (const [index, attr] of category.attributes.entries()) {
    const answer = await askAttribute(env, attr, index, locale);
    if (answer) answers.push(answer);
  }
  return answers;
}

/** Button args carry the question's position (and the value's), so a press on an earlier question's keyboard is not this one's answer. */
const pickArg = (index: number, value: number) => `${index}-${value}`;

function keyboard(env: StepEnv, attr: CategoryAttribute, index: number, locale: Locale, chosen: ReadonlySet<string>) {
  const kb = new InlineKeyboard();
  attr.values.forEach((v, j) => {
    const name = v.name[locale] || v.name.en || v.key;
    const label = attr.datatype === "multivaluelist" && chosen.has(v.key) ? `✅ ${name}` : name;
    kb.text(label, encode("form", { key: env.formKey, action: "atpick", arg: pickArg(index, j) })).row();
  });
  if (attr.datatype === "multivaluelist")
    kb.text(env.t("attribute-done-button"), encode("form", { key: env.formKey, action: "atdone", arg: String(index) }));
  if (!attr.required)
    kb.text(env.t("attribute-skip-button"), encode("form", { key: env.formKey, action: "atskip", arg: String(index) }));
  return kb;
}

type Event = { kind: "answer"; answer: AttributeAnswer | null } | { kind: "toggle"; key: string };

async function askAttribute(
  env: StepEnv,
  attr: CategoryAttribute,
  index: number,
  locale: Locale,
): Promise<AttributeAnswer | null> {
  const chosen = new Set<string>();
  const hintKey = isList(attr)
    ? attr.required
      ? "hint-attribute-list"
      : "hint-attribute-list-optional"
    : attr.required
      ? "hint-attribute-text"
      : "hint-attribute-text-optional";
  const question = [
    questionText(attr, locale),
    attr.datatypeDescription[locale],
    env.t(HOW_KEYS[attr.datatype], { input: DATE_EXAMPLE }),
    attr.required ? "" : env.t("attribute-optional"),
  ]
    .filter(Boolean)
    .join("\n");
  let markup = keyboard(env, attr, index, locale, chosen);
  const hasButtons = isList(attr) || !attr.required;
  await env.ctx.reply(question, hasButtons ? { reply_markup: markup } : {});
  for (;;) {
    const event = await askStep<Event>(env, {
      hintKey,
      ...(hasButtons ? { markup } : {}),
      handle: (ctx, button) => parse(env, attr, index, chosen, button, ctx.message?.text),
    });
    if (event.kind === "answer") return event.answer;
    if (chosen.has(event.key)) chosen.delete(event.key);
    else chosen.add(event.key);
    markup = keyboard(env, attr, index, locale, chosen);
    const names = attr.values.filter((v) => chosen.has(v.key)).map((v) => v.name[locale] || v.name.en || v.key);
    await env.ctx.reply(
      names.length > 0
        ? env.t("attribute-chosen", { values: names.join(locale === "fa" ? "، " : ", ") })
        : env.t("attribute-how-multi"),
      { reply_markup: markup },
    );
  }
}

/** Pure: conversations replay it on every update. */
function parse(
  env: StepEnv,
  attr: CategoryAttribute,
  index: number,
  chosen: ReadonlySet<string>,
  button: FormButton | null,
  text: string | undefined,
): Outcome<Event> {
  const problem = (p: AttributeProblem, length = 0) =>
    retry(env.t(PROBLEM_KEYS[p], { input: DATE_EXAMPLE, length, max: ATTRIBUTE_MAX_LENGTH }));
  if (button) {
    if (button.action === "atskip" && button.arg === String(index) && !attr.required)
      return done({ kind: "answer", answer: null });
    if (button.action === "atpick" && isList(attr)) {
      const [at, j] = (button.arg ?? "").split("-");
      const value = at === String(index) ? attr.values[Number(j)] : undefined;
      if (!value) return hint;
      if (attr.datatype === "multivaluelist") return done({ kind: "toggle", key: value.key });
      return done({ kind: "answer", answer: { code: attr.code, values: [value.key] } });
    }
    if (button.action === "atdone" && button.arg === String(index) && attr.datatype === "multivaluelist") {
      if (chosen.size === 0) return attr.required ? problem("required") : done({ kind: "answer", answer: null });
      const res = checkAnswer(attr, [...chosen]);
      return "problem" in res ? problem(res.problem) : done({ kind: "answer", answer: res.answer });
    }
    return hint;
  }
  // A list is answered with its buttons: its keys are not words a citizen would type.
  if (text === undefined || isList(attr)) return hint;
  const res = checkAnswer(attr, text);
  if ("problem" in res) return problem(res.problem, text.trim().length);
  // A text of invisible marks only: nothing was answered, the question still stands.
  return res.answer ? done({ kind: "answer", answer: res.answer }) : hint;
}
