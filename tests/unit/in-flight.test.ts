import { describe, expect, it } from "vitest";
import { InFlight } from "../../bot/in-flight.ts";
import { deferred } from "../support/deferred.ts";

describe("in-flight handlers", () => {
  it("drain waits for every handler, including one started while waiting", async () => {
    const inflight = new InFlight();
    const a = deferred();
    const b = deferred();
    inflight.track(a.promise);
    let done = false;
    const drained = inflight.drain(10_000).then((ok) => {
      done = true;
      return ok;
    });
    inflight.track(b.promise);
    a.resolve();
    // Every pending callback runs before setImmediate's: a's end is fully processed by then.
    await new Promise((resolve) => setImmediate(resolve));
    expect(inflight.size).toBe(1);
    expect(done).toBe(false);
    b.resolve();
    expect(await drained).toBe(true);
    expect(inflight.size).toBe(0);
  });

  it("a failing handler counts as finished, and its error stays with the caller", async () => {
    const inflight = new InFlight();
    const a = deferred();
    const tracked = inflight.track(a.promise);
    a.reject(new Error("boom"));
    await expect(tracked).rejects.toThrow("boom");
    expect(await inflight.drain(10_000)).toBe(true);
  });

  it("drain gives up after its bound and says so", async () => {
    const inflight = new InFlight();
    inflight.track(new Promise(() => undefined));
    expect(await inflight.drain(20)).toBe(false);
    expect(inflight.size).toBe(1);
  });
});
