import type { Types } from "mongoose";
import { Outbox, waitingLikeRow } from "./outbox.ts";
import { Report, type PendingOutboxRow } from "../report/report.ts";
import { insertManyUnlessDuplicate } from "./insert-once.ts";

/**
 * Copies a report's pending outbox rows into the outbox collection, then pulls them from the report.
 * Safe to repeat at any point: row ids are deterministic, so a crash between the two steps only
 * means the copy is retried and finds the row already there. `rows`: the report's pendingOutbox as
 * the caller's write just returned it (saves reading it again).
 */
export async function relayReportOutbox(reportId: Types.ObjectId, rows?: PendingOutboxRow[]): Promise<number> {
  const pending = rows ?? (await Report.findById(reportId, { pendingOutbox: 1 }).lean())?.pendingOutbox ?? [];
  if (pending.length === 0) return 0;
  await copyRows(pending);
  const ids = pending.map((r) => r._id);
  // Housekeeping, not a change of the report: its updatedAt stays the time of the real change.
  await Report.updateOne({ _id: reportId }, { $pull: { pendingOutbox: { _id: { $in: ids } } } }, { timestamps: false });
  return ids.length;
}

/**
 * Copies rows into the outbox and leaves them on the report: their sender takes them off (a new
 * case's alert row: recordCard, once its card is posted), else the sweep does a minute later
 * (relayStaleOutbox: the copy finds them there). One write less where a later one goes anyway.
 */
export async function relayKeepingRows(rows: PendingOutboxRow[]): Promise<void> {
  if (rows.length > 0) await copyRows(rows);
}

/** A report as its write returned it, once its rows are relayed: nothing is pending on it any more. */
export function relayed<T extends { pendingOutbox: unknown[] }>(report: T): T {
  report.pendingOutbox.splice(0);
  return report;
}

/**
 * One insert for the rows. Each is due when it was queued: a chat waiting out a 429 or a backoff
 * still keeps its order, since the claim puts a row back behind its chat's earlier rows and due when
 * they are (models/infra/outbox.ts claimNextRow), so nothing is looked up here.
 */
async function copyRows(rows: PendingOutboxRow[]): Promise<void> {
  const fresh: PendingOutboxRow[] = [];
  for (const row of rows) if (!(row.coalesceKey && (await waitingLikeRow(row)))) fresh.push(row);
  if (fresh.length === 0) return;
  const docs = fresh.map((row) => ({
    _id: row._id,
    platform: row.platform,
    chatId: row.chatId,
    kind: row.kind,
    locale: row.locale,
    payload: row.payload,
    status: "pending" as const,
    nextAttemptAt: row.createdAt,
    createdAt: row.createdAt,
    ...(row.coalesceKey ? { coalesceKey: row.coalesceKey } : {}),
  }));
  // A row already there was copied by an earlier relay (the ids are deterministic), or a card redraw
  // finds one waiting for the same card (the coalesceKey is unique): skipped either way.
  await insertManyUnlessDuplicate(() => Outbox.insertMany(docs, { ordered: false }));
}

/** Sweeps reports whose rows were not relayed (the writer crashed right after its update). */
export async function relayStaleOutbox(olderThan: Date, limit = 100): Promise<number> {
  const stale = await Report.find({ "pendingOutbox.createdAt": { $lte: olderThan } }, { _id: 1 })
    .limit(limit)
    .lean();
  let moved = 0;
  for (const r of stale) moved += await relayReportOutbox(r._id);
  return moved;
}
