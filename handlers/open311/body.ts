import type { IncomingMessage } from "node:http";
import type { PostFields } from "../../models/open311/post-request.ts";
import { readLimited } from "../../core/http-body.ts";

/** A POST is a report's fields: the spec's 4,000-character description, percent-encoded Persian, fits many times over. */
export const MAX_POST_BYTES = 64 * 1024;

export type FieldsResult = { ok: true; fields: PostFields } | { ok: false; status: 400 | 413 };

/** Query or form fields by name; a repeated name (`attribute[x][]=a&attribute[x][]=b`) gives a list. */
export function paramsToFields(params: URLSearchParams): PostFields {
  const fields: PostFields = {};
  for (const [name, value] of params) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return fields;
}

/** JSON: scalars as text; `attribute` may be an object of answers; anything else nested is refused. */
function jsonToFields(value: unknown): PostFields | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const fields: PostFields = {};
  const scalar = (v: unknown) =>
    typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : null;
  for (const [name, v] of Object.entries(value)) {
    if (name === "attribute" && typeof v === "object" && v !== null && !Array.isArray(v)) {
      for (const [code, answer] of Object.entries(v)) {
        const list = Array.isArray(answer) ? answer.map(scalar) : [scalar(answer)];
        if (list.some((x) => x === null)) return null;
        fields[`attribute[${code}]`] = list.length === 1 ? list[0]! : (list as string[]);
      }
      continue;
    }
    if (Array.isArray(v)) {
      const list = v.map(scalar);
      if (list.some((x) => x === null)) return null;
      fields[name] = list as string[];
      continue;
    }
    const s = scalar(v);
    if (s === null) {
      if (v === null) continue;
      return null;
    }
    fields[name] = s;
  }
  return fields;
}

/** The body as fields: x-www-form-urlencoded as the spec says, or JSON; 413 past the cap, 400 for anything else. */
export async function readFields(req: IncomingMessage, limit = MAX_POST_BYTES): Promise<FieldsResult> {
  const raw = await readLimited(req, limit);
  if (!raw) return { ok: false, status: 413 };
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  const text = raw.toString("utf8");
  if (type === "application/x-www-form-urlencoded" || (type === "" && !text.trimStart().startsWith("{")))
    return { ok: true, fields: paramsToFields(new URLSearchParams(text)) };
  if (type === "application/json" || type === "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, status: 400 };
    }
    const fields = jsonToFields(parsed);
    return fields ? { ok: true, fields } : { ok: false, status: 400 };
  }
  return { ok: false, status: 400 };
}
