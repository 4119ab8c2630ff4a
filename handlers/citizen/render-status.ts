import type { BotContext } from "../../bot/context.ts";
import { formatCoordinates, formatDate } from "../../bot/format.ts";
import type { CategoryView } from "../../models/category.ts";
import type { ReportDoc } from "../../models/report.ts";
import { formatCode } from "../../models/tracking-code.ts";

/**
 * The status card. `withPersonal` (the asker filed or follows the report) adds the description,
 * location and public notes; anyone else with the code sees status, category and dates only.
 */
export function renderStatus(ctx: BotContext, report: ReportDoc, category: CategoryView | null, withPersonal: boolean): string {
  const tz = ctx.app.config.TZ_NAME;
  const date = (d: Date) => formatDate(d, ctx.locale, tz);
  const parts = [
    ctx.t("status-card", {
      code: formatCode(report.code),
      status: ctx.t(`status-${report.status}`),
      category: category ? category.title[ctx.locale] : report.categoryKey,
      created: date(report.createdAt),
    }),
  ];
  if (withPersonal) {
    const coords = report.location?.coordinates;
    const location = coords && coords.length >= 2 ? ctx.t("summary-coordinates", formatCoordinates(coords[1]!, coords[0]!)) : ctx.t("summary-no-coordinates", { address: report.address });
    parts.push(ctx.t("status-private", { description: report.description, location }));
  }
  const lines = report.history
    .filter((h) => h.public)
    .map((h) => ctx.t("status-history-line", { date: date(h.at), status: ctx.t(`status-${h.to}`), note: withPersonal && h.note ? ` — ${h.note}` : "" }));
  parts.push([ctx.t("status-history-title"), ...lines].join("\n"));
  return parts.join("\n\n");
}
