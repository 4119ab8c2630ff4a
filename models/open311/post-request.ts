import { createHash } from "node:crypto";
import { checkAnswers, type AttributeProblem } from "../geography/category-attributes.ts";
import { insideBox, type BoundingBox } from "../geography/geo.ts";
import type { CategoryView } from "../geography/category.ts";
import { cleanUserText } from "../common/clean-text.ts";
import { toE164 } from "../common/phone.ts";
import type { AttributeAnswer } from "../report/report-submit.ts";

/** The chat form's limits (scenes/report/draft.ts): both channels take the same descriptions. */
export const DESCRIPTION_MIN = 10;
export const DESCRIPTION_MAX = 1000;
const NAME_MAX = 64;
const ADDRESS_MAX = 300;
const ID_MAX = 200;
const URL_MAX = 2000;

/** A POST's form fields: one value per name, or several for a repeated name (`attribute[x][]`). */
export type PostFields = Record<string, string | string[]>;

export type FieldProblem = "missing" | "invalid" | "too_short" | "too_long" | "unknown_service" | "outside_area";

/** One refusal, as a fact: the handler words it in the reader's language. */
export type PostError =
  | { field: string; problem: FieldProblem; limit?: number }
  | { field: string; attribute: string; problem: AttributeProblem };

/** A checked POST: what the report is filed from. */
export interface ServiceRequestInput {
  category: CategoryView;
  location: { lat: number; lon: number } | null;
  address: string;
  description: string;
  attributes: AttributeAnswer[];
  name: string;
  /** E.164, or "" when none was given. */
  phone: string;
  /** Echoed in the answer, never stored. */
  accountId: string;
  /** Same fields, same day, same client: the same report (a retried POST files once). */
  fingerprint: string;
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** `attribute[code]` and `attribute[code][]` fields by code. */
function attributeFields(fields: PostFields): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(fields)) {
    const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(name);
    if (m) out[m[1]!] = value;
  }
  return out;
}

function number(raw: string | undefined): number | null {
  if (raw === undefined || !/^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/.test(raw)) return null;
  return Number(raw);
}

/**
 * Checks a POST requests body against the service and our rules; every problem is listed, not
 * only the first. `findService` is the active category for a code (null = unknown).
 */
export async function checkServiceRequest(
  fields: PostFields,
  ctx: {
    findService: (code: string) => Promise<CategoryView | null>;
    serviceArea: BoundingBox;
    client: string;
    /** The city's date today ("2026-05-01"): the same POST tomorrow is a new report. */
    day: string;
  },
): Promise<{ input: ServiceRequestInput } | { errors: PostError[] }> {
  const errors: PostError[] = [];
  const text = (name: string, max: number, singleLine = true): string => {
    const value = cleanUserText(one(fields[name]) ?? "", { singleLine }).trim();
    if (value.length > max) errors.push({ field: name, problem: "too_long", limit: max });
    return value;
  };

  const code = one(fields.service_code)?.trim() ?? "";
  const category = code ? await ctx.findService(code) : null;
  if (!code) errors.push({ field: "service_code", problem: "missing" });
  else if (!category) errors.push({ field: "service_code", problem: "unknown_service" });

  const rawLat = one(fields.lat);
  const rawLon = one(fields.long);
  let location: { lat: number; lon: number } | null = null;
  if (rawLat !== undefined || rawLon !== undefined) {
    const lat = number(rawLat);
    const lon = number(rawLon);
    if (lat === null || lat < -90 || lat > 90) errors.push({ field: "lat", problem: "invalid" });
    if (lon === null || lon < -180 || lon > 180) errors.push({ field: "long", problem: "invalid" });
    if (lat !== null && lon !== null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
      location = { lat, lon };
      if (!insideBox(location, ctx.serviceArea)) errors.push({ field: "lat", problem: "outside_area" });
    }
  }
  const address = text("address_string", ADDRESS_MAX);
  if (!location && !address && rawLat === undefined && rawLon === undefined)
    errors.push({ field: "address_string", problem: "missing" });

  const description = text("description", DESCRIPTION_MAX, false);
  if (!description) errors.push({ field: "description", problem: "missing" });
  else if (description.length < DESCRIPTION_MIN)
    errors.push({ field: "description", problem: "too_short", limit: DESCRIPTION_MIN });

  const name = [text("first_name", NAME_MAX), text("last_name", NAME_MAX)].filter(Boolean).join(" ");
  const rawPhone = text("phone", 40);
  const phone = rawPhone ? toE164(rawPhone) : "";
  if (phone === null) errors.push({ field: "phone", problem: "invalid" });
  const email = text("email", 254);
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) errors.push({ field: "email", problem: "invalid" });
  const deviceId = text("device_id", ID_MAX);
  const accountId = text("account_id", ID_MAX);
  const mediaUrl = text("media_url", URL_MAX);
  if (mediaUrl && !isWebUrl(mediaUrl)) errors.push({ field: "media_url", problem: "invalid" });

  let attributes: AttributeAnswer[] = [];
  if (category) {
    const checked = checkAnswers(category.attributes, attributeFields(fields));
    if ("errors" in checked)
      for (const e of checked.errors)
        errors.push({ field: `attribute[${e.code}]`, attribute: e.code, problem: e.problem });
    else attributes = checked.answers;
  }
  if (errors.length > 0 || !category) return { errors };

  const fingerprint = createHash("sha256")
    .update(
      JSON.stringify([
        ctx.client,
        ctx.day,
        category.key,
        location,
        address,
        description,
        attributes,
        name,
        phone,
        email,
        deviceId,
        accountId,
        mediaUrl,
      ]),
    )
    .digest("hex");
  return {
    input: { category, location, address, description, attributes, name, phone: phone ?? "", accountId, fingerprint },
  };
}

function isWebUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}
