import type { BotContext } from "../core/context.ts";
import { formatCoordinates, formatDate } from "../core/format.ts";
import type { CategoryView } from "../models/geography/category.ts";
import type { ReportDoc } from "../models/report/report.ts";
import { formatCode } from "../models/report/tracking-code.ts";
import { historyLine, shownInStatus, type StatusReader } from "./history.ts";

/**
 * Who is asking: the reporter sees their description and location; a follower (same problem,
 * another citizen) also gets the city's public notes, as in their notifications; anyone else
 * with the code sees status, category and dates only.
 */
export type StatusView = StatusReader;

export function renderStatus(
  ctx: BotContext,
  report: ReportDoc,
  category: CategoryView | null,
  view: StatusView,
): string {
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
  if (view === "reporter") {
    const coords = report.location?.coordinates;
    const location =
      coords && coords.length >= 2
        ? ctx.t("summary-coordinates", formatCoordinates(coords[1]!, coords[0]!))
        : ctx.t("summary-no-coordinates", { address: report.address });
    parts.push(ctx.t("status-private", { description: report.description, location }));
  }
  const reader = { t: ctx.t, locale: ctx.locale, timeZone: tz };
  const lines = report.history
    .filter((h) => shownInStatus(h, view))
    .map((h) => historyLine(h, reader, { for: "status", view }));
  parts.push([ctx.t("status-history-title"), ...lines].join("\n"));
  return parts.join("\n\n");
}
