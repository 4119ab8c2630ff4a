import { InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { done, hint, retry, type Outcome } from "../ask.ts";
import { encode } from "../../../views/buttons/callback-data.ts";
import { MAX_PHOTOS, type DraftPhoto } from "../draft.ts";
import { askStep, type StepEnv } from "./env.ts";
import type { BotContext } from "../../../core/context.ts";
import { downloadFile, FileTooLargeError } from "../../../core/file-download.ts";
import { checkPhoto, UnreadablePhotoError } from "../../../models/report/photo-clean.ts";

/** `file`: sent as a document, so the messenger did not make it a picture: it is checked before it counts. */
type PhotoEvent = { kind: "photo"; photo: DraftPhoto; file: boolean } | { kind: "finish" };

/** Up to MAX_PHOTOS photos; a document of an image type counts as a photo. */
export async function askPhotos(env: StepEnv): Promise<DraftPhoto[]> {
  const photos: DraftPhoto[] = [];
  const skipKb = new InlineKeyboard().text(
    env.t("photos-skip-button"),
    encode("form", { key: env.formKey, action: "nophoto" }),
  );
  const doneKb = new InlineKeyboard().text(
    env.t("photos-done-button"),
    encode("form", { key: env.formKey, action: "photosdone" }),
  );
  const mb = Math.round(env.photoMaxBytes / (1024 * 1024));
  await env.ctx.reply(env.t("ask-photos"), { reply_markup: skipKb });
  while (photos.length < MAX_PHOTOS) {
    const event = await askStep<PhotoEvent>(env, {
      hintKey: "hint-photos",
      markup: photos.length > 0 ? doneKb : skipKb,
      handle(ctx, button) {
        if (button?.action === "photosdone" || button?.action === "nophoto") return done({ kind: "finish" });
        return ctx.message ? parsePhoto(ctx.message, env) : hint;
      },
    });
    if (event.kind === "finish") break;
    if (event.file) {
      const refusal = await env.conversation.external((ctx) => fileRefusal(ctx, event.photo.fileId));
      if (refusal) {
        await env.ctx.reply(env.t(refusal, { mb }), { reply_markup: photos.length > 0 ? doneKb : skipKb });
        continue;
      }
    }
    photos.push(event.photo);
    if (photos.length < MAX_PHOTOS)
      await env.ctx.reply(env.t("photo-received", { count: photos.length }), { reply_markup: doneKb });
  }
  return photos;
}

function parsePhoto(msg: Message, env: StepEnv): Outcome<PhotoEvent> {
  const mb = Math.round(env.photoMaxBytes / (1024 * 1024));
  if (msg.photo && msg.photo.length > 0) {
    // Sizes come smallest first: take the largest one under the cap.
    const fitting = msg.photo.filter((p) => (p.file_size ?? 0) <= env.photoMaxBytes);
    const best = fitting[fitting.length - 1];
    if (!best) return retry(env.t("photo-too-large", { mb }));
    return done({
      kind: "photo",
      photo: { fileId: best.file_id, fileUniqueId: best.file_unique_id, mime: "image/jpeg", size: best.file_size ?? 0 },
      file: false,
    });
  }
  if (msg.document) {
    const mime = msg.document.mime_type ?? "";
    if (!mime.startsWith("image/")) return retry(env.t("photo-not-image"));
    if ((msg.document.file_size ?? 0) > env.photoMaxBytes) return retry(env.t("photo-too-large", { mb }));
    return done({
      kind: "photo",
      photo: {
        fileId: msg.document.file_id,
        fileUniqueId: msg.document.file_unique_id,
        mime,
        size: msg.document.file_size ?? 0,
      },
      file: true,
    });
  }
  return hint;
}

/**
 * A file's bytes are whatever the person's phone had (any format, any name): read its header now,
 * so "not a picture" is said at this step rather than at Submit. Runs outside the replay (downloads
 * once). Null = fine, or not known yet: a failed download is tried again, and reported, at Submit.
 */
async function fileRefusal(ctx: BotContext, fileId: string): Promise<"photo-unreadable" | "photo-too-large" | null> {
  const { app } = ctx;
  try {
    const bytes = await downloadFile(
      { api: ctx.api, fetch: app.fetch, apiRoot: app.apiRoot, token: app.token },
      fileId,
      app.config.PHOTO_MAX_BYTES,
    );
    await checkPhoto(bytes);
    return null;
  } catch (err) {
    if (err instanceof FileTooLargeError) return "photo-too-large";
    if (err instanceof UnreadablePhotoError) {
      app.logger.info({ reason: err.reason }, "photo file refused: not a readable picture");
      return "photo-unreadable";
    }
    app.logger.warn({ err }, "photo file not checked: download failed");
    return null;
  }
}
