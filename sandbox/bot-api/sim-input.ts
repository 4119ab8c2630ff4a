// Validation helpers for /sim request bodies: small, explicit, with messages that say what to fix.
import { SimError } from "./sim-error.ts";

export type Body = Record<string, unknown>;

export function jsonBody(raw: Buffer): Body {
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new SimError(400, "body must be JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new SimError(400, "body must be a JSON object");
  return parsed as Body;
}

export function int(b: Body, key: string, check: (n: number) => boolean = () => true, what = "an integer"): number {
  const v = b[key];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || !check(v)) throw new SimError(400, `${key} must be ${what}`);
  return v;
}

export function optInt(b: Body, key: string): number | undefined {
  return b[key] === undefined ? undefined : int(b, key);
}

export function str(b: Body, key: string): string {
  const v = b[key];
  if (typeof v !== "string" || v === "") throw new SimError(400, `${key} must be a non-empty string`);
  return v;
}

export function optStr(b: Body, key: string): string | undefined {
  return b[key] === undefined ? undefined : str(b, key);
}

export function optBool(b: Body, key: string): boolean | undefined {
  const v = b[key];
  if (v === undefined) return undefined;
  if (typeof v !== "boolean") throw new SimError(400, `${key} must be true or false`);
  return v;
}

export function num(b: Body, key: string, min: number, max: number): number {
  const v = b[key];
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
    throw new SimError(400, `${key} must be a number from ${min} to ${max}`);
  return v;
}

export function obj(b: Body, key: string): Body {
  const v = b[key];
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new SimError(400, `${key} must be an object`);
  return v as Body;
}
