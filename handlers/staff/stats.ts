import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { tableGroupNames, tablePayloads } from "../../views/weekly-table/payload.ts";
import { buildTableView } from "../../views/weekly-table/view.ts";
import { sendTableSection } from "../../views/weekly-table/send.ts";
import { errorSummary } from "../../core/error-summary.ts";
import { loadStatsRows, performanceTable } from "../../models/report/stats.ts";
import { inScope } from "../../models/people/staff.ts";
import { normalizeCodeInput } from "../../models/report/tracking-code.ts";
import { staffOrRefuse } from "./auth.ts";

/**
 * /stats [7d|30d]: the weekly table's figures for any recent period, limited to the member's scope,
 * sent as the weekly job sends them (the picture and the phone text), titled with the period's dates.
 */
export const statsHandlers = new Composer<BotContext>();

const DAY = 86_400_000;
export const MAX_DAYS = 90;

/** "7d", "30d", "۳۰d", "30" → days; empty → 7; anything else → null. */
export function parseDays(arg: string): number | null {
  const raw = normalizeCodeInput(arg).toLowerCase();
  if (raw === "") return 7;
  const m = /^(\d{1,3})d?$/.exec(raw);
  const days = m ? Number(m[1]) : NaN;
  return days >= 1 && days <= MAX_DAYS ? days : null;
}

statsHandlers.command("stats", async (ctx) => {
  const member = await staffOrRefuse(ctx);
  if (!member) return;
  const days = parseDays(ctx.match);
  if (days === null) return void (await ctx.reply(ctx.t("stats-usage", { max: MAX_DAYS })));
  const now = ctx.app.now();
  const range = { from: new Date(now.getTime() - days * DAY), to: now };
  // Officials see their regions and departments; managers and admins see the whole city.
  const rows = (await loadStatsRows(range, now)).filter(
    (r) => member.role !== "official" || inScope(member, { regionKey: r.regionKey, department: r.department }),
  );
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return;
  for (const payload of tablePayloads(performanceTable(rows, range, now))) {
    const view = buildTableView(
      payload,
      await tableGroupNames(payload.section, ctx.locale),
      ctx.t,
      ctx.locale,
      ctx.app.config.TZ_NAME,
      "range",
    );
    await sendTableSection(ctx.api, chatId, ctx.app.platform, view, (err) =>
      ctx.app.logger.warn(
        { error: errorSummary(err) },
        "/stats: the table picture could not be rendered; sent as text",
      ),
    );
  }
});
