import type { BotContext } from "../../core/context.ts";
import { Report, type ReportDoc } from "../../models/report.ts";
import { refuse } from "./auth.ts";

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** The case a button names, or an alert when it is gone (or the id was forged). */
export async function loadCase(ctx: BotContext, reportId: string): Promise<ReportDoc | null> {
  const report = OBJECT_ID.test(reportId) ? await Report.findById(reportId).lean<ReportDoc>() : null;
  if (!report) await refuse(ctx, "staff-case-not-found");
  return report;
}
