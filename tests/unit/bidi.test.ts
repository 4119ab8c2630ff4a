import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createI18n, LOCALES_DIR, translator } from "../../core/i18n.ts";
import { formatCode, parseCode } from "../../models/report/tracking-code.ts";
import { ltr } from "../../core/format.ts";
import { misreadTokens, shownText, visual } from "../support/bidi.ts";

const code = formatCode("20589305");
/** Left-to-right tokens as people type them, by the variable name templates use for them. */
const TOKENS: Record<string, string> = {
  code,
  input: code,
  phone: "+989120005001",
  lat: "35.8327",
  lon: "50.9915",
  bot: "sara_k_bot",
  id: "telegram:12345",
  chat: "-1001234567",
  error: "403: Forbidden",
};
/** Glued literal prefixes: the token a reader must see is prefix + value. */
const PREFIXED: Array<[RegExp, (v: string) => string]> = [
  [/\/status \{ \$code \}/, () => `/status ${code}`],
  [/@\{ \$bot \}/, () => `@${TOKENS.bot}`],
];

type Template = { file: string; key: string; body: string; vars: string[] };

function faTemplates(): Template[] {
  const dir = path.join(LOCALES_DIR, "fa");
  const out: Template[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ftl"))) {
    let current: Template | null = null;
    for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
      const head = /^([a-z][\w-]*)\s*=(.*)$/.exec(line);
      if (head) {
        current = { file, key: head[1]!, body: head[2]!, vars: [] };
        out.push(current);
      } else if (current && /^\s/.test(line)) current.body += `\n${line}`;
      else if (!line.startsWith("#")) current = null;
    }
  }
  for (const tpl of out) tpl.vars = [...new Set([...tpl.body.matchAll(/\{\s*\$(\w+)/g)].map((m) => m[1]!))];
  return out;
}

const all = faTemplates();
const withTokens = all.filter((tpl) => tpl.vars.some((v) => v in TOKENS));
const t = translator(createI18n("fa"), "fa");

function sample(tpl: Template): Record<string, string | number> {
  const vars: Record<string, string | number> = {};
  for (const v of tpl.vars)
    vars[v] = TOKENS[v] ?? (["count", "distance", "radius", "hours", "max", "days", "length"].includes(v) ? 33 : "متن");
  return vars;
}

describe("left-to-right tokens in Persian messages read as typed (Unicode bidi, RTL paragraph)", () => {
  it("finds the templates to check by scanning locales/fa", () => {
    expect(withTokens.map((tpl) => tpl.key)).toEqual(
      expect.arrayContaining([
        "submitted",
        "my-line",
        "card-title",
        "card-photos",
        "contact-private",
        "duplicate-found",
        "summary-coordinates",
      ]),
    );
  });

  it.each(withTokens.map((tpl) => [`${tpl.file} ${tpl.key}`, tpl] as const))("%s", (_name, tpl) => {
    const text = t(tpl.key, sample(tpl));
    const shown = visual(shownText(text));
    for (const v of tpl.vars.filter((name) => name in TOKENS)) expect(shown).toContain(TOKENS[v]);
    for (const [pattern, token] of PREFIXED) if (pattern.test(tpl.body)) expect(shown).toContain(token(""));
  });

  it.each(all.map((tpl) => [`${tpl.file} ${tpl.key}`, tpl] as const))(
    "every left-to-right token in %s (literal or variable) reads as typed",
    (_name, tpl) => {
      expect(misreadTokens(t(tpl.key, sample(tpl)))).toEqual([]);
    },
  );

  it("the card's reporter line (as handlers/staff/case-card.ts builds it) shows the phone and @username as typed", () => {
    const reporter = `سارا ${ltr("@sara_k")} ${t("card-phone", { phone: "+989120005001" })}`;
    const shown = visual(t("card-reporter", { reporter }));
    expect(shown).toContain("@sara_k");
    expect(shown).toContain("+989120005001");
  });

  it("a code copied out of a message, marks and all, is accepted by /status", () => {
    const copied = t("submitted", { code }).split("\n")[1]!.split(":")[1]!;
    expect(copied).not.toBe(` ${code}`); // it carries the marks
    expect(parseCode(copied)).toEqual({ ok: true, code: "20589305" });
  });
});
