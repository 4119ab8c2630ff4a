import { InputFile, type Api } from "grammy";
import type { InputMediaPhoto, ReplyParameters } from "grammy/types";
import type { RenderContext, RendererSet } from "../renderer.ts";
import { NothingToSend, payloadString, rowReport } from "../renderer.ts";
import { escapeHtml, truncate } from "../../../core/format.ts";
import { readPhoto } from "../../../models/report/photos.ts";
import { parseId, type Id } from "../../../models/common/object-id.ts";
import { recordCard } from "../../../models/report/case-card.ts";
import { formatCode } from "../../../models/report/tracking-code.ts";
import { caseCardFor } from "../../../views/case-card/card-data.ts";
import { findVisit } from "../../../models/report/visit.ts";
import { visitDetailLines, visitPlaceVars } from "../../../views/visit-lines.ts";

const CAPTION_MAX = 1024;

/** Messages to staff chats about one case. */
export const staffRenderers = {
  /** The citizen's photos, from GridFS: file ids belong to one bot, and staff may be on another platform. */
  async staff_photos({ api, row, t }) {
    const report = await rowReport(row);
    const photos = report.photos.filter((p) => p.gridfsId);
    if (photos.length === 0) throw new NothingToSend(`report ${report.code} has no stored photos`);
    const caption = t("card-photos", { code: formatCode(report.code) });
    await sendPhotos(
      api,
      row.chatId,
      await photoFiles(
        photos.map((p) => p.gridfsId!),
        `${report.code}`,
      ),
      { caption },
    );
  },

  /** A field visit's photos under the card, captioned with who, where and how far. */
  async staff_visit(c) {
    const report = await rowReport(c.row);
    const visitId = payloadString(c.row, "visitId");
    const v = findVisit(report, visitId);
    if (!v || v.photos.length === 0)
      throw new NothingToSend(`visit ${visitId} of ${report.code} not found or without photos`);
    const head = c.t("staff-visit-posted", {
      code: formatCode(report.code),
      name: escapeHtml(v.by.name || "—"),
      ...visitPlaceVars(v),
    });
    const captionOf = (note: string, reason: string) => [head, ...visitDetailLines(c.t, reason, note)].join("\n");
    // Shortened before escaping: cutting escaped HTML could split an entity and the caption would be refused.
    let [note, reason] = [v.note ?? "", v.offSiteReason ?? ""];
    let caption = captionOf(note, reason);
    while (caption.length > CAPTION_MAX && (note.length > 20 || reason.length > 20)) {
      if (note.length >= reason.length) note = truncate(note, Math.floor(note.length * 0.8));
      else reason = truncate(reason, Math.floor(reason.length * 0.8));
      caption = captionOf(note, reason);
    }
    const reply = report.card?.messageId
      ? { reply_parameters: { message_id: report.card.messageId, allow_sending_without_reply: true } }
      : {};
    await sendPhotos(c.api, c.row.chatId, await photoFiles(v.photos, `${report.code}-visit`), {
      caption,
      parse_mode: "HTML",
      ...reply,
    });
  },

  /** The case card with its action buttons; its message id is kept so actions can edit it. */
  async staff_card(c) {
    const report = await rowReport(c.row);
    const { html, keyboard } = await caseCardFor(report, c.t, c.row.locale, c.deps.config.TZ_NAME);
    const msg = await c.api.sendMessage(c.row.chatId, html, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
    await recordCard(report, { platform: c.row.platform, chatId: c.row.chatId, messageId: msg.message_id });
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
    const text = c.t("staff-citizen-reply", {
      code: formatCode(report.code),
      question: escapeHtml(payloadString(c.row, "question")),
      answer: escapeHtml(truncate(payloadString(c.row, "text"), 3000)),
    });
    await sendUnderCard(c, report.card?.messageId ?? 0, text, payloadString(c.row, "photoId"));
  },

  /** Words or a photo the reporter added to the case (models/report/citizen-note.ts): under the card. */
  async staff_citizen_note(c) {
    const report = await rowReport(c.row);
    await sendUnderCard(
      c,
      report.card?.messageId ?? 0,
      citizenNoteText(c, "staff-citizen-note", report.code),
      payloadString(c.row, "photoId"),
    );
  },

  /** The reporter's "what is still wrong" after "not fixed": to the managers, after the escalation. */
  async managers_citizen_note(c) {
    const report = await rowReport(c.row);
    await sendUnderCard(
      c,
      0,
      citizenNoteText(c, "managers-citizen-note", report.code),
      payloadString(c.row, "photoId"),
    );
  },

  async staff_reopened(c) {
    const report = await rowReport(c.row);
    await sendUnderCard(c, report.card?.messageId ?? 0, c.t("staff-reopened", { code: formatCode(report.code) }), "");
  },
} satisfies RendererSet;

/** Shortened before escaping (a cut entity would be refused): a photo's caption holds 1024 characters, a message 4096. */
function citizenNoteText(c: RenderContext, key: string, code: string): string {
  const words = payloadString(c.row, "text");
  const max = payloadString(c.row, "photoId") ? 800 : 3000;
  return c.t(key, {
    code: formatCode(code),
    text: words ? escapeHtml(truncate(words, max)) : c.t("thread-photo-only"),
  });
}

async function sendUnderCard(c: RenderContext, cardMessageId: number, html: string, photoId: string): Promise<void> {
  const reply = cardMessageId
    ? { reply_parameters: { message_id: cardMessageId, allow_sending_without_reply: true } }
    : {};
  const id = parseId(photoId);
  if (id) {
    const bytes = await readPhoto(id);
    await c.api.sendPhoto(c.row.chatId, new InputFile(bytes, "reply.jpg"), {
      caption: truncate(html, 1024),
      parse_mode: "HTML",
      ...reply,
    });
    return;
  }
  await c.api.sendMessage(c.row.chatId, html, { parse_mode: "HTML", ...reply });
}

async function photoFiles(ids: Id[], name: string): Promise<InputFile[]> {
  return Promise.all(ids.map(async (id, i) => new InputFile(await readPhoto(id), `${name}-${i + 1}.jpg`)));
}

/** One photo with its caption, or an album captioned on its first photo. */
async function sendPhotos(
  api: Api,
  chatId: number,
  files: InputFile[],
  o: { caption: string; parse_mode?: "HTML"; reply_parameters?: ReplyParameters },
): Promise<void> {
  const { caption, parse_mode, reply_parameters } = o;
  if (files.length === 1) {
    await api.sendPhoto(chatId, files[0]!, o);
    return;
  }
  const media: InputMediaPhoto[] = files.map((media, i) =>
    i === 0 ? { type: "photo", media, caption, ...(parse_mode ? { parse_mode } : {}) } : { type: "photo", media },
  );
  await api.sendMediaGroup(chatId, media, reply_parameters ? { reply_parameters } : {});
}
