import type { BotContext } from "../../core/context.ts";
import type { Translate } from "../../core/i18n.ts";
import { findActiveStaff, inScope, type Role, type StaffMember } from "../../models/people/staff.ts";
import type { ReportDoc } from "../../models/report/report.ts";
import { chatT } from "./chat-language.ts";

/**
 * Who is pressing, read from the DB on every press: being in the staff chat is not enough, and a
 * person removed a minute ago can no longer act. Answers the refusal itself; null = refused.
 */
export async function staffOrRefuse(
  ctx: BotContext,
  roles: readonly Role[] = ["official", "manager", "admin"],
): Promise<StaffMember | null> {
  const member = ctx.from ? await findActiveStaff(ctx.app.platform, ctx.from.id) : null;
  if (member && roles.includes(member.role)) return member;
  await refuse(ctx, member ? "staff-not-allowed" : "staff-only");
  return null;
}

/** The member may act on this case (its region or department is theirs, or they are an admin). */
export async function scopeOrRefuse(ctx: BotContext, member: StaffMember, report: ReportDoc): Promise<boolean> {
  if (inScope(member, { regionKey: report.regionKey ?? "", department: report.department })) return true;
  await refuse(ctx, "staff-out-of-scope");
  return false;
}

/** Values of a refusal; a function when they are words themselves (a status), so they follow the refusal's language. */
export type RefusalVars = Record<string, string | number> | ((t: Translate) => Record<string, string | number>);

/**
 * A press gets an alert only the presser sees, in their language; a typed command gets a reply in
 * the chat, in the chat's language (a staff group reads it all).
 */
export async function refuse(ctx: BotContext, key: string, vars?: RefusalVars): Promise<void> {
  const say = (t: Translate) => t(key, typeof vars === "function" ? vars(t) : vars);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: say(ctx.t), show_alert: true });
  else await ctx.reply(say(chatT(ctx)));
}
