import mongoose, { Schema } from "mongoose";
import { insertUnlessDuplicate } from "./insert-once.ts";

/**
 * A lease lock per name (one document, `_id` = the name). With several bot instances every cron
 * job runs under one: whoever takes the lease runs, the others skip. A holder that dies simply
 * lets its lease run out, and then anyone may take it over.
 */
const leaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    holder: { type: String, default: "" },
    /** The lease is free once this has passed. */
    until: { type: Date, default: () => new Date(0) },
    /** The slot (e.g. the scheduled minute) the holder is running. */
    slot: { type: String, default: "" },
    /** The last slot that ran to the end: no instance runs it again. */
    lastCompletedSlot: { type: String, default: "" },
    /** When the run that completed `lastCompletedSlot` started (lease clock). */
    lastRunAt: { type: Date, default: null },
  },
  { versionKey: false },
);

export const Lease = mongoose.model("Lease", leaseSchema, "leases");
export type LeaseDoc = {
  _id: string;
  holder: string;
  until: Date;
  slot: string;
  lastCompletedSlot: string;
  lastRunAt: Date | null;
};

/**
 * One atomic take: update the document if `free` matches it, or insert it if there is none. When
 * the document exists but does not match, the upsert's insert hits the `_id` and fails with a
 * duplicate key: exactly one of several concurrent callers wins.
 */
async function take(name: string, free: Record<string, unknown>, set: Record<string, unknown>): Promise<boolean> {
  return insertUnlessDuplicate(() =>
    Lease.findOneAndUpdate({ _id: name, ...free }, { $set: set }, { upsert: true, setDefaultsOnInsert: true }),
  );
}

/** Takes (or renews, for the same holder) the lease for `ttlMs`. False while someone else holds it. */
export async function acquireLease(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
  return take(
    name,
    { $or: [{ until: { $lte: now } }, { holder }] },
    { holder, until: new Date(now.getTime() + ttlMs) },
  );
}

/** Gives the lease back early (only its holder can). */
export async function releaseLease(name: string, holder: string): Promise<void> {
  await Lease.updateOne({ _id: name, holder }, { $set: { holder: "", until: new Date(0) } });
}

export async function readLease(name: string): Promise<LeaseDoc | null> {
  return Lease.findById(name).lean<LeaseDoc>();
}

export type SlotRun<T> = { ran: true; value: T } | { ran: false; reason: "done" | "busy"; lease: LeaseDoc | null };

export interface SlotOptions {
  holder: string;
  ttlMs: number;
  /** The lease clock (real time), separate from the slot: a job may be run for another moment. */
  now: Date;
}

/**
 * Runs `body` for (name, slot) at most once across instances: the lease is taken only if it is
 * free (never re-entered, not even by the same holder) and that slot has not completed. A body
 * that throws releases the lease without completing, so the slot can be run again.
 */
export async function runOncePerSlot<T>(
  name: string,
  slot: string,
  opts: SlotOptions,
  body: () => Promise<T>,
): Promise<SlotRun<T>> {
  const taken = await take(
    name,
    { until: { $lte: opts.now }, lastCompletedSlot: { $ne: slot } },
    { holder: opts.holder, until: new Date(opts.now.getTime() + opts.ttlMs), slot },
  );
  if (!taken) {
    const lease = await readLease(name);
    return { ran: false, reason: lease?.lastCompletedSlot === slot ? "done" : "busy", lease };
  }
  let value: T;
  try {
    value = await body();
  } catch (err) {
    await releaseLease(name, opts.holder);
    throw err;
  }
  // Completion is recorded by the holder only: if the lease ran out and was taken over, the new holder records it.
  await Lease.updateOne(
    { _id: name, holder: opts.holder },
    { $set: { holder: "", until: new Date(0), lastCompletedSlot: slot, lastRunAt: opts.now } },
  );
  return { ran: true, value };
}
