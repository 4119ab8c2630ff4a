import { InputFile, type Api } from "grammy";
import { CAPABILITIES } from "../../core/capabilities.ts";
import { escapeHtml, truncate } from "../../core/format.ts";
import type { Platform } from "../../models/common/platform.ts";
import { renderTablePng } from "./image.ts";
import { fitsCaption, tableText } from "./text.ts";
import type { TableView } from "./view.ts";
import type { WeeklyTablePayload } from "./payload.ts";

/**
 * How a performance table section reaches a chat, for the weekly job's outbox rows and /stats alike.
 *
 * A section is two messages at most: "photo", the picture with the phone text as its caption when
 * that fits Telegram's 1024 characters (else only the heading), and "text", the phone text as its
 * own message when it did not fit, or where no picture is sent (Bale, an empty table). The job
 * queues each part as its own outbox row, because a row is one message: a retry after the text
 * failed must not post the picture again. Each part decides from the same view whether it has
 * anything to send, so between them the text is sent exactly once.
 */
export const TABLE_PARTS = ["photo", "text"] as const;
export type TablePart = (typeof TABLE_PARTS)[number];

const TEXT_MAX = 4096;

/** The parts a platform's chat gets; the picture only where the platform takes table images. */
export function tableParts(platform: Platform): TablePart[] {
  return CAPABILITIES[platform].tableImages ? ["photo", "text"] : ["text"];
}

const withPicture = (platform: Platform, v: TableView) => CAPABILITIES[platform].tableImages && v.empty === "";

export type PartOutcome = { sent: true; renderError?: unknown } | { sent: false; why: string; renderError?: unknown };

/** The phone text as a message: with the legend when it still fits one message, without it otherwise. */
function textMessage(v: TableView): string {
  const full = tableText(v, { legend: true });
  return full.length <= TEXT_MAX ? full : tableText(v, { legend: false });
}

/** The phone text alone, as one message. */
export async function sendTableText(api: Api, chatId: number, v: TableView): Promise<void> {
  const html = textMessage(v);
  // Never cut HTML (a tag could be split): an overlong table goes as plain text, shortened.
  if (html.length <= TEXT_MAX) await api.sendMessage(chatId, html, { parse_mode: "HTML" });
  else await api.sendMessage(chatId, truncate(tableText(v, { legend: false }).replace(/<\/?b>/g, ""), TEXT_MAX));
}

/** Sends one part of a section (see above); `sent: false` says why there was nothing to send. */
export async function sendTablePart(
  api: Api,
  chatId: number,
  platform: Platform,
  v: TableView,
  part: TablePart,
): Promise<PartOutcome> {
  // Measuring the caption renders the whole text: once per part, not in every branch.
  const asCaption = fitsCaption(v);
  if (part === "text") {
    if (withPicture(platform, v) && asCaption)
      return { sent: false, why: "the table text went as the picture's caption" };
    await sendTableText(api, chatId, v);
    return { sent: true };
  }
  if (!withPicture(platform, v))
    return { sent: false, why: "no picture for this table here: the text part carries it" };
  let png: Buffer;
  try {
    png = renderTablePng(v).png;
  } catch (renderError) {
    // The figures still reach the managers: as this part's message when the text would have been the
    // caption, else in the text part that follows anyway.
    if (!asCaption)
      return {
        sent: false,
        why: "the table picture could not be rendered; the text part carries the figures",
        renderError,
      };
    await sendTableText(api, chatId, v);
    return { sent: true, renderError };
  }
  const caption = asCaption
    ? tableText(v, { legend: false })
    : [`<b>${escapeHtml(v.heading[0] ?? "")}</b>`, ...v.heading.slice(1).map(escapeHtml)].join("\n");
  await api.sendPhoto(chatId, new InputFile(png, "performance-table.png"), { caption, parse_mode: "HTML" });
  return { sent: true };
}

/** A section for a chat now (/stats): every part in order, the same code as the job's rows. */
export async function sendTableSection(
  api: Api,
  chatId: number,
  platform: Platform,
  v: TableView,
  onRenderError: (err: unknown) => void,
): Promise<void> {
  for (const part of tableParts(platform)) {
    const outcome = await sendTablePart(api, chatId, platform, v, part);
    if (outcome.renderError !== undefined) onRenderError(outcome.renderError);
  }
}

/** What the weekly-table job queues in each row: a section's frozen figures and which part of it to send. */
export interface WeeklyTableRowPayload extends WeeklyTablePayload {
  /** Missing in rows queued before the picture existed: those send the text, as they did. */
  part?: TablePart;
}
