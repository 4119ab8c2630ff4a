// Message text and captions as Telegram stores them: parse_mode applied, surrounding whitespace
// trimmed (entities shifted with it), length limits checked on the resulting text.
import type { MessageEntity } from "grammy/types";
import { TG, badRequest } from "./errors.ts";
import type { FormattedText } from "./html.ts";
import { parseHtml } from "./html.ts";

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

export interface FormattedInput extends FormattedText {
  /** As sent, for the transcript (the page renders it with `parse_mode`). */
  raw: string;
  parseMode?: string;
}

function applyParseMode(raw: string, parseMode: string | undefined, entities: unknown): FormattedText {
  const mode = (parseMode ?? "").toLowerCase();
  if (mode === "html") return parseHtml(raw);
  // Markdown modes are accepted but not parsed (the bot sends HTML only; see README).
  if (mode === "" || mode === "none" || mode === "markdown" || mode === "markdownv2") {
    return { text: raw, entities: mode === "" && Array.isArray(entities) ? (entities as MessageEntity[]) : [] };
  }
  throw badRequest("unsupported parse_mode");
}

function trim(f: FormattedText): FormattedText {
  const lead = f.text.length - f.text.trimStart().length;
  const text = f.text.trim();
  const entities = f.entities
    .map((e) => {
      const start = Math.max(e.offset - lead, 0);
      const end = Math.min(e.offset - lead + e.length, text.length);
      return { ...e, offset: start, length: end - start };
    })
    .filter((e) => e.length > 0);
  return { text, entities };
}

/** The `text` of sendMessage / editMessageText: required, at most 4096 characters once parsed. */
export function formatText(raw: string | undefined, parseMode: string | undefined, entities?: unknown): FormattedInput {
  if (!raw) throw TG.textEmpty();
  const f = trim(applyParseMode(raw, parseMode, entities));
  if (f.text === "") throw TG.textEmpty();
  if (f.text.length > TEXT_LIMIT) throw TG.textTooLong();
  return { ...f, raw, ...(parseMode ? { parseMode } : {}) };
}

/** A caption: optional (undefined when absent or empty), at most 1024 characters once parsed. */
export function formatCaption(
  raw: string | undefined,
  parseMode: string | undefined,
  entities?: unknown,
): FormattedInput | undefined {
  if (!raw) return undefined;
  const f = trim(applyParseMode(raw, parseMode, entities));
  if (f.text.length > CAPTION_LIMIT) throw TG.captionTooLong();
  return f.text === "" ? undefined : { ...f, raw, ...(parseMode ? { parseMode } : {}) };
}
