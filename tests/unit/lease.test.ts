import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { acquireLease, readLease, releaseLease, runOncePerSlot } from "../../models/infra/lease.ts";

useTestDb({ cleanEach: true });

const T0 = new Date("2026-11-27T04:30:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const TTL = 60_000;

describe("acquireLease / releaseLease", () => {
  it("one holder at a time; the holder renews; an expired lease can be taken over; release frees it", async () => {
    expect(await acquireLease("sweep", "a", TTL, T0)).toBe(true);
    expect(await acquireLease("sweep", "b", TTL, at(1_000))).toBe(false);
    expect(await acquireLease("sweep", "a", TTL, at(2_000))).toBe(true); // renewal: until = T0 + 62 s
    expect(await acquireLease("sweep", "b", TTL, at(61_000))).toBe(false);
    expect(await acquireLease("sweep", "b", TTL, at(62_000))).toBe(true); // a's lease ran out
    expect(await readLease("sweep")).toMatchObject({ holder: "b", until: at(122_000) });

    await releaseLease("sweep", "a"); // not a's any more: no effect
    expect(await acquireLease("sweep", "c", TTL, at(63_000))).toBe(false);
    await releaseLease("sweep", "b");
    expect(await acquireLease("sweep", "c", TTL, at(63_000))).toBe(true);
  });

  it("of several concurrent takers of a new lease exactly one wins", async () => {
    const won = await Promise.all(["a", "b", "c", "d"].map((holder) => acquireLease("fresh", holder, TTL, T0)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect((await readLease("fresh"))!.holder).toBe(["a", "b", "c", "d"][won.indexOf(true)]);
  });
});

describe("runOncePerSlot", () => {
  const opts = (holder: string, now = T0) => ({ holder, ttlMs: TTL, now });

  it("two concurrent runners of the same job and slot: the body runs exactly once", async () => {
    let runs = 0;
    const body = async () => {
      runs++;
      return "queued 1";
    };
    const [a, b] = await Promise.all([
      runOncePerSlot("job:reminders", "2026-11-27T04:30Z", opts("instance-a"), body),
      runOncePerSlot("job:reminders", "2026-11-27T04:30Z", opts("instance-b"), body),
    ]);
    expect(runs).toBe(1);
    const outcomes = [a, b].map((o) => (o.ran ? `ran:${o.value}` : `skipped:${o.reason}`)).sort();
    // The loser either met the lease held ("busy") or the slot already completed ("done").
    expect(outcomes[0]).toBe("ran:queued 1");
    expect(["skipped:busy", "skipped:done"]).toContain(outcomes[1]);
    expect(await readLease("job:reminders")).toMatchObject({ lastCompletedSlot: "2026-11-27T04:30Z", holder: "" });
  });

  it("a completed slot is not run again, by anyone, even after the lease time; the next slot runs", async () => {
    let runs = 0;
    const body = async () => ++runs;
    expect(await runOncePerSlot("job:digest", "S1", opts("a"), body)).toEqual({ ran: true, value: 1 });
    const again = await runOncePerSlot("job:digest", "S1", opts("b", at(10 * TTL)), body);
    expect(again).toMatchObject({ ran: false, reason: "done" });
    expect(await runOncePerSlot("job:digest", "S1", opts("a", at(20 * TTL)), body)).toMatchObject({
      ran: false,
      reason: "done",
    });
    expect(await runOncePerSlot("job:digest", "S2", opts("b", at(20 * TTL)), body)).toEqual({ ran: true, value: 2 });
    expect(runs).toBe(2);
  });

  it("a holder that died mid-run blocks the slot until its lease expires; then another instance runs it", async () => {
    // Instance a took the lease for S1 and crashed: the lease stays, the slot never completed.
    expect(await acquireLease("job:weekly", "a", TTL, T0)).toBe(true);
    let runs = 0;
    const body = async () => ++runs;
    expect(await runOncePerSlot("job:weekly", "S1", opts("b", at(TTL - 1)), body)).toMatchObject({
      ran: false,
      reason: "busy",
      lease: { holder: "a" },
    });
    expect(await runOncePerSlot("job:weekly", "S1", opts("b", at(TTL)), body)).toEqual({ ran: true, value: 1 });
    expect(await readLease("job:weekly")).toMatchObject({ lastCompletedSlot: "S1", lastRunAt: at(TTL) });
  });

  it("the same holder cannot enter twice (overlapping ticks of one instance)", async () => {
    let release!: () => void;
    let started!: () => void;
    const inBody = new Promise<void>((resolve) => (started = resolve));
    const first = runOncePerSlot("job:x", "S1", opts("a"), () => {
      started();
      return new Promise<string>((resolve) => (release = () => resolve("first")));
    });
    await inBody;
    expect(await runOncePerSlot("job:x", "S1", opts("a"), async () => "second")).toMatchObject({
      ran: false,
      reason: "busy",
    });
    release();
    expect(await first).toEqual({ ran: true, value: "first" });
  });

  it("a body that throws frees the lease without completing the slot, so it can be run again", async () => {
    await expect(
      runOncePerSlot("job:y", "S1", opts("a"), async () => Promise.reject(new Error("db down"))),
    ).rejects.toThrow("db down");
    expect(await readLease("job:y")).toMatchObject({ holder: "", lastCompletedSlot: "" });
    expect(await runOncePerSlot("job:y", "S1", opts("b"), async () => "ok")).toEqual({ ran: true, value: "ok" });
  });
});
