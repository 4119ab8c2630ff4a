import { GrammyError } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { recordPhoneView, withdrawPhoneView } from "../../models/report/case-actions.ts";
import { dialablePhone } from "../../models/people/phone-mask.ts";
import type { ReportDoc } from "../../models/report/report.ts";
import type { StaffMember } from "../../models/people/staff.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { refuse } from "./auth.ts";

/**
 * The card's "📞 Contact citizen". The caller (card-actions.ts) has re-read the presser's role and
 * scope from MongoDB; here the whole number goes to them alone, in private (never into the group),
 * and the access is recorded in the case history first.
 */
export async function contactCitizen(ctx: BotContext, member: StaffMember, report: ReportDoc): Promise<void> {
  const code = formatCode(report.code);
  if (!report.citizen.phone) return refuse(ctx, "contact-no-phone", { code });
  const { viewedAt } = await recordPhoneView(report._id, member, ctx.app.now());
  const text = ctx.t("contact-private", {
    code,
    name: report.citizen.name || "—",
    phone: dialablePhone(report.citizen.phone),
  });
  try {
    // Plain text: the citizen's name is theirs to write, and no markup is needed.
    await ctx.api.sendMessage(ctx.from!.id, text);
  } catch (err) {
    // 403: they never opened a chat with the bot (or blocked it); 400: chat not found. Nothing was disclosed.
    if (!(err instanceof GrammyError) || (err.error_code !== 403 && err.error_code !== 400)) throw err;
    await withdrawPhoneView(report._id, member, viewedAt);
    return refuse(ctx, "contact-open-private", { bot: ctx.me.username });
  }
  await ctx.answerCallbackQuery({ text: ctx.t("contact-sent", { code }) });
}
