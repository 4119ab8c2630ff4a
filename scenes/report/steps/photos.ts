import { InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { done, hint, retry, type Outcome } from "../ask.ts";
import { encode } from "../../../views/buttons/callback-data.ts";
import { MAX_PHOTOS, type DraftPhoto } from "../draft.ts";
import { askStep, type StepEnv } from "./env.ts";

type PhotoEvent = { kind: "photo"; photo: DraftPhoto } | { kind: "finish" };

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
    });
  }
  return hint;
}
