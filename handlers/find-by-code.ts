import type { BotContext } from "../core/context.ts";
import { truncate } from "../core/format.ts";
import { findReportByCode } from "../models/report/report-queries.ts";
import type { ReportDoc } from "../models/report/report.ts";
import { formatCode, parseCode } from "../models/report/tracking-code.ts";

/**
 * A typed tracking code to its report (Persian and Arabic-Indic digits, spaces and dashes fine),
 * or a reply saying what is wrong with it: a format error, a typo caught by the check digit, or
 * no such report. Shared by the citizens' /status and the staff's /case.
 */
export async function findByCodeOrReply(ctx: BotContext, input: string): Promise<ReportDoc | null> {
  const parsed = parseCode(input);
  if (!parsed.ok) {
    await ctx.reply(
      ctx.t(parsed.reason === "checksum" ? "status-bad-checksum" : "status-bad-format", { input: truncate(input, 40) }),
    );
    return null;
  }
  const report = await findReportByCode(parsed.code);
  if (!report) await ctx.reply(ctx.t("status-not-found", { code: formatCode(parsed.code) }));
  return report;
}
