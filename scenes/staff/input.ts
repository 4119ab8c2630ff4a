import { InlineKeyboard, type Api } from "grammy";
import type { Conversation } from "@grammyjs/conversations";
import type { AppDeps } from "../../core/app.ts";
import type { BotContext, ConversationContext } from "../../core/context.ts";
import { escapeHtml } from "../../core/format.ts";
import { translator, type Translate } from "../../core/i18n.ts";
import { downloadFile } from "../../core/file-download.ts";
import { isDbUnavailable } from "../../core/db-errors.ts";
import { addNote, markDuplicate, rejectCase, requestInfo, resolveCase } from "../../models/report/case-actions.ts";
import { DomainError } from "../../models/common/errors.ts";
import { deletePhoto, storePhoto } from "../../models/report/photos.ts";
import { UnreadablePhotoError } from "../../models/report/photo-clean.ts";
import type { ReportDoc } from "../../models/report/report.ts";
import { findReportById, reportCodeById } from "../../models/report/report-queries.ts";
import type { Id } from "../../models/common/object-id.ts";
import { findActiveStaff, inScope } from "../../models/people/staff.ts";
import { formatCode, parseCode } from "../../models/report/tracking-code.ts";
import { cleanUserText } from "../../models/common/clean-text.ts";
import type { Locale } from "../../models/common/platform.ts";
import { waitForAnswer } from "../wait-answer.ts";
import { decodeAs, encode } from "../../views/buttons/callback-data.ts";

export const STAFF_INPUT_CONVERSATION = "staff-input";
export const INPUT_ACTIONS = ["resolve", "reject", "dup", "note", "ask", "inote"] as const;
export type InputAction = (typeof INPUT_ACTIONS)[number];

export interface StaffInputArgs {
  reportId: string;
  action: InputAction;
  locale: Locale;
}

export interface StaffInputDeps {
  app: AppDeps;
  api: Api;
}

type StaffConversation = Conversation<BotContext, ConversationContext>;
type Outcome = { ok: true; text: string } | { ok: false; key: string; vars?: Record<string, string> };

const MAX_TEXT = 1000;

/**
 * The text (and, for Resolve, the optional "after" photo) an action needs, asked of the one staff
 * member who pressed: the prompt is a selective force-reply so that, with group privacy mode on,
 * their answer reaches the bot and nobody else is asked.
 */
