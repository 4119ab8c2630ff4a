// Document helpers shared by the store, query and update code: the dynamic BSON document type,
// copy-on-write cloning, dotted-path access and a canonical key for equality lookups.
import { Binary, Decimal128, Long, ObjectId } from "bson";

export type Doc = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Doc {
  if (value === null || typeof value !== "object") return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function isOperatorKey(key: string): boolean {
  return key.startsWith("$");
}

/** True for `{ $op: ... }` style objects (query operators / update operators). */
export function hasOperatorKeys(value: unknown): value is Doc {
  return isPlainObject(value) && Object.keys(value).some(isOperatorKey);
}

/**
 * Deep-copies plain objects, arrays and Dates. BSON value classes (ObjectId, Binary, Long, ...)
 * are immutable in practice and shared. Stored documents are never mutated in place: writes
 * clone, modify, then swap, so open cursors and the unique-key maps never see half-applied updates.
 */
export function cloneDoc<T>(value: T): T {
  return cloneValue(value) as T;
}

function cloneValue(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(cloneValue);
  if (value instanceof Date) return new Date(value.getTime());
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const key of Object.keys(value)) out[key] = cloneValue(value[key]);
    return out;
  }
  return value;
}

/** Plain dotted-path lookup (no array fan-out except numeric segments). */
export function getPath(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split(".")) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(part)) return undefined;
      current = current[Number(part)];
    } else if (isPlainObject(current)) {
      current = current[part];
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

/** Sets a dotted path, creating intermediate objects (used to seed upserted documents). */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split(".");
  let current: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const next = current[part];
    if (isPlainObject(next)) {
      current = next;
    } else {
      const created: Doc = {};
      current[part] = created;
      current = created;
    }
  }
  current[parts[parts.length - 1] as string] = value;
}

/**
 * All values a multikey index would see at `path`: arrays fan out, a missing field yields
 * `undefined` (mongod indexes it as null), an empty array yields `undefined` too.
 */
export function indexValues(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split("."), 0, out);
  return out.length === 0 ? [undefined] : out;
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      else out.push(...value);
    } else {
      out.push(value);
    }
    return;
  }
  const part = parts[i] as string;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(part)) {
      collect(value[Number(part)], parts, i + 1, out);
      return;
    }
    for (const element of value) if (isPlainObject(element)) collect(element[part], parts, i + 1, out);
    return;
  }
  if (isPlainObject(value)) {
    collect(value[part], parts, i + 1, out);
    return;
  }
  out.push(undefined);
}

/**
 * A canonical string for a BSON value, equal for values mongod considers equal as index keys
 * (numbers of any width compare by value; embedded documents are key-order sensitive).
 */
export function keyOf(value: unknown): string {
  if (value === undefined || value === null) return "null";
  switch (typeof value) {
    case "number":
      return `n:${Object.is(value, -0) ? 0 : value}`;
    case "string":
      return `s:${JSON.stringify(value)}`;
    case "boolean":
      return `b:${value}`;
    case "bigint":
      return `n:${value.toString()}`;
    case "object":
      break;
    default:
      return `?:${String(value)}`;
  }
  if (value instanceof ObjectId) return `o:${value.toHexString()}`;
  if (value instanceof Date) return `d:${value.getTime()}`;
  if (value instanceof Long) {
    const n = value.toNumber();
    return Number.isSafeInteger(n) ? `n:${n}` : `n:${value.toString()}`;
  }
  if (value instanceof Decimal128) return `n:${value.toString()}`;
  if (value instanceof Binary) return `x:${value.sub_type}:${Buffer.from(value.buffer).toString("base64")}`;
  if (value instanceof RegExp) return `r:${value.source}/${value.flags}`;
  if (Array.isArray(value)) return `[${value.map(keyOf).join(",")}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .map((k) => `${JSON.stringify(k)}:${keyOf(value[k])}`)
      .join(",")}}`;
  }
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
  return `${ctor}:${String(value)}`;
}

/** mongod stores `_id` as the first field; the driver relies on nothing else about order. */
export function withIdFirst(doc: Doc): Doc {
  const keys = Object.keys(doc);
  if (keys[0] === "_id" || !("_id" in doc)) return doc;
  const out: Doc = { _id: doc._id };
  for (const key of keys) if (key !== "_id") out[key] = doc[key];
  return out;
}

/** Renders a value the way mongod prints it in error messages (`ObjectId('…')`, `"text"`). */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (Array.isArray(value)) return `[ ${value.map(formatValue).join(", ")} ]`;
  if (isPlainObject(value)) {
    const parts = Object.keys(value).map((k) => `${k}: ${formatValue(value[k])}`);
    return parts.length ? `{ ${parts.join(", ")} }` : "{}";
  }
  return String(value);
}
