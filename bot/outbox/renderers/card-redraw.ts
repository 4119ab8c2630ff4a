import { GrammyError } from "grammy";
import type { RendererSet } from "../renderer.ts";
import { NothingToSend, payloadString, rowReport } from "../renderer.ts";
import { CARD_REDRAW_KIND } from "../../../models/infra/outbox-kinds.ts";
import { drawCard } from "../../../views/case-card/redraw.ts";

/**
 * A case card redrawn from the report as it is when the row is sent: after an action or a citizen's
 * answer (models/report/card-redraw.ts, reason "changed"; several waiting redraws are one row), or after an
 * erasure (/forgetme, models/ops/retention.ts): the card already posted still shows the reporter until
 * it is edited. Edited in place; where the messenger refuses the edit, a new card is posted (its id
 * recorded) and the old one is replaced by the "superseded" line.
 */
export const cardRedrawRenderers = {
  async [CARD_REDRAW_KIND]({ api, row, deps }) {
    const report = await rowReport(row);
    if (!report.card?.chatId || !report.card.messageId)
      throw new NothingToSend(`report ${report.code} has no posted card`);
    // An erasure (rows queued before "reason" existed are erasures too) also overwrites the older,
    // superseded cards, so no copy of the reporter's lines stays in the chat; a plain change need not.
    const erasure = payloadString(row, "reason") !== "changed";
    // Network, 429 and 5xx: the dispatcher retries the row. A refusal (too old, deleted): a new card below.
    await drawCard(api, report, deps, {
      resupersede: erasure,
      rethrow: (err) => !(err instanceof GrammyError) || err.error_code !== 400,
      onRefused: (err) => deps.logger.info({ err, code: report.code }, "card edit refused; posting a new card"),
    });
  },
} satisfies RendererSet;
