import type { PhotoSize } from "grammy/types";
import type { BotContext } from "../../core/context.ts";
import { downloadFile } from "../../core/file-download.ts";
import { storePhoto } from "../../models/report/photos.ts";
import { UnreadablePhotoError } from "../../models/report/photo-clean.ts";
import type { KeptPhoto } from "../../models/report/kept-message.ts";
import type { Id } from "../../models/common/object-id.ts";

/** Sizes come smallest first: the largest one under the cap, if any. */
export function bestPhoto(sizes: PhotoSize[] | undefined, maxBytes: number): KeptPhoto | null {
  const p = sizes?.filter((s) => (s.file_size ?? 0) <= maxBytes).at(-1);
  return p ? { fileId: p.file_id, fileUniqueId: p.file_unique_id, size: p.file_size ?? 0 } : null;
}

/**
 * The citizen's photo copied from the messenger into GridFS (cleaned: no EXIF, see photo-clean.ts).
 * Named after the case (`<code>-answer.jpg`, `<code>-note.jpg`): erasure finds a copy that nothing
 * else points to by that name. Null when the bytes are no readable picture: the person is told, and
 * their words go on without it rather than being lost with it.
 */
export async function storeCitizenPhoto(ctx: BotContext, photo: KeptPhoto, filename: string): Promise<Id | null> {
  const bytes = await downloadFile(
    { api: ctx.api, fetch: ctx.app.fetch, apiRoot: ctx.app.apiRoot, token: ctx.app.token },
    photo.fileId,
    ctx.app.config.PHOTO_MAX_BYTES,
  );
  try {
    return await storePhoto(bytes, {
      filename,
      source: { platform: ctx.app.platform, fileUniqueId: photo.fileUniqueId },
    });
  } catch (err) {
    if (!(err instanceof UnreadablePhotoError)) throw err;
    ctx.app.logger.info({ reason: err.reason }, "citizen photo not kept: not a readable picture");
    await ctx.reply(ctx.t("photo-unreadable-dropped"));
    return null;
  }
}
