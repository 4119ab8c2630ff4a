import { InlineKeyboard } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { listActiveCategories } from "../../models/geography/category.ts";
import { openReportsOf } from "../../models/report/citizen-note.ts";
import { cleanUserText } from "../../models/common/clean-text.ts";
import { keepOffer } from "../../models/report/kept-message.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { descriptionProblem } from "../../scenes/report/steps/description.ts";
import { bestPhoto } from "./citizen-photo.ts";
import { withCentreContact } from "./centre-contact.ts";
import { encode } from "../../views/buttons/callback-data.ts";

/** A note to a case holds at most this much of what the citizen wrote (as an answer to staff does). */
export const NOTE_MAX = 3000;

/**
 * Free text or a photo outside a form: kept (models/report/kept-message.ts) and offered as "add this to
 * report X" for each of their newest open reports, or "file a new report with this" when it can be
 * one (a photo, or a text fit to be a description). False when there is nothing to offer.
 */
export async function offerThread(ctx: BotContext): Promise<boolean> {
  const msg = ctx.message;
  const from = ctx.from;
  if (!msg || !from) return false;
  // Shown to staff if added: no override may disguise it.
  const text = cleanUserText(msg.text ?? msg.caption ?? "")
    .trim()
    .slice(0, NOTE_MAX);
  const photo = bestPhoto(msg.photo, ctx.app.config.PHOTO_MAX_BYTES);
  if (text === "" && !photo) return false;
  const open = await openReportsOf(ctx.app.platform, from.id);
  const canFile = photo !== null || descriptionProblem(text) === null;
  if (open.length === 0 && !canFile) return false;

  const keptId = await keepOffer(ctx.app.platform, from.id, text, photo, ctx.app.now());
  const titles = new Map((await listActiveCategories()).map((c) => [c.key, c.title[ctx.locale]]));
  const kb = new InlineKeyboard();
  for (const r of open)
    kb.text(
      ctx.t("thread-btn-add", { code: formatCode(r.code), category: titles.get(r.categoryKey) ?? r.categoryKey }),
      encode("thread", { keptId, reportId: r._id.toHexString() }),
    ).row();
  if (canFile) kb.text(ctx.t("thread-btn-new"), encode("thread", { keptId, reportId: null }));
  await ctx.reply(
    withCentreContact(ctx.t(open.length > 0 ? "thread-offer-open" : "thread-offer-new"), ctx.t, ctx.app.config),
    { reply_markup: kb },
  );
  return true;
}
