import type { Api } from "grammy";
import { translator } from "../../core/i18n.ts";
import type { ClaimedRow } from "../../models/infra/outbox.ts";
import { isOutboxKind, type OutboxKind } from "../../models/infra/outbox-kinds.ts";
import { NothingToSend, type RenderDeps, type Renderer } from "./renderer.ts";
import { citizenRenderers } from "./renderers/citizen.ts";
import { staffRenderers } from "./renderers/staff.ts";
import { jobRenderers } from "./renderers/jobs.ts";
import { closureRenderers } from "./renderers/closure.ts";
import { deadLetterRenderers } from "./renderers/dead-letter.ts";
import { cardRedrawRenderers } from "./renderers/card-redraw.ts";
import { groupDigestRenderers } from "./renderers/group-digest.ts";

export { NothingToSend, type RenderDeps } from "./renderer.ts";

/** Every outbox kind's renderer: a kind in models/infra/outbox-kinds.ts with none here does not compile. */
export const RENDERERS: Record<OutboxKind, Renderer> = {
  ...citizenRenderers,
  ...staffRenderers,
  ...closureRenderers,
  ...jobRenderers,
  ...deadLetterRenderers,
  ...cardRedrawRenderers,
  ...groupDigestRenderers,
};

/** Turns one outbox row into its Bot API call. */
export async function sendRow(api: Api, row: ClaimedRow, deps: RenderDeps): Promise<void> {
  // A kind from another version of the code (models/infra/outbox-kinds.ts isOutboxKind): settled, not sent.
  if (!isOutboxKind(row.kind)) throw new NothingToSend(`unknown outbox kind ${row.kind}`);
  const render = RENDERERS[row.kind];
  await render({ api, row, t: translator(deps.i18n, row.locale), deps });
}
