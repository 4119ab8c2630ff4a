import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { formatDate } from "../../core/format.ts";
import { listActiveCategories } from "../../models/geography/category.ts";
import { listCitizenReports } from "../../models/report/report-queries.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { linkReportsKeyboard } from "./link-reports.ts";

export const myReportsHandlers = new Composer<BotContext>();

export async function replyMyReports(ctx: BotContext): Promise<void> {
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  const reports = await listCitizenReports(ctx.app.platform, userId, 10);
  // Reports the call centre filed for their number join the list once they link them.
  const link = { reply_markup: linkReportsKeyboard(ctx) };
  if (reports.length === 0) {
    await ctx.reply(ctx.t("my-empty"), link);
    return;
  }
  const categories = new Map((await listActiveCategories()).map((c) => [c.key, c]));
  const lines = reports.map((r) =>
    ctx.t("my-line", {
      code: formatCode(r.code),
      category: categories.get(r.categoryKey)?.title[ctx.locale] ?? r.categoryKey,
      status: ctx.t(`status-${r.status}`),
      date: formatDate(r.createdAt, ctx.locale, ctx.app.config.TZ_NAME),
    }),
  );
  await ctx.reply([ctx.t("my-title"), ...lines].join("\n"), link);
}

myReportsHandlers.command("my", replyMyReports);
