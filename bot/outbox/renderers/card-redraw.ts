import { GrammyError } from "grammy";
import type { Renderer } from "../renderer.ts";
import { NothingToSend, rowReport } from "../renderer.ts";
import { CARD_REDRAW_KIND } from "../../../models/retention.ts";
import { drawCard } from "../../../views/case-card/redraw.ts";

/**
 * A case card redrawn from the report as it is now, queued by an erasure (/forgetme): the card
 * already posted in the staff chat still shows the reporter until it is edited. Edited in place;
 * where the messenger refuses the edit, a new card is posted (its id recorded) and the old one is
 * replaced by the "superseded" line, so no copy of the old text stays in the chat.
 */
export const cardRedrawRenderers: Record<string, Renderer> = {
  async [CARD_REDRAW_KIND]({ api, row, deps }) {
    const report = await rowReport(row);
    if (!report.card?.chatId || !report.card.messageId) throw new NothingToSend(`report ${report.code} has no posted card`);
    // Network, 429 and 5xx: the dispatcher retries the row. A refusal (too old, deleted): a new card below.
    await drawCard(api, report, deps, { resupersede: true, rethrow: (err) => !(err instanceof GrammyError) || err.error_code !== 400 });
  },
};
