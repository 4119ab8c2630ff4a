/**
 * What a Persian reader is sent, and the three checks every such text must pass (issue 14):
 * left-to-right tokens read as typed (bidi), no English words, and Latin digits only inside
 * LRM-wrapped tokens a reader may copy or type back.
 */
import type { ApiCall } from "./fake-bot-api.ts";
import { misreadTokens, shownText } from "./bidi.ts";

export interface SentText {
  /** The Bot API method and the part of the call the text is (text, caption, button). */
  where: string;
  chatId: number | null;
  text: string;
}

type Button = string | { text?: unknown };
type Markup = { inline_keyboard?: Button[][]; keyboard?: Button[][] } | undefined;

function buttonTexts(markup: Markup): string[] {
  return [...(markup?.inline_keyboard ?? []), ...(markup?.keyboard ?? [])]
    .flat()
    .map((b) => (typeof b === "string" ? b : String(b.text ?? "")));
}

/**
 * Every text in these Bot API calls a person reads: message texts, captions (media groups too),
 * alerts, and the labels of inline and reply keyboards. `chats`: only calls to these chats (alerts,
 * which go to whoever pressed, are always kept).
 */
export function sentTexts(calls: readonly ApiCall[], chats?: ReadonlySet<number>): SentText[] {
  const out: SentText[] = [];
  for (const call of calls) {
    const p = call.payload;
    const chatId = p.chat_id === undefined ? null : Number(p.chat_id);
    if (call.method !== "answerCallbackQuery" && chats && (chatId === null || !chats.has(chatId))) continue;
    const add = (part: string, text: unknown) => {
      if (typeof text === "string" && text !== "") out.push({ where: `${call.method} ${part}`, chatId, text });
    };
    add("text", p.text);
    add("caption", p.caption);
    if (Array.isArray(p.media)) for (const m of p.media as { caption?: unknown }[]) add("media caption", m.caption);
    for (const label of buttonTexts(p.reply_markup as Markup)) add("button", label);
  }
  return out;
}

const LRM = "\u200E";
/** Arabic-script letters (Persian included): a right-to-left word ends an LRM-wrapped stretch. */
const RTL_LETTER = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;

/** Check 1: every left-to-right token reads as typed in the right-to-left layout. */
export function bidiViolations(text: string): string[] {
  return misreadTokens(text);
}

/**
 * The other language's name in its own script ("فارسی / English" in /help and on the language
 * buttons): someone who reads no Persian must be able to find it.
 */
export const LANGUAGE_ENDONYMS = ["English"] as const;

export interface LatinAllowance {
  /** Latin names people typed in the story (citizen and staff names), shown as they typed them. */
  names?: readonly string[];
  /** The bot's @username, without the @. */
  botUsername?: string;
}

/**
 * Check 2: Latin words of three or more letters, outside the tokens a Persian text may carry in
 * Latin script: commands, @usernames, URLs, the bot's username, names people typed and the name
 * of the other language.
 */
export function latinWords(text: string, allow: LatinAllowance = {}): string[] {
  let rest = shownText(text)
    .replace(/\b(?:https?|tg):\/\/\S+/g, " ")
    .replace(/\/[A-Za-z_]+(?:@\w+)?/g, " ")
    .replace(/@\w+/g, " ");
  // Whole words only: an allowed "Omid" does not excuse "Omidfixed".
  for (const name of [...(allow.names ?? []), ...(allow.botUsername ? [allow.botUsername] : []), ...LANGUAGE_ENDONYMS])
    rest = rest.replace(
      new RegExp(`(?<![A-Za-z])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z])`, "g"),
      " ",
    );
  return [...rest.matchAll(/[A-Za-z]{3,}/g)].map((m) => m[0]);
}

/**
 * Check 3: ASCII digits that are not inside an LRM-wrapped stretch. A digit is inside one when,
 * looking left and right from it, an LRM comes before any Persian letter or line end: a tracking
 * code, a command with its argument, a phone number or coordinates wrapped by ltr() (or after
 * `{ -lrm }`). Each violation is returned with a little context.
 */
export function looseDigits(text: string): string[] {
  const shown = shownText(text);
  const out: string[] = [];
  const wrapped = (i: number, step: 1 | -1): boolean => {
    for (let j = i + step; j >= 0 && j < shown.length; j += step) {
      const ch = shown[j]!;
      if (ch === LRM) return true;
      if (ch === "\n" || RTL_LETTER.test(ch)) return false;
    }
    return false;
  };
  for (let i = 0; i < shown.length; i++) {
    if (!/[0-9]/.test(shown[i]!)) continue;
    if (!(wrapped(i, -1) && wrapped(i, 1))) out.push(shown.slice(Math.max(0, i - 12), i + 12).replaceAll(LRM, "‹LRM›"));
    // One report per run of digits.
    while (i + 1 < shown.length && /[0-9]/.test(shown[i + 1]!)) i++;
  }
  return out;
}

export interface PersianViolation {
  check: "bidi" | "latin" | "digits";
  where: string;
  found: string[];
  text: string;
}

/** The three checks over every text; empty when a Persian reader saw only Persian, read as typed. */
export function persianViolations(texts: readonly SentText[], allow: LatinAllowance = {}): PersianViolation[] {
  const out: PersianViolation[] = [];
  for (const s of texts) {
    const checks: [PersianViolation["check"], string[]][] = [
      ["bidi", bidiViolations(s.text)],
      ["latin", latinWords(s.text, allow)],
      ["digits", looseDigits(s.text)],
    ];
    for (const [check, found] of checks) if (found.length > 0) out.push({ check, where: s.where, found, text: s.text });
  }
  return out;
}

/** One line per distinct finding ("digits sendMessage text: 33 m"), for a readable failure. */
export function summarize(violations: readonly PersianViolation[]): string[] {
  return [
    ...new Set(violations.flatMap((v) => v.found.map((f) => `${v.check} · ${v.where} · ${f.replaceAll("\n", "⏎")}`))),
  ];
}
