import { Composer } from "grammy";
import type { BotContext } from "../../bot/context.ts";
import { downloadFile } from "../../bot/file-download.ts";
import { attachCitizenReply, findOpenInfoRequest } from "../../models/case-actions.ts";
import { storePhoto } from "../../models/photos.ts";
import { formatCode } from "../../models/tracking-code.ts";
import { cleanUserText } from "../../models/clean-text.ts";

/**
 * Staff asked this citizen a question: their next plain message (text or photo) is the answer,
 * attached to the case and posted under its card.
 */
export const infoReplyHandlers = new Composer<BotContext>();

infoReplyHandlers.on(["message:text", "message:photo"], async (ctx, next) => {
  if (ctx.message.text?.startsWith("/")) return next();
  const report = await findOpenInfoRequest(ctx.app.platform, ctx.from.id);
  if (!report) return next();
  const photo = ctx.message.photo?.filter((p) => (p.file_size ?? 0) <= ctx.app.config.PHOTO_MAX_BYTES).at(-1);
  const photoId = photo
    ? await storePhoto(await downloadFile({ api: ctx.api, fetch: ctx.app.fetch, apiRoot: ctx.app.apiRoot, token: ctx.app.token }, photo.file_id, ctx.app.config.PHOTO_MAX_BYTES), {
        filename: `${report.code}-answer.jpg`,
        contentType: "image/jpeg",
        source: { platform: ctx.app.platform, fileUniqueId: photo.file_unique_id },
      })
    : null;
  // Shown to staff under the card: no override may disguise it.
  const text = cleanUserText(ctx.message.text ?? ctx.message.caption ?? "").trim().slice(0, 3000);
  await attachCitizenReply(report._id, text, photoId, ctx.app.now());
  await ctx.reply(ctx.t("info-reply-sent", { code: formatCode(report.code) }));
});
