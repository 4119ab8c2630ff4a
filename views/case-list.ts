import type { Translate } from "../core/i18n.ts";
import { escapeHtml } from "../core/format.ts";
import { overdueBy } from "../models/report/sla.ts";
import {
  hoursBetween,
  type CaseListPage,
  type CaseListRow,
  type LocalizedName,
} from "../models/report/case-queries.ts";
import type { ReportDoc } from "../models/report/report.ts";
import type { Locale } from "../models/common/platform.ts";
import { formatCode } from "../models/report/tracking-code.ts";
import { fitList } from "./fit-message.ts";

export interface ListView {
  t: Translate;
  locale: Locale;
  now: Date;
}

export interface Labels {
  categories: Map<string, LocalizedName>;
  regions: Map<string, LocalizedName>;
}

type SlaFields = Pick<ReportDoc, "createdAt" | "resolveDueAt" | "firstResponseAt" | "firstResponseDueAt">;

/** "overdue by N h" when a deadline (first response or resolve) has passed, null otherwise. */
export function overdueText(r: SlaFields, v: ListView): string | null {
  const late = overdueBy(r, v.now);
  return late ? v.t("case-overdue-by", { hours: late.hours }) : null;
}

/** Overdue, else the case's age: what an official triages by. */
function slaText(r: SlaFields, v: ListView): string {
  return overdueText(r, v) ?? v.t("case-age", { hours: hoursBetween(r.createdAt, v.now) });
}

export function caseListLine(r: CaseListRow, labels: Labels, v: ListView): string {
  const region = r.regionKey ? (labels.regions.get(r.regionKey)?.[v.locale] ?? r.regionKey) : v.t("card-no-region");
  const assignee = r.assignee ? r.assignee.name || `#${r.assignee.userId ?? ""}` : v.t("case-unassigned");
  return v.t("case-list-line", {
    code: formatCode(r.code),
    category: escapeHtml(labels.categories.get(r.categoryKey)?.[v.locale] ?? r.categoryKey),
    status: v.t(`status-${r.status}`),
    region: escapeHtml(region),
    sla: slaText(r, v),
    assignee: escapeHtml(assignee),
  });
}

/** The /open and /overdue reply: a title with the count, one line per case, "…and N more". */
export function renderCaseList(
  page: CaseListPage,
  labels: Labels,
  v: ListView,
  keys: { title: string; empty: string },
): string {
  if (page.total === 0) return v.t(keys.empty);
  const lines = page.rows.map((r) => caseListLine(r, labels, v));
  return fitList({
    head: v.t(keys.title, { count: page.total }),
    lines,
    omitted: page.total - page.rows.length,
    more: (count) => v.t("case-list-more", { count }),
    keep: "first",
  });
}
