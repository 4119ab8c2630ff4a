import { Outbox } from "../../models/infra/outbox.ts";
import { CARD_REDRAW_KIND } from "../../models/infra/outbox-kinds.ts";
import type { OutboxDispatcher } from "../../bot/outbox/dispatcher.ts";

const PARKED = new Date("2999-01-01T00:00:00Z");

/**
 * Sends the card redraws that are due and nothing else: what a press's direct edit did before
 * redraws went through the outbox, for tests that read the card right after a press and check the
 * press's other messages later. Every other pending row is parked while the dispatcher runs and then
 * put back as it was; a redraw behind an unsent row of its chat still waits for it (per-chat order).
 */
export async function drainCardRedraws(tb: { dispatcher: OutboxDispatcher }): Promise<number> {
  const others = await Outbox.find({ status: "pending", kind: { $ne: CARD_REDRAW_KIND } }, { nextAttemptAt: 1 }).lean();
  if (others.length > 0)
    await Outbox.updateMany({ _id: { $in: others.map((o) => o._id) } }, { $set: { nextAttemptAt: PARKED } });
  try {
    return await tb.dispatcher.drainOnce();
  } finally {
    for (const o of others)
      await Outbox.updateOne({ _id: o._id, nextAttemptAt: PARKED }, { $set: { nextAttemptAt: o.nextAttemptAt } });
  }
}
