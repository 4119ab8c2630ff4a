import type { Translate } from "../../core/i18n.ts";
import { findCategory } from "../../models/geography/category.ts";
import { findRegionNames } from "../../models/geography/region.ts";
import type { ReportDoc } from "../../models/report/report.ts";
import type { Locale } from "../../models/common/platform.ts";
import { renderCaseCard } from "./card.ts";
import { visitRequirementMet } from "../../models/report/visit.ts";

/** Loads the names a card shows (category, region) and renders it. */
export async function caseCardFor(report: ReportDoc, t: Translate, locale: Locale, timeZone: string) {
  const category = await findCategory(report.categoryKey);
  const region = report.regionKey ? await findRegionNames(report.regionKey) : null;
  return renderCaseCard(report, {
    t,
    locale,
    timeZone,
    categoryTitle: category ? category.title[locale] : report.categoryKey,
    regionName: region ? (region.name?.[locale] ?? report.regionKey) : "",
    needsVisit: !visitRequirementMet(report, category),
    attributes: category?.attributes ?? [],
  });
}
