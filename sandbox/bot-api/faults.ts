// Injected failures for tests and drills: the next `count` Bot API calls matching platform and
// method answer 429 (with retry_after), 500, or never answer at all ("timeout").
import type { BotApiError } from "./errors.ts";
import { TG, tooManyRequests } from "./errors.ts";
import { SimError } from "./sim-error.ts";

export type FaultKind = "429" | "500" | "timeout";

export interface FaultSpec {
  platform?: string;
  method?: string;
  kind: FaultKind;
  count: number;
  retry_after?: number;
}

const KINDS: readonly string[] = ["429", "500", "timeout"];

export function parseFaultSpec(body: unknown): FaultSpec {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const kind = String(b.kind ?? "");
  if (!KINDS.includes(kind)) throw new SimError(400, `kind must be one of ${KINDS.join(", ")}`);
  const count = b.count === undefined ? 1 : Number(b.count);
  if (!Number.isSafeInteger(count) || count < 1) throw new SimError(400, "count must be a positive integer");
  const retryAfter = b.retry_after === undefined ? undefined : Number(b.retry_after);
  if (retryAfter !== undefined && (!Number.isSafeInteger(retryAfter) || retryAfter < 1))
    throw new SimError(400, "retry_after must be a positive integer (seconds)");
  for (const key of ["platform", "method"] as const) {
    if (b[key] !== undefined && typeof b[key] !== "string") throw new SimError(400, `${key} must be a string`);
  }
  return {
    kind: kind as FaultKind,
    count,
    ...(typeof b.platform === "string" ? { platform: b.platform } : {}),
    ...(typeof b.method === "string" ? { method: b.method } : {}),
    ...(kind === "429" ? { retry_after: retryAfter ?? 1 } : {}),
  };
}

/** What a matched fault does to the call: an error reply, or "hold" (no reply until the client gives up). */
export type FaultOutcome = BotApiError | "hold";

export class FaultTable {
  private faults: FaultSpec[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec });
  }

  clear(): void {
    this.faults = [];
  }

  list(): FaultSpec[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Consumes one use of the first matching fault (method names compare case-insensitively, as Telegram's). */
  take(platform: string, method: string): FaultOutcome | undefined {
    const fault = this.faults.find(
      (f) =>
        (f.platform === undefined || f.platform === platform) &&
        (f.method === undefined || f.method.toLowerCase() === method.toLowerCase()),
    );
    if (!fault) return undefined;
    fault.count--;
    if (fault.count <= 0) this.faults = this.faults.filter((f) => f !== fault);
    if (fault.kind === "429") return tooManyRequests(fault.retry_after ?? 1);
    if (fault.kind === "500") return TG.internal();
    return "hold";
  }
}
