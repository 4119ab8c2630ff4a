import { InputFile, type Api } from "grammy";
import type { InputMediaPhoto, ReplyParameters } from "grammy/types";
import type { RenderContext, RendererSet } from "../renderer.ts";
import { NothingToSend, payloadString, refused, rowFields, rowReport } from "../renderer.ts";
import { escapeHtml, truncate } from "../../../core/format.ts";
import { isPhotoMissing, readPhoto } from "../../../models/report/photos.ts";
import { parseId, type Id } from "../../../models/common/object-id.ts";
import { recordCard } from "../../../models/report/case-card.ts";
import { noteSentStep, sentSteps } from "../../../models/infra/outbox.ts";
import { reserveMessages } from "../send-mode.ts";
import type { ReportDoc } from "../../../models/report/report.ts";
import { formatCode } from "../../../models/report/tracking-code.ts";
import { caseCardFor } from "../../../views/case-card/card-data.ts";
import { findVisit } from "../../../models/report/visit.ts";
import { visitDetailLines, visitPlaceVars } from "../../../views/visit-lines.ts";

const CAPTION_MAX = 1024;

/** Messages to staff chats about one case. */
export const staffRenderers = {
  /** The citizen's photos alone: a row queued before the alert was one row (staff_card's `alert`). */
  async staff_photos(c) {
    const report = await rowReport(c.row);
    const photos = storedPhotos(report);
    if (photos.length === 0) throw new NothingToSend(`report ${report.code} has no stored photos`);
    await sendReportPhotos(c, report, photos);
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

  /**
   * The case card with its action buttons; its message id is kept so actions can edit it. A new
   * case's alert (payload.alert, models/report/report-submit.ts) is one row: the citizen's photos
   * first (from GridFS: file ids belong to one bot, and staff may be on another platform), then the
   * card, then the pin. A retry goes on after what an earlier attempt sent.
   */
  async staff_card(c) {
    const report = await rowReport(c.row);
    if (c.row.payload.alert !== true) return postCard(c, report);
    const photos = storedPhotos(report);
    const pin = pinOf(report);
    const sent = new Set(sentSteps(c.row));
    // The card is recorded in this chat: an attempt cut short after posting it had sent the photos too.
    if (report.card?.messageId && report.card.chatId === c.row.chatId && report.card.platform === c.row.platform)
      sent.add("photos").add("card");
    const photosDue = photos.length > 0 && !sent.has("photos");
    reserveMessages((photosDue ? photos.length : 0) + (sent.has("card") ? 0 : 1) + (pin ? 1 : 0));
    if (photosDue) {
      await sendAlertPhotos(c, report, photos);
      noteSentStep(c.row, "photos");
    }
    if (!sent.has("card")) {
      await postCard(c, report);
      noteSentStep(c.row, "card");
    }
    if (pin) await c.api.sendLocation(c.row.chatId, pin.lat, pin.lon);
  },

  /** The pin alone: a row queued before the alert was one row. */
  async staff_location({ api, row }) {
    const report = await rowReport(row);
    const pin = pinOf(report);
    if (!pin) throw new NothingToSend(`report ${report.code} has no coordinates`);
    await api.sendLocation(row.chatId, pin.lat, pin.lon);
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

/** Posts the card and records it; the alert row it was sent for is off the report from then on. */
async function postCard(c: RenderContext, report: ReportDoc): Promise<void> {
  const { html, keyboard } = await caseCardFor(report, c.t, c.row.locale, c.deps.config.TZ_NAME);
  const msg = await c.api.sendMessage(c.row.chatId, html, {
    parse_mode: "HTML",
    link_preview_options: { is_disabled: true },
    ...(keyboard ? { reply_markup: keyboard } : {}),
  });
  await recordCard(report, { platform: c.row.platform, chatId: c.row.chatId, messageId: msg.message_id }, c.row.id);
}

const storedPhotos = (report: ReportDoc): Id[] => report.photos.flatMap((p) => (p.gridfsId ? [p.gridfsId] : []));

function pinOf(report: ReportDoc): { lat: number; lon: number } | null {
  const c = report.location?.coordinates;
  return c && c.length >= 2 ? { lat: c[1]!, lon: c[0]! } : null;
}

async function sendReportPhotos(c: RenderContext, report: ReportDoc, photos: Id[]): Promise<void> {
  const caption = c.t("card-photos", { code: formatCode(report.code) });
  await sendPhotos(c.api, c.row.chatId, await photoFiles(photos, `${report.code}`), { caption });
}

/**
 * The alert's photos, or none: photos refused by the Bot API (their plain retry would be refused
 * alike) or gone from storage (an erasure under way) must not keep the card from the group. Other
 * failures (403, 429, 5xx, network, the database) are thrown: the dispatcher settles them as for
 * any row, and a retry starts from the photos.
 */
async function sendAlertPhotos(c: RenderContext, report: ReportDoc, photos: Id[]): Promise<void> {
  try {
    await sendReportPhotos(c, report, photos);
  } catch (err) {
    const gone = isPhotoMissing(err);
    if (!refused(err) && !gone) throw err;
    c.deps.logger.warn(
      { ...rowFields(c.row), reason: refused(err) ? `refused ${err.error_code}` : "photo not stored" },
      "new-case photos not sent; the card and pin go without them",
    );
  }
}

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
