// parse_mode "HTML" the way TDLib's parse_html reads it: the supported tags, entity decoding,
// and the same error texts (byte offsets are UTF-8 offsets into the text as sent). A literal "<"
// or a <br> in a message is an error on Telegram, so it is one here too.
import type { MessageEntity } from "grammy/types";
import { badRequest } from "./errors.ts";
import type { BotApiError } from "./errors.ts";

const TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "s",
  "strike",
  "del",
  "u",
  "ins",
  "tg-spoiler",
  "tg-emoji",
  "span",
  "pre",
  "code",
  "blockquote",
]);
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

interface OpenTag {
  tag: string;
  start: number;
  attrs: Map<string, string>;
}

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

const cantParse = (why: string): BotApiError => badRequest(`can't parse entities: ${why}`);
const isSpace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\r" || c === "\n";

/** `&name;`, `&#123;` or `&#x7B;` at `pos` (";" optional, as in TDLib); undefined = a literal "&". */
function decodeEntity(s: string, pos: number): { char: string; end: number } | undefined {
  const m = /^&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]+));?/i.exec(s.slice(pos, pos + 12));
  if (!m) return undefined;
  let char: string | undefined;
  if (m[1] !== undefined || m[2] !== undefined) {
    const code = m[1] !== undefined ? Number(m[1]) : parseInt(m[2] ?? "", 16);
    if (code > 0 && code <= 0x10ffff) char = String.fromCodePoint(code);
  } else {
    char = NAMED[(m[3] ?? "").toLowerCase()];
  }
  return char === undefined ? undefined : { char, end: pos + m[0].length };
}

function decodeAll(s: string): string {
  let out = "";
  for (let i = 0; i < s.length;) {
    const e = s[i] === "&" ? decodeEntity(s, i) : undefined;
    out += e ? e.char : s[i];
    i = e ? e.end : i + 1;
  }
  return out;
}

function entityFor(open: OpenTag, length: number): MessageEntity | undefined {
  const at = { offset: open.start, length };
  switch (open.tag) {
    case "b":
    case "strong":
      return { type: "bold", ...at };
    case "i":
    case "em":
      return { type: "italic", ...at };
    case "u":
    case "ins":
      return { type: "underline", ...at };
    case "s":
    case "strike":
    case "del":
      return { type: "strikethrough", ...at };
    case "tg-spoiler":
    case "span":
      return { type: "spoiler", ...at };
    case "code":
      return { type: "code", ...at };
    case "pre":
      return open.attrs.has("language")
        ? { type: "pre", language: open.attrs.get("language"), ...at }
        : { type: "pre", ...at };
    case "blockquote":
      return { type: open.attrs.has("expandable") ? "expandable_blockquote" : "blockquote", ...at };
    case "a": {
      const url = open.attrs.get("href");
      return url ? { type: "text_link", url, ...at } : undefined;
    }
    default:
      // tg-emoji: a custom emoji id we cannot resolve; the text stays, without an entity.
      return undefined;
  }
}

export function parseHtml(s: string): FormattedText {
  const byteOffset = (i: number): number => Buffer.byteLength(s.slice(0, i), "utf8");
  const stack: OpenTag[] = [];
  const entities: MessageEntity[] = [];
  let text = "";
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === "&") {
      const e = decodeEntity(s, i);
      text += e ? e.char : "&";
      i = e ? e.end : i + 1;
      continue;
    }
    if (c !== "<") {
      text += c;
      i++;
      continue;
    }
    const begin = i++;
    if (s[i] !== "/") {
      let end = i;
      while (end < s.length && !isSpace(s[end]) && s[end] !== ">") end++;
      if (end >= s.length) throw cantParse(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
      const tag = s.slice(i, end).toLowerCase();
      if (!TAGS.has(tag)) throw cantParse(`Unsupported start tag "${tag}" at byte offset ${byteOffset(begin)}`);
      const parsed = readAttributes(s, end, tag, byteOffset(begin));
      i = parsed.end;
      if (tag === "span" && parsed.attrs.get("class") !== "tg-spoiler")
        throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(begin)}`);
      stack.push({ tag, start: text.length, attrs: parsed.attrs });
      continue;
    }
    const open = stack.pop();
    if (!open) throw cantParse(`Unexpected end tag at byte offset ${byteOffset(begin)}`);
    i++;
    let nameEnd = i;
    while (nameEnd < s.length && !isSpace(s[nameEnd]) && s[nameEnd] !== ">") nameEnd++;
    const endName = s.slice(i, nameEnd).toLowerCase();
    i = nameEnd;
    while (isSpace(s[i])) i++;
    if (s[i] !== ">") throw cantParse(`Unclosed end tag at byte offset ${byteOffset(begin)}`);
    i++;
    if (endName !== "" && endName !== open.tag)
      throw cantParse(
        `Unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${open.tag}>", found "</${endName}>"`,
      );
    // <pre><code class="language-x"> is one pre entity with a language.
    if (open.tag === "code" && stack.at(-1)?.tag === "pre" && open.attrs.get("class")?.startsWith("language-")) {
      stack.at(-1)?.attrs.set("language", (open.attrs.get("class") ?? "").slice("language-".length));
      continue;
    }
    const entity = text.length > open.start ? entityFor(open, text.length - open.start) : undefined;
    if (entity) entities.push(entity);
  }
  const unclosed = stack.at(-1);
  if (unclosed) throw cantParse(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

/** Attributes from `pos` (just after the tag name) to the closing ">"; values entity-decoded. */
function readAttributes(s: string, pos: number, tag: string, at: number): { attrs: Map<string, string>; end: number } {
  const attrs = new Map<string, string>();
  const unclosed = () => cantParse(`Unclosed start tag "${tag}" at byte offset ${at}`);
  let i = pos;
  for (;;) {
    while (isSpace(s[i])) i++;
    if (i >= s.length) throw unclosed();
    if (s[i] === ">") return { attrs, end: i + 1 };
    const nameStart = i;
    while (i < s.length && !isSpace(s[i]) && s[i] !== "=" && s[i] !== ">") i++;
    const name = s.slice(nameStart, i).toLowerCase();
    if (name === "") throw cantParse(`Empty attribute name in the tag "${tag}" at byte offset ${at}`);
    while (isSpace(s[i])) i++;
    if (s[i] !== "=") {
      // A bare attribute (<blockquote expandable>).
      attrs.set(name, "");
      continue;
    }
    i++;
    while (isSpace(s[i])) i++;
    if (i >= s.length) throw unclosed();
    let value: string;
    const quote = s[i];
    if (quote === '"' || quote === "'") {
      const close = s.indexOf(quote, i + 1);
      if (close === -1) throw unclosed();
      value = s.slice(i + 1, close);
      i = close + 1;
    } else {
      const valueStart = i;
      while (i < s.length && !isSpace(s[i]) && s[i] !== ">") i++;
      value = s.slice(valueStart, i);
    }
    attrs.set(name, decodeAll(value));
  }
}
