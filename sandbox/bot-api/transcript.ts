// Transcript items: what happened in a chat, in order, as the page and tests read it. A message
// item is a snapshot of the message at that moment; edits are separate items for the same id.
import type { StoredMessage } from "./state.ts";

export type { ItemBody, ItemKind, TranscriptItem } from "./transcript-item.ts";
import type { ItemBody } from "./transcript-item.ts";

export function fileUrl(baseUrl: string, platform: string, fileId: string): string {
  return `${baseUrl}/sim/${encodeURIComponent(platform)}/file/${encodeURIComponent(fileId)}`;
}

/** The message's current state as a transcript item body. */
export function describe(stored: StoredMessage, baseUrl: string, platform: string): ItemBody {
  const m = stored.message;
  const largest = m.photo?.at(-1);
  const item: ItemBody = {
    chat_id: m.chat.id,
    message_id: m.message_id,
    from: stored.sender,
    date: m.date,
    ...(stored.sender === "user" && m.from ? { user_id: m.from.id } : {}),
    ...(m.edit_date !== undefined ? { edit_date: m.edit_date } : {}),
    ...(m.text !== undefined ? { text: stored.raw ?? m.text } : {}),
    ...(m.caption !== undefined ? { caption: stored.raw ?? m.caption } : {}),
    ...(stored.parseMode ? { parse_mode: stored.parseMode } : {}),
    ...(largest
      ? {
          photo: {
            file_id: largest.file_id,
            url: fileUrl(baseUrl, platform, largest.file_id),
            width: largest.width,
            height: largest.height,
          },
        }
      : {}),
    ...(m.media_group_id ? { media_group_id: m.media_group_id } : {}),
    ...(m.location && !m.venue ? { location: m.location } : {}),
    ...(m.venue
      ? {
          venue: {
            latitude: m.venue.location.latitude,
            longitude: m.venue.location.longitude,
            title: m.venue.title,
            address: m.venue.address,
          },
        }
      : {}),
    ...(m.contact ? { contact: m.contact } : {}),
    ...(m.document ? { document: { ...m.document, url: fileUrl(baseUrl, platform, m.document.file_id) } } : {}),
    ...(m.sticker
      ? { sticker: { file_id: m.sticker.file_id, ...(m.sticker.emoji ? { emoji: m.sticker.emoji } : {}) } }
      : {}),
    ...(stored.markup ? { reply_markup: stored.markup } : {}),
    ...(m.reply_to_message ? { reply_to_message_id: m.reply_to_message.message_id } : {}),
  };
  return item;
}
