import { listActiveCategories, type CategoryView } from "../geography/category.ts";
import { listDepartmentNames } from "../geography/region.ts";
import type { Locale } from "../common/platform.ts";

/** GeoReport v2 `services` entry. */
export interface Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: "realtime";
  keywords: string;
  group: string;
}

/** GeoReport v2 `service_definition` attribute. */
export interface ServiceAttribute {
  variable: boolean;
  code: string;
  datatype: string;
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values: { key: string; name: string }[];
}

export interface ServiceDefinition {
  service_code: string;
  attributes: ServiceAttribute[];
}

/** A category's text in the reader's language, the other one when that is empty. */
const pick = (t: { fa: string; en: string } | null | undefined, locale: Locale): string =>
  (t ? (locale === "fa" ? t.fa || t.en : t.en || t.fa) : "") ?? "";

/**
 * One service per active category; `describe` words its description in the reader's language
 * (the texts are the locale files', so the caller renders them).
 */
export async function listServices(locale: Locale, describe: (c: CategoryView) => string): Promise<Service[]> {
  const [categories, departments] = await Promise.all([listActiveCategories(), listDepartmentNames()]);
  const group = new Map(departments.map((d) => [d.key, d.name]));
  return categories.map((c) => ({
    service_code: c.key,
    service_name: pick(c.title, locale),
    description: describe(c),
    metadata: c.attributes.length > 0,
    type: "realtime",
    // Both names: a client searching in either language finds the service.
    keywords: [...new Set([c.title.fa, c.title.en, c.key].filter(Boolean))].join(", "),
    group: pick(group.get(c.department), locale) || c.department,
  }));
}

/** The category's extra questions as Open311 attributes; null for a category that does not exist or is closed. */
export async function serviceDefinition(code: string, locale: Locale): Promise<ServiceDefinition | null> {
  const c = await activeCategory(code);
  if (!c) return null;
  return {
    service_code: c.key,
    attributes: c.attributes.map((a) => ({
      variable: true,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: pick(a.datatypeDescription, locale),
      order: a.order,
      description: pick(a.description, locale),
      values: a.values.map((v) => ({ key: v.key, name: pick(v.name, locale) })),
    })),
  };
}

/** An active category by its key (a service code is anyone's text: only a plain string is looked up). */
export async function activeCategory(code: string): Promise<CategoryView | null> {
  if (typeof code !== "string") return null;
  // Categories are a dozen or so: the list is one small read.
  return (await listActiveCategories()).find((c) => c.key === code) ?? null;
}