export function createStaffInput(deps: StaffInputDeps) {
  const { app } = deps;

  return async function staffInput(
    conversation: StaffConversation,
    ctx: ConversationContext,
    args: StaffInputArgs,
  ): Promise<void> {
    const t = translator(app.i18n, args.locale);
    const from = ctx.from;
    if (!from) return;
    const code = await conversation.external(() => reportCodeById(args.reportId));
    const who = `<a href="tg://user?id=${from.id}">${escapeHtml(cleanUserText(from.first_name, { singleLine: true }))}</a>`;
    const forceReply = { force_reply: true as const, selective: true };
    await ctx.reply(t(`staff-prompt-${args.action}`, { code: formatCode(code), who }), {
      parse_mode: "HTML",
      reply_markup: forceReply,
    });
    const text = await waitText(conversation, t, args.action);

    let photoFileId = "";
    if (args.action === "resolve") {
      await ctx.reply(t("staff-prompt-after-photo", { who }), {
        parse_mode: "HTML",
        reply_markup: new InlineKeyboard().text(t("staff-skip-photo"), encode("photoSkip", {})),
      });
      photoFileId = await waitPhoto(conversation, t);
    }

    const outcome = await conversation.external(() => apply(args, from.id, text, photoFileId));
    await ctx.reply(outcome.ok ? outcome.text : t(outcome.key, outcome.vars));

    async function apply(a: StaffInputArgs, userId: number, input: string, fileId: string): Promise<Outcome> {
      let report: ReportDoc | null = null;
      try {
        const member = await findActiveStaff(app.platform, userId);
        report = await findReportById(a.reportId);
        if (!report) return { ok: false, key: "staff-case-not-found" };
        // Checked again at the end: rights may have changed while they typed.
        if (!member) return { ok: false, key: "staff-only" };
        if (!inScope(member, { regionKey: report.regionKey ?? "", department: report.department }))
          return { ok: false, key: "staff-out-of-scope" };
        const now = app.now();
        let updated: ReportDoc;
        switch (a.action) {
          case "resolve": {
            const photoId = fileId ? await storeAfterPhoto(fileId, report.code) : null;
            // A refused resolution (visit required, changed meanwhile) keeps no orphan photo.
            updated = await resolveCase(report._id, member, input, photoId, now).catch(async (err: unknown) => {
              if (photoId) await deletePhoto(photoId).catch(() => undefined);
              throw err;
            });
            break;
          }
          case "reject":
            updated = await rejectCase(report._id, member, input, now);
            break;
          case "dup":
            updated = (await markDuplicate(report._id, input, member, now)).duplicate;
            break;
          case "note":
            updated = await addNote(report._id, member, input, true, now);
            break;
          case "inote":
            updated = await addNote(report._id, member, input, false, now);
            break;
          case "ask":
            updated = await requestInfo(report._id, member, input, now);
            break;
        }
        app.wakeOutbox(); // the card redraw was queued with the change
        return { ok: true, text: t(`staff-done-${a.action}`, { code: formatCode(updated.code) }) };
      } catch (err) {
        // Thrown before the case changes: nothing was stored, the case is as it was.
        if (err instanceof UnreadablePhotoError) {
          app.logger.info({ reason: err.reason, action: a.action }, "after photo refused: not a readable picture");
          return { ok: false, key: "staff-after-photo-unreadable" };
        }
        if (err instanceof DomainError && err.reason === "visit_required")
          return {
            ok: false,
            key: report?.reopenedAt ? "visit-required-again" : "visit-required",
            vars: { code: formatCode(code) },
          };
        if (err instanceof DomainError)
          return {
            ok: false,
            key:
              err.reason === "conflict"
                ? "staff-conflict"
                : err.reason === "not_found"
                  ? "staff-dup-not-found"
                  : "staff-not-possible",
          };
        app.logger.error({ err, action: a.action }, "staff action failed");
        return { ok: false, key: isDbUnavailable(err) ? "error-db-unavailable" : "error-generic" };
      }
    }
  };

  async function storeAfterPhoto(fileId: string, code: string): Promise<Id> {
    const bytes = await downloadFile(
      { api: deps.api, fetch: app.fetch, apiRoot: app.apiRoot, token: app.token },
      fileId,
      app.config.PHOTO_MAX_BYTES,
    );
    return storePhoto(bytes, {
      filename: `${code}-after.jpg`,
      source: { platform: app.platform, fileUniqueId: fileId },
    });
  }
}

/** Waits for the staff member's text; the duplicate action needs a valid tracking code. */
async function waitText(conversation: StaffConversation, t: Translate, action: InputAction): Promise<string> {
  for (;;) {
    const c = await waitForAnswer(conversation);
    if (c.callbackQuery) {
      await c.answerCallbackQuery({ text: t("staff-finish-input"), show_alert: true });
      continue;
    }
    // Notes and reasons reach citizens and the card: cleaned like citizens' text.
    const text = c.message?.text === undefined ? undefined : cleanUserText(c.message.text).trim();
    if (!text || text.startsWith("/")) {
      await c.reply(t("staff-finish-input"));
      continue;
    }
    if (text.length > MAX_TEXT) {
      await c.reply(t("staff-text-too-long", { max: MAX_TEXT, length: text.length }));
      continue;
    }
    if (action !== "dup") return text;
    const parsed = parseCode(text);
    if (parsed.ok) return parsed.code;
    await c.reply(t("staff-dup-bad-code"));
  }
}

/** The optional "after" photo: a photo (largest size), an image document, or Skip. */
async function waitPhoto(conversation: StaffConversation, t: Translate): Promise<string> {
  for (;;) {
    const c = await waitForAnswer(conversation);
    if (c.callbackQuery) {
      const skip = decodeAs("photoSkip", c.callbackQuery.data) !== null;
      await c.answerCallbackQuery(skip ? {} : { text: t("staff-finish-input"), show_alert: true });
      if (skip) return "";
      continue;
    }
    const photo = c.message?.photo?.at(-1);
    if (photo) return photo.file_id;
    const doc = c.message?.document;
    if (doc?.mime_type?.startsWith("image/")) return doc.file_id;
    await c.reply(t("staff-prompt-after-photo-hint"));
  }
}
