import { Lease, type LeaseDoc } from "./lease.ts";
import { outboxBacklog } from "./outbox.ts";

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
  return Lease.find({ holder: { $ne: "" }, until: { $lt: now } }).sort({ _id: 1 }).lean<LeaseDoc[]>();
}
