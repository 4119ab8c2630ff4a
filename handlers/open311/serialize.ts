import type { ServerResponse } from "node:http";
import { XMLBuilder } from "fast-xml-parser";

export type Format = "json" | "xml";

/**
 * One answer in the spec's two shapes. JSON: the list itself (or the object). XML: the list under
 * its root element, one `item` element per entry ("<services><service>…").
 */
export type Document =
  { root: string; item: string; list: readonly object[] } | { root: string; object: Record<string, unknown> };

/** Nested lists take these element names in XML (the spec's). */
const ITEM_NAMES: Record<string, string> = {
  attributes: "attribute",
  values: "value",
  endpoints: "endpoint",
  formats: "format",
};

const builder = new XMLBuilder({ format: true, indentBy: "  " });

/** Lists inside an entry become `<attributes><attribute>…`; undefined fields are left out. */
function xmlValue(value: unknown, name = ""): unknown {
  if (Array.isArray(value)) return { [ITEM_NAMES[name] ?? "item"]: value.map((v) => xmlValue(v)) };
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, xmlValue(v, k)]),
    );
  return value;
}

export function serialize(doc: Document, format: Format): { type: string; body: string } {
  if (format === "json")
    return { type: "application/json; charset=utf-8", body: JSON.stringify("list" in doc ? doc.list : doc.object) };
  const content = "list" in doc ? { [doc.item]: doc.list.map((v) => xmlValue(v)) } : xmlValue(doc.object);
  return {
    type: "text/xml; charset=utf-8",
    body: `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ [doc.root]: content })}`,
  };
}

export function sendDocument(
  res: ServerResponse,
  status: number,
  doc: Document,
  format: Format,
  headers: Record<string, string> = {},
): void {
  const { type, body } = serialize(doc, format);
  res.writeHead(status, { "content-type": type, ...headers }).end(body);
}

/** The spec's error list: `[{code, description}]`, `<errors><error>…`; the code is the HTTP status. */
export function errorDocument(status: number, descriptions: string[]): Document {
  return { root: "errors", item: "error", list: descriptions.map((description) => ({ code: status, description })) };
}
