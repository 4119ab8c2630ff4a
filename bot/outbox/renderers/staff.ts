import { InputFile } from "grammy";
import type { InputMediaPhoto } from "grammy/types";
import { Types } from "mongoose";
import type { Renderer, RenderContext } from "../renderer.ts";
import { NothingToSend, payloadString, rowReport } from "../renderer.ts";
import { escapeHtml, truncate } from "../../format.ts";
import { readPhoto } from "../../../models/photos.ts";
import { recordCard } from "../../../models/case-card.ts";
import { formatCode } from "../../../models/tracking-code.ts";
import { caseCardFor } from "../../../handlers/staff/card-data.ts";

/** Messages to staff chats about one case. */
export const staffRenderers: Record<string, Renderer> = {
  /** The citizen's photos, from GridFS: file ids belong to one bot, and staff may be on another platform. */
  async staff_photos({ api, row, t }) {
    const report = await rowReport(row);
    const photos = report.photos.filter((p) => p.gridfsId);
    if (photos.length === 0) throw new NothingToSend(`report ${report.code} has no stored photos`);
    const caption = t("card-photos", { code: formatCode(report.code) });
    const files = await Promise.all(photos.map(async (p, i) => new InputFile(await readPhoto(p.gridfsId!), `${report.code}-${i + 1}.jpg`)));
    if (files.length === 1) {
      await api.sendPhoto(row.chatId, files[0]!, { caption });
      return;
    }
    const media: InputMediaPhoto[] = files.map((media, i) => (i === 0 ? { type: "photo", media, caption } : { type: "photo", media }));
    await api.sendMediaGroup(row.chatId, media);
  },

  /** The case card with its action buttons; its message id is kept so actions can edit it. */
  async staff_card(c) {
    const report = await rowReport(c.row);
    const { html, keyboard } = await caseCardFor(report, c.t, c.row.locale, c.deps.config.TZ_NAME);
    const msg = await c.api.sendMessage(c.row.chatId, html, { parse_mode: "HTML", link_preview_options: { is_disabled: true }, ...(keyboard ? { reply_markup: keyboard } : {}) });
    await recordCard(report._id, { platform: c.row.platform, chatId: c.row.chatId, messageId: msg.message_id });
  },

  async staff_location({ api, row }) {
    const report = await rowReport(row);
    const c = report.location?.coordinates;
    if (!c || c.length < 2) throw new NothingToSend(`report ${report.code} has no coordinates`);
    await api.sendLocation(row.chatId, c[1]!, c[0]!);
  },

  /** The citizen answered a staff question: posted under the card. */
  async staff_citizen_reply(c) {
    const report = await rowReport(c.row);
    const text = c.t("staff-citizen-reply", { code: formatCode(report.code), question: escapeHtml(payloadString(c.row, "question")), answer: escapeHtml(truncate(payloadString(c.row, "text"), 3000)) });
    await sendUnderCard(c, report.card?.messageId ?? 0, text, payloadString(c.row, "photoId"));
  },

  async staff_reopened(c) {
    const report = await rowReport(c.row);
    await sendUnderCard(c, report.card?.messageId ?? 0, c.t("staff-reopened", { code: formatCode(report.code) }), "");
  },
};

async function sendUnderCard(c: RenderContext, cardMessageId: number, html: string, photoId: string): Promise<void> {
  const reply = cardMessageId ? { reply_parameters: { message_id: cardMessageId, allow_sending_without_reply: true } } : {};
  if (photoId && Types.ObjectId.isValid(photoId)) {
    const bytes = await readPhoto(new Types.ObjectId(photoId));
    await c.api.sendPhoto(c.row.chatId, new InputFile(bytes, "reply.jpg"), { caption: truncate(html, 1024), parse_mode: "HTML", ...reply });
    return;
  }
  await c.api.sendMessage(c.row.chatId, html, { parse_mode: "HTML", ...reply });
}
