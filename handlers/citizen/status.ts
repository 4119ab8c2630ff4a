import { Composer } from "grammy";
import type { BotContext } from "../../bot/context.ts";
import { findCategory } from "../../models/category.ts";
import { findReportByCode, isFollower, isOwnReport } from "../../models/report-queries.ts";
import { formatCode, parseCode } from "../../models/tracking-code.ts";
import { renderStatus } from "./render-status.ts";
import { truncate } from "../../bot/format.ts";

export const statusHandlers = new Composer<BotContext>();

statusHandlers.command("status", async (ctx) => {
  const input = ctx.match.trim();
  if (input === "") {
    await ctx.reply(ctx.t("status-usage"));
    return;
  }
  await replyStatus(ctx, input);
});

/** Shared by /status and the "Track a report" button (which asks for the code first). */
export async function replyStatus(ctx: BotContext, input: string): Promise<void> {
  const shown = truncate(input, 40);
  const parsed = parseCode(input);
  if (!parsed.ok) {
    await ctx.reply(ctx.t(parsed.reason === "checksum" ? "status-bad-checksum" : "status-bad-format", { input: shown }));
    return;
  }
  const report = await findReportByCode(parsed.code);
  if (!report) {
    await ctx.reply(ctx.t("status-not-found", { code: formatCode(parsed.code) }));
    return;
  }
  const userId = ctx.from?.id ?? 0;
  const own = isOwnReport(report, ctx.app.platform, userId);
  const view = own ? "reporter" : isFollower(report, ctx.app.platform, userId) ? "follower" : "public";
  const category = await findCategory(report.categoryKey);
  await ctx.reply(truncate(renderStatus(ctx, report, category, view), 4096));
}
