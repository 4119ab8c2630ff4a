import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { assignCase, startProgress, takeCase, type StaffActionResult } from "../../models/report/case-actions.ts";
import { DomainError } from "../../models/common/errors.ts";
import type { ReportDoc } from "../../models/report/report.ts";
import { findReportById } from "../../models/report/report-queries.ts";
import { isOpen, type ReportStatus } from "../../models/report/report-status.ts";
import { findActiveStaff, listStaff, inScope } from "../../models/people/staff.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { STAFF_INPUT_CONVERSATION, type InputAction } from "../../scenes/staff/input.ts";
import { refuse, scopeOrRefuse, staffOrRefuse } from "./auth.ts";
import { encode } from "../../views/buttons/callback-data.ts";
import { onButton } from "../../views/buttons/on-button.ts";
import { requestCardRedraw } from "../../views/case-card/redraw.ts";
import { loadCase } from "./load-case.ts";
import { blockResolveWithoutVisit, offerVisit } from "./visit-entry.ts";
import { contactCitizen } from "./contact-citizen.ts";
import { chatLocale, chatT } from "./chat-language.ts";
import { ltr } from "../../core/format.ts";

export const cardActionHandlers = new Composer<BotContext>();

const statusWord = (report: ReportDoc) => (t: (key: string) => string) => ({ status: t(`status-${report.status}`) });

/** Domain refusals become a short alert; the card is redrawn so nobody acts on a stale view. */
async function domainRefusal(ctx: BotContext, err: unknown, report: ReportDoc): Promise<void> {
  if (!(err instanceof DomainError)) throw err;
  await refuse(ctx, err.reason === "conflict" ? "staff-conflict" : "staff-not-possible", statusWord(report));
  const fresh = await findReportById(report._id);
  if (fresh) await requestCardRedraw(ctx.app, fresh);
}

type Unchanged = Extract<StaffActionResult, { changed: false }>;

const UNCHANGED_ALERT: Record<Unchanged["why"], string> = {
  already_yours: "staff-already-yours",
  already_in_progress: "staff-already-in-progress",
  already_theirs: "staff-already-theirs",
  // Someone else holds it: Take does not grab it; a manager hands it on with Assign….
  someone_elses: "staff-held-by-other",
};

/**
 * The press found the case already so: an alert saying why, and nothing else (no write, no
 * notice). The card is redrawn: a press like this came from a view older than the case.
 */
async function unchangedAlert(ctx: BotContext, result: Unchanged): Promise<void> {
  const vars = { code: formatCode(result.report.code), name: result.report.assignee?.name || "—" };
  await ctx.answerCallbackQuery({ text: ctx.t(UNCHANGED_ALERT[result.why], vars), show_alert: true });
  await requestCardRedraw(ctx.app, result.report);
}

onButton(cardActionHandlers, "card", async (ctx, parsed) => {
  const member = await staffOrRefuse(ctx, parsed.action === "assign" ? ["manager", "admin"] : undefined);
  if (!member) return;
  const report = await loadCase(ctx, parsed.reportId);
  if (!report || !(await scopeOrRefuse(ctx, member, report))) return;
  if (!isOpen(report.status as ReportStatus)) {
    await refuse(ctx, "staff-not-possible", statusWord(report));
    return requestCardRedraw(ctx.app, report);
  }
  const now = ctx.app.now();
  try {
    switch (parsed.action) {
      case "take":
      case "progress": {
        const result =
          parsed.action === "take"
            ? await takeCase(report._id, member, now)
            : await startProgress(report._id, member, now);
        if (!result.changed) return unchangedAlert(ctx, result);
        await ctx.answerCallbackQuery({
          text: ctx.t(`staff-done-${parsed.action}`, { code: formatCode(report.code) }),
        });
        // The change queued its card redraw in the same write; sent now, not at the next poll.
        return ctx.app.wakeOutbox();
      }
      case "assign":
        await ctx.answerCallbackQuery();
        return sendAssignPicker(ctx, report);
      case "visit":
        return offerVisit(ctx, report);
      case "contact":
        // Same checks as every card action above: active staff, role and scope read from the DB on this press.
        return await contactCitizen(ctx, member, report);
      default: {
        // The actions left ask for a text: a new card action is a type error here until it is handled.
        const action: InputAction = parsed.action;
        if (action === "resolve" && (await blockResolveWithoutVisit(ctx, report))) return;
        await ctx.answerCallbackQuery();
        // The prompts and answers are posted in the chat: they speak its language.
        await ctx.conversation.enter(STAFF_INPUT_CONVERSATION, {
          reportId: parsed.reportId,
          action,
          locale: chatLocale(ctx),
        });
      }
    }
  } catch (err) {
    await domainRefusal(ctx, err, report);
  }
});

/** Managers pick the official from those whose scope covers the case, its holder left out ("hand on to"). */
async function sendAssignPicker(ctx: BotContext, report: ReportDoc): Promise<void> {
  const t = chatT(ctx);
  const holder = report.assignee;
  const candidates = (await listStaff()).filter(
    (s) =>
      s.platform === ctx.app.platform &&
      inScope(s, { regionKey: report.regionKey ?? "", department: report.department }) &&
      !(holder && holder.platform === s.platform && holder.userId === s.userId),
  );
  if (candidates.length === 0)
    return void (await ctx.reply(t("staff-assign-nobody", { code: formatCode(report.code) })));
  const kb = new InlineKeyboard();
  candidates.slice(0, 30).forEach((s, i) => {
    kb.text(
      s.name || ltr(String(s.userId)),
      encode("assign", { reportId: report._id.toHexString(), userId: s.userId }),
    );
    if (i % 2 === 1) kb.row();
  });
  await ctx.reply(t("staff-assign-pick", { code: formatCode(report.code) }), { reply_markup: kb });
}

onButton(cardActionHandlers, "assign", async (ctx, picked) => {
  const member = await staffOrRefuse(ctx, ["manager", "admin"]);
  if (!member) return;
  const report = await loadCase(ctx, picked.reportId);
  if (!report || !(await scopeOrRefuse(ctx, member, report))) return;
  const target = await findActiveStaff(ctx.app.platform, picked.userId);
  if (!target || !inScope(target, { regionKey: report.regionKey ?? "", department: report.department }))
    return refuse(ctx, "staff-assign-invalid");
  try {
    const result = await assignCase(report._id, target, member, ctx.app.now());
    if (!result.changed) return unchangedAlert(ctx, result);
    const vars = { code: formatCode(report.code), name: target.name };
    await ctx.answerCallbackQuery({ text: ctx.t("staff-done-assign", vars) });
    // The picker is a message in the chat: it becomes the outcome, in the chat's language.
    await ctx.editMessageText(chatT(ctx)("staff-done-assign", vars)).catch(() => undefined);
    ctx.app.wakeOutbox(); // the card redraw was queued with the change
  } catch (err) {
    await domainRefusal(ctx, err, report);
  }
});
