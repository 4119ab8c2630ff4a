import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { attachCitizenReply, findOpenInfoRequest } from "../../models/report/case-actions.ts";
import { addCitizenNote, findOwnOpenReport } from "../../models/report/citizen-note.ts";
import { DomainError } from "../../models/common/errors.ts";
import { dropKept, findReasonPrompt, type ReasonPrompt } from "../../models/report/kept-message.ts";
import type { ReportDoc } from "../../models/report/report.ts";
import { formatCode, normalizeCodeInput } from "../../models/report/tracking-code.ts";
import { cleanUserText } from "../../models/common/clean-text.ts";
import { managersChat } from "../../core/platforms.ts";
import { bestPhoto, storeCitizenPhoto } from "./citizen-photo.ts";
import { NOTE_MAX } from "./thread-offer.ts";

/**
 * The citizen's next plain message (text or photo) answers what they were last asked: a staff
 * question (attached to the case, posted under its card) or, after "not fixed", what is still
 * wrong (a note on the reopened case, to the card and the managers). The newer question wins.
 */
export const infoReplyHandlers = new Composer<BotContext>();

infoReplyHandlers.on(["message:text", "message:photo"], async (ctx, next) => {
  if (ctx.message.text?.startsWith("/")) return next();
  const { platform } = ctx.app;
  const [question, reason] = await Promise.all([
    findOpenInfoRequest(platform, ctx.from.id),
    findReasonPrompt(platform, ctx.from.id, ctx.app.now()),
  ]);
  const askedAt = question?.infoRequest?.askedAt?.getTime() ?? 0;
  if (reason && (!question || reason.createdAt.getTime() > askedAt)) {
    if (await answerNotFixed(ctx, reason)) return;
    return next();
  }
  if (question) return answerStaffQuestion(ctx, question);
  return next();
});

const messageText = (ctx: BotContext) =>
  cleanUserText(ctx.message?.text ?? ctx.message?.caption ?? "")
    .trim()
    .slice(0, NOTE_MAX);

async function answerStaffQuestion(ctx: BotContext, report: ReportDoc): Promise<void> {
  const photo = bestPhoto(ctx.message?.photo, ctx.app.config.PHOTO_MAX_BYTES);
  const photoId = photo ? await storeCitizenPhoto(ctx, photo, `${report.code}-answer.jpg`) : null;
  // Shown to staff under the card: no override may disguise it.
  await attachCitizenReply(report._id, messageText(ctx), photoId, ctx.app.now());
  ctx.app.wakeOutbox(); // the answer is posted under the staff card
  await ctx.reply(ctx.t("info-reply-sent", { code: formatCode(report.code) }));
}

/** False when the message is not an answer after all (a tracking code typed, the case closed meanwhile). */
async function answerNotFixed(ctx: BotContext, reason: ReasonPrompt): Promise<boolean> {
  const from = ctx.from;
  if (!from) return false;
  const raw = ctx.message?.text;
  if (raw !== undefined && /^\d{8}$/.test(normalizeCodeInput(raw))) return false;
  const text = messageText(ctx);
  const photo = bestPhoto(ctx.message?.photo, ctx.app.config.PHOTO_MAX_BYTES);
  if (text === "" && !photo) return false;
  const report = await findOwnOpenReport(reason.reportId.toHexString(), ctx.app.platform, from.id);
  if (!report) {
    // Closed (or erased) since "not fixed": the message is an ordinary one now.
    await dropKept("reason", reason.id, ctx.app.platform, from.id);
    return false;
  }
  const managers = managersChat(ctx.app.config);
  try {
    const photoId = photo ? await storeCitizenPhoto(ctx, photo, `${report.code}-note.jpg`) : null;
    await addCitizenNote(
      report._id,
      ctx.app.platform,
      from.id,
      { text, photoId, managers: managers ? { chat: managers, locale: ctx.app.config.DEFAULT_LOCALE } : null },
      ctx.app.now(),
    );
  } catch (err) {
    // Closed between the check and the write.
    if (!(err instanceof DomainError)) throw err;
    await dropKept("reason", reason.id, ctx.app.platform, from.id);
    return false;
  }
  ctx.app.wakeOutbox(); // the reason goes to the staff group (and the managers)
  await dropKept("reason", reason.id, ctx.app.platform, from.id);
  await ctx.reply(ctx.t("notfixed-reason-sent", { code: formatCode(report.code) }));
  return true;
}
