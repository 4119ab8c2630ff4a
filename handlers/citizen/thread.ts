import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { addCitizenNote, findOwnOpenReport } from "../../models/report/citizen-note.ts";
import { DomainError } from "../../models/common/errors.ts";
import { dropKept, findOffer } from "../../models/report/kept-message.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { storeCitizenPhoto } from "./citizen-photo.ts";
import { startReportWith } from "./new-report.ts";
import { onButton } from "../../views/buttons/on-button.ts";

/**
 * The buttons under a kept message ("add to report X", "new report with this") and the "not now"
 * under "what is still wrong?". Every press is checked: the kept message must be the presser's own,
 * on this messenger, still kept; the report their own and open. Anything else gets an alert.
 */
export const threadHandlers = new Composer<BotContext>();

const alert = (ctx: BotContext, key: string) => ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });

onButton(threadHandlers, "reasonSkip", async (ctx, button) => {
  if (!(await dropKept("reason", button.keptId, ctx.app.platform, ctx.from.id)))
    return void (await alert(ctx, "stale-button"));
  await ctx.answerCallbackQuery({ text: ctx.t("notfixed-skipped") });
});

onButton(threadHandlers, "thread", async (ctx, button) => {
  const { platform } = ctx.app;
  const userId = ctx.from.id;
  const kept = await findOffer(button.keptId, platform, userId, ctx.app.now());
  if (!kept) return void (await alert(ctx, "thread-expired"));

  if (button.reportId === null) {
    await ctx.answerCallbackQuery();
    const photo = kept.photo
      ? { fileId: kept.photo.fileId, fileUniqueId: kept.photo.fileUniqueId, mime: "image/jpeg", size: kept.photo.size }
      : null;
    // The form holds it now: the kept copy goes (kept on a refusal, for a later try).
    if (await startReportWith(ctx, { description: kept.text, photo }))
      await dropKept("offer", kept.id, platform, userId);
    return;
  }

  const report = await findOwnOpenReport(button.reportId, platform, userId);
  if (!report) return void (await alert(ctx, "thread-not-yours"));
  try {
    const photoId = kept.photo ? await storeCitizenPhoto(ctx, kept.photo, `${report.code}-note.jpg`) : null;
    await addCitizenNote(report._id, platform, userId, { text: kept.text, photoId }, ctx.app.now());
  } catch (err) {
    // Closed between the check and the write.
    if (!(err instanceof DomainError)) throw err;
    return void (await alert(ctx, "thread-not-yours"));
  }
  ctx.app.wakeOutbox(); // the note is posted under the staff card
  await dropKept("offer", kept.id, platform, userId);
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t("thread-added", { code: formatCode(report.code) }));
});
