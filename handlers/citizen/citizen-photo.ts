import type { PhotoSize } from "grammy/types";
import type { BotContext } from "../../core/context.ts";
import { downloadFile } from "../../core/file-download.ts";
import { storePhoto } from "../../models/report/photos.ts";
import type { KeptPhoto } from "../../models/report/kept-message.ts";
import type { Id } from "../../models/common/object-id.ts";

/** Sizes come smallest first: the largest one under the cap, if any. */
export function bestPhoto(sizes: PhotoSize[] | undefined, maxBytes: number): KeptPhoto | null {
  const p = sizes?.filter((s) => (s.file_size ?? 0) <= maxBytes).at(-1);
  return p ? { fileId: p.file_id, fileUniqueId: p.file_unique_id, size: p.file_size ?? 0 } : null;
}

/**
 * The citizen's photo copied from the messenger into GridFS. Named after the case
 * (`<code>-answer.jpg`, `<code>-note.jpg`): erasure finds a copy that nothing else points to by that name.
 */
export async function storeCitizenPhoto(ctx: BotContext, photo: KeptPhoto, filename: string): Promise<Id> {
  const bytes = await downloadFile(
    { api: ctx.api, fetch: ctx.app.fetch, apiRoot: ctx.app.apiRoot, token: ctx.app.token },
    photo.fileId,
    ctx.app.config.PHOTO_MAX_BYTES,
  );
  return storePhoto(bytes, {
    filename,
    contentType: "image/jpeg",
    source: { platform: ctx.app.platform, fileUniqueId: photo.fileUniqueId },
  });
}
