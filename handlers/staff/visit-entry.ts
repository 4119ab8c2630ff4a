import { Composer, GrammyError, InlineKeyboard } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { findCategory } from "../../models/geography/category.ts";
import type { ReportDoc } from "../../models/report/report.ts";
import { isOpen, type ReportStatus } from "../../models/report/report-status.ts";
import type { StaffMember } from "../../models/people/staff.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { visitRequirementMet } from "../../models/report/visit.ts";
import { VISIT_CONVERSATION } from "../../scenes/staff/visit/field-visit.ts";
import { findByCodeOrReply } from "../find-by-code.ts";
import { refuse, scopeOrRefuse, staffOrRefuse } from "./auth.ts";
import { encode } from "../../views/buttons/callback-data.ts";
import { onButton } from "../../views/buttons/on-button.ts";
import { loadCase } from "./load-case.ts";
import { chatT } from "./chat-language.ts";
import { claimCardNotice } from "../../models/report/case-card.ts";

/**
 * Where a field visit starts. A visit is recorded in the official's private chat (their location
 * and photos do not belong in the staff group): the card's "Record visit" invites them there,
 * "Start visit" or `/visit <code>` in private begins it.
 */
export const visitEntryHandlers = new Composer<BotContext>();

/** The card's "Record visit" in a staff chat: an invitation in private; in private, the visit itself. */
export async function offerVisit(ctx: BotContext, report: ReportDoc): Promise<void> {
  if (ctx.chat?.type === "private") return startVisit(ctx, report);
  const code = formatCode(report.code);
  try {
    await ctx.api.sendMessage(ctx.from!.id, ctx.t("visit-invite", { code }), {
      reply_markup: new InlineKeyboard().text(
        ctx.t("visit-btn-start"),
        encode("visitStart", { reportId: report._id.toHexString() }),
      ),
    });
  } catch (err) {
    // 403: they never opened a chat with the bot (or blocked it); 400: chat not found.
    if (!(err instanceof GrammyError) || (err.error_code !== 403 && err.error_code !== 400)) throw err;
    return refuse(ctx, "visit-open-private", { bot: ctx.me.username });
  }
  // From a card button: an alert; from `/visit <code>` typed in the group: a reply.
  await refuse(ctx, "visit-invited", { code });
}

async function startVisit(ctx: BotContext, report: ReportDoc): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  if (Object.keys(ctx.conversation.active()).length > 0) return void (await ctx.reply(ctx.t("visit-busy")));
  await ctx.conversation.enter(VISIT_CONVERSATION, { reportId: report._id.toHexString(), locale: ctx.locale });
}

/**
 * Resolve on a case whose category needs an on-site visit it does not have (or a new one after
 * "not fixed"): an alert for the presser and, once per state of the case, a message in the chat
 * with the "Record visit" button, in the chat's language. True = blocked.
 */
export async function blockResolveWithoutVisit(ctx: BotContext, report: ReportDoc): Promise<boolean> {
  if (visitRequirementMet(report, await findCategory(report.categoryKey))) return false;
  const code = formatCode(report.code);
  const key = report.reopenedAt ? "visit-required-again" : "visit-required";
  await refuse(ctx, key, { code });
  // A new state (taken, started, reopened) may say it again; pressing again in the same state may not.
  if (!(await claimCardNotice(report._id, `${key}:${report.status}:${report.reopenedAt?.getTime() ?? 0}`))) return true;
  const t = chatT(ctx);
  await ctx.reply(t(key, { code }), {
    reply_markup: new InlineKeyboard().text(
      t("card-btn-visit"),
      encode("card", { reportId: report._id.toHexString(), action: "visit" }),
    ),
  });
  return true;
}

/** Shared checks of both private entries: staff, in scope, case still open. */
async function visitableCase(
  ctx: BotContext,
  member: StaffMember,
  report: ReportDoc | null,
): Promise<ReportDoc | null> {
  if (!report || !(await scopeOrRefuse(ctx, member, report))) return null;
  if (isOpen(report.status as ReportStatus)) return report;
  await refuse(ctx, "staff-not-possible", (t) => ({ status: t(`status-${report.status}`) }));
  return null;
}

onButton(visitEntryHandlers, "visitStart", async (ctx, button) => {
  const member = await staffOrRefuse(ctx);
  if (!member) return;
  const report = await visitableCase(ctx, member, await loadCase(ctx, button.reportId));
  if (report) await startVisit(ctx, report);
});

visitEntryHandlers.command("visit", async (ctx) => {
  const member = await staffOrRefuse(ctx);
  if (!member) return;
  const input = ctx.match.trim();
  if (input === "") return void (await ctx.reply(ctx.t("visit-usage")));
  const report = await visitableCase(ctx, member, await findByCodeOrReply(ctx, input));
  if (report) await offerVisit(ctx, report);
});
