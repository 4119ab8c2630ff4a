import { findCategory } from "../geography/category.ts";
import { isHexId } from "../common/object-id.ts";
import { Report, type ReportDoc } from "./report.ts";

/** What a field visit needs of its case before it starts; JSON-safe (it lives in the conversation's replay log). */
export interface VisitCaseFacts {
  code: string;
  /** [lon, lat], as stored; null when the citizen gave no location. */
  location: [number, number] | null;
  /** The category's own on-site radius; null = the configured default. */
  radiusM: number | null;
}

/** Null when the button's id names no case (or is not one we write). */
export async function visitCaseFacts(reportId: string): Promise<VisitCaseFacts | null> {
  if (!isHexId(reportId)) return null;
  const r = await Report.findById(reportId, { code: 1, location: 1, categoryKey: 1 }).lean<
    Pick<ReportDoc, "code" | "location" | "categoryKey">
  >();
  if (!r) return null;
  const c = r.location?.coordinates;
  const category = await findCategory(r.categoryKey);
  return {
    code: r.code,
    location: c && c.length >= 2 ? [c[0]!, c[1]!] : null,
    radiusM: category?.visitRadiusM ?? null,
  };
}
