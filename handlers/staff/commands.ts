import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { caseLabels, listOpenCases } from "../../models/report/case-queries.ts";
import { findByCodeOrReply } from "../find-by-code.ts";
import { scopeOrRefuse, staffOrRefuse } from "./auth.ts";
import { renderCaseList } from "../../views/case-list.ts";
import { renderCaseView } from "../../views/case-view.ts";

/** /open, /overdue and /case: in staff chats and in private, for active staff only (checked in the DB on every use). */
export const staffCommandHandlers = new Composer<BotContext>();

/** Enough to triage from; the rest is counted in "…and N more". */
const LIST_LIMIT = 20;
const HTML = { parse_mode: "HTML" as const, link_preview_options: { is_disabled: true } };

async function replyCaseList(ctx: BotContext, overdueOnly: boolean): Promise<void> {
  const member = await staffOrRefuse(ctx);
  if (!member) return;
  const now = ctx.app.now();
  const page = await listOpenCases(member, now, { overdueOnly, limit: LIST_LIMIT });
  const keys = overdueOnly
    ? { title: "case-overdue-title", empty: "case-overdue-empty" }
    : { title: "case-open-title", empty: "case-open-empty" };
  await ctx.reply(renderCaseList(page, await caseLabels(page.rows), { t: ctx.t, locale: ctx.locale, now }, keys), HTML);
}

staffCommandHandlers.command("open", (ctx) => replyCaseList(ctx, false));
staffCommandHandlers.command("overdue", (ctx) => replyCaseList(ctx, true));

staffCommandHandlers.command("case", async (ctx) => {
  const member = await staffOrRefuse(ctx);
  if (!member) return;
  const input = ctx.match.trim();
  if (input === "") return void (await ctx.reply(ctx.t("case-usage")));
  // Same parsing and wording as the citizens' /status, Persian and Arabic-Indic digits included.
  const report = await findByCodeOrReply(ctx, input);
  if (!report) return;
  if (!(await scopeOrRefuse(ctx, member, report))) return;
  await ctx.reply(
    await renderCaseView(report, {
      t: ctx.t,
      locale: ctx.locale,
      now: ctx.app.now(),
      timeZone: ctx.app.config.TZ_NAME,
    }),
    HTML,
  );
});
