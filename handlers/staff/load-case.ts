import type { BotContext } from "../../core/context.ts";
import type { ReportDoc } from "../../models/report/report.ts";
import { findReportByButtonId } from "../../models/report/report-queries.ts";
import { refuse } from "./auth.ts";

/** The case a button names, or an alert when it is gone (or the id was forged). */
export async function loadCase(ctx: BotContext, reportId: string): Promise<ReportDoc | null> {
  const report = await findReportByButtonId(reportId);
  if (!report) await refuse(ctx, "staff-case-not-found");
  return report;
}
