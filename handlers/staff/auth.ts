import type { BotContext } from "../../bot/context.ts";
import { findActiveStaff, inScope, type Role, type StaffMember } from "../../models/staff.ts";
import type { ReportDoc } from "../../models/report.ts";

/**
 * Who is pressing, read from the DB on every press: being in the staff chat is not enough, and a
 * person removed a minute ago can no longer act. Answers the refusal itself; null = refused.
 */
export async function staffOrRefuse(ctx: BotContext, roles: readonly Role[] = ["official", "manager", "admin"]): Promise<StaffMember | null> {
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

export async function refuse(ctx: BotContext, key: string, vars?: Record<string, string | number>): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t(key, vars), show_alert: true });
  else await ctx.reply(ctx.t(key, vars));
}
