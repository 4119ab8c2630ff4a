import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { findCategory } from "../../models/geography/category.ts";
import { isFollower, isOwnReport } from "../../models/report/report-queries.ts";
import { findByCodeOrReply } from "../find-by-code.ts";
import { renderStatus } from "../../views/status.ts";
import { truncate } from "../../core/format.ts";

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
  const report = await findByCodeOrReply(ctx, input);
  if (!report) return;
  const userId = ctx.from?.id ?? 0;
  const own = isOwnReport(report, ctx.app.platform, userId);
  const view = own ? "reporter" : isFollower(report, ctx.app.platform, userId) ? "follower" : "public";
  const category = await findCategory(report.categoryKey);
  await ctx.reply(truncate(renderStatus(ctx, report, category, view), 4096));
}
