import type { IncomingMessage } from "node:http";
import type { Update } from "grammy/types";
import { readLimited } from "../../core/http-body.ts";

export type BodyResult = { ok: true; update: Update } | { ok: false; status: 400 | 413; error: string };

function isUpdate(value: unknown): value is Update {
  const id = (value as { update_id?: unknown } | null)?.update_id;
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Number.isSafeInteger(id) &&
    (id as number) >= 0
  );
}

/** The request body as a Bot API update: 413 when too large, 400 when not JSON or not an update. */
export async function readUpdate(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const raw = await readLimited(req, limit);
  if (!raw) return { ok: false, status: 413, error: `body larger than ${limit} bytes` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    return { ok: false, status: 400, error: "body is not JSON" };
  }
  return isUpdate(parsed)
    ? { ok: true, update: parsed }
    : { ok: false, status: 400, error: "body is not an update (no update_id)" };
}
