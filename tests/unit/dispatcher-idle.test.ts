import { Api } from "grammy";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { API_ROOT, createTestBot, TOKEN } from "../support/test-bot.ts";
import { IDLE_POLL_MAX_MS, OutboxDispatcher } from "../../bot/outbox/dispatcher.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { Report } from "../../models/report/report.ts";
import { queueJobMessage } from "../../models/infra/job-outbox.ts";

useTestDb({ cleanEach: true });

const T0 = new Date("2025-06-01T09:00:00Z").getTime();

/**
 * The dispatcher's loop on a virtual clock: its pauses advance the clock instead of waiting, so the
 * test counts what it does per virtual minute (claims, sweeps), never how long anything takes.
 */
function virtualDispatcher(horizonMs: number) {
  const tb = createTestBot();
  let now = T0;
  const pauses: number[] = [];
  let reached!: () => void;
  const atHorizon = new Promise<void>((resolve) => (reached = resolve));
  const d = new OutboxDispatcher({
    apis: { telegram: new Api(TOKEN, { apiRoot: API_ROOT, fetch: tb.api.fetch as never }) },
    i18n: tb.app.i18n,
    config: tb.config,
    logger: tb.app.logger,
    now: () => new Date(now),
    workerId: "idle-test",
    sleep: async (ms) => {
      pauses.push(ms);
      now += ms;
      if (now - T0 >= horizonMs) {
        reached();
        // Parked until wakeUp() or stop() ends the pause.
        return new Promise<void>(() => undefined);
      }
    },
  });
  return { tb, d, pauses, atHorizon, now: () => now };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the outbox dispatcher when idle", () => {
  it("backs its poll off to 30 s and sweeps once a minute: at most 0.2 commands a second", async () => {
    const claims = vi.spyOn(Outbox, "findOneAndUpdate");
    const sweeps = vi.spyOn(Report, "find");
    const { d, pauses, atHorizon } = virtualDispatcher(10 * 60_000);
    d.start();
    await atHorizon;
    await d.stop();
    // 1, 2, 4, 8, 16 s, then every 30 s.
    expect(pauses.slice(0, 7)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(Math.max(...pauses)).toBe(IDLE_POLL_MAX_MS);
    // Ten virtual minutes: one claim a pass, and the stale-row sweep once a minute.
    const passes = pauses.length;
    expect(claims).toHaveBeenCalledTimes(passes);
    expect(passes).toBeLessThanOrEqual(25);
    expect(sweeps.mock.calls.length).toBeLessThanOrEqual(11);
    // The claim, the sweep's two reads (unrelayed rows, dead rows) and its compaction check, per second.
    expect((passes + 3 * sweeps.mock.calls.length) / 600).toBeLessThanOrEqual(0.2);
  });

  it("a row queued in this process wakes it at once and resets the backoff", async () => {
    const { tb, d, pauses, atHorizon } = virtualDispatcher(60_000);
    d.start();
    await atHorizon;
    const idlePauses = pauses.length;
    expect(pauses.at(-1)).toBe(IDLE_POLL_MAX_MS);
    await queueJobMessage({
      id: "idle-test:1",
      chat: { platform: "telegram", chatId: 6101 },
      kind: "status_changed",
      locale: "en",
      payload: { code: "20589305", to: "in_progress", note: "" },
      now: new Date(T0 + 60_000),
    });
    const sent = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        // Sent, and the loop has chosen its next pause.
        if (tb.api.callsOf("sendMessage").length > 0 && pauses.length > idlePauses) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    d.wakeUp();
    await sent;
    await d.stop();
    expect(tb.api.callsOf("sendMessage")[0]!.payload.chat_id).toBe(6101);
    expect(await Outbox.findById("idle-test:1").lean()).toMatchObject({ status: "sent" });
    // After the pass that sent it, the poll is back to 1 s.
    expect(pauses.slice(idlePauses)[0]).toBe(1_000);
  });
});
