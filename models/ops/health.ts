import { Lease, type LeaseDoc } from "../infra/lease.ts";
import { Outbox, outboxBacklog } from "../infra/outbox.ts";

/** Read-only health figures for `npm run doctor` (and any future health endpoint). */

export interface OutboxHealth {
  pending: number;
  /** Minutes the oldest pending/sending row has waited; null when there is none. */
  oldestAgeMinutes: number | null;
}

export async function outboxHealth(now: Date): Promise<OutboxHealth> {
  const { pending, oldest } = await outboxBacklog();
  return { pending, oldestAgeMinutes: oldest ? Math.floor((now.getTime() - oldest.getTime()) / 60_000) : null };
}

/**
 * Leases still naming a holder after they ran out: that holder died mid-run (a clean run clears
 * the holder). Harmless for locking — anyone may take them over — but the run it guarded did not finish.
 */
export async function stuckLeases(now: Date): Promise<LeaseDoc[]> {
  return Lease.find({ holder: { $ne: "" }, until: { $lt: now } })
    .sort({ _id: 1 })
    .lean<LeaseDoc[]>();
}

export interface DeadOutboxRow {
  id: string;
  kind: string;
  platform: string;
  /** When it was given up (null for a row that predates deadAt). */
  deadAt: Date | null;
  /** Error code and Bot API description. */
  error: string;
}

/** Outbox rows given up (status dead): how many, and the latest `limit` of them. */
export async function deadOutbox(limit = 10): Promise<{ count: number; rows: DeadOutboxRow[] }> {
  const count = await Outbox.countDocuments({ status: "dead" });
  if (count === 0) return { count, rows: [] };
  const rows = await Outbox.find({ status: "dead" }, { kind: 1, platform: 1, deadAt: 1, lastError: 1 })
    .sort({ deadAt: -1, _id: 1 })
    .limit(limit)
    .lean();
  return {
    count,
    rows: rows.map((r) => ({
      id: r._id,
      kind: r.kind,
      platform: r.platform,
      deadAt: r.deadAt ?? null,
      error: r.lastError ?? "",
    })),
  };
}
