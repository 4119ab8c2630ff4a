import { runOncePerSlot } from "../../models/infra/lease.ts";
import { JOBS, slotKey, type JobDeps, type JobName, type JobResult } from "./jobs.ts";

/** Longer than any job takes; a holder that dies mid-run blocks its job for at most this long. */
export const JOB_LEASE_MS = 10 * 60_000;

export interface RunJobOptions {
  /** The moment the job runs for: its `now`, and its slot (the minute). */
  at: Date;
  /** Who runs it (instance id), stored on the lease. */
  holder: string;
  /** Real time, for the lease's expiry; defaults to `at`. */
  leaseNow?: Date;
}

export type RunOutcome = { job: JobName; slot: string } & (
  { ran: true; result: JobResult } | { ran: false; reason: "done" | "busy"; heldBy: string; until: Date | null }
);

/** Runs one job for one slot under its lease: across instances, each slot runs once. */
export async function runJob(name: JobName, deps: JobDeps, opts: RunJobOptions): Promise<RunOutcome> {
  const slot = slotKey(opts.at);
  const run = await runOncePerSlot(
    `job:${name}`,
    slot,
    { holder: opts.holder, ttlMs: JOB_LEASE_MS, now: opts.leaseNow ?? opts.at },
    () => JOBS[name].run(deps, opts.at),
  );
  if (run.ran) return { job: name, slot, ran: true, result: run.value };
  return {
    job: name,
    slot,
    ran: false,
    reason: run.reason,
    heldBy: run.lease?.holder ?? "",
    until: run.lease?.until ?? null,
  };
}

/** Human-readable lines for the script's output and the logs. */
export function describeOutcome(o: RunOutcome): string[] {
  if (!o.ran) {
    return [
      o.reason === "done"
        ? `${o.job} ${o.slot}: already ran for this slot; nothing done`
        : `${o.job} ${o.slot}: another run holds the lease (${o.heldBy || "unknown"} until ${o.until?.toISOString() ?? "?"}); nothing done`,
    ];
  }
  const { queued, updated, note } = o.result;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const head = `${o.job} ${o.slot}: queued ${plural(queued.length, "message")}, updated ${plural(updated, "case")}${note ? ` (${note})` : ""}`;
  return [
    head,
    ...queued.map(
      (q) =>
        `  ${q.kind} → ${q.chat.platform}:${q.chat.chatId}${q.cases ? ` (${q.cases} case${q.cases === 1 ? "" : "s"})` : ""}`,
    ),
  ];
}
