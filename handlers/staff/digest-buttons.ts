import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { releaseCase } from "../../models/infra/group-backlog.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { onButton } from "../../views/buttons/on-button.ts";
import { scopeOrRefuse, staffOrRefuse } from "./auth.ts";
import { loadCase } from "./load-case.ts";

/**
 * "📋 <code>" under a "📥 new cases" digest (bot/outbox/renderers/group-digest.ts): the case's
 * deferred rows (photos, card, pin) are released now, so its full card is the next thing posted in
 * its group. A case already posted (or on its way) is only said so.
 */
export const digestButtonHandlers = new Composer<BotContext>();

onButton(digestButtonHandlers, "digestCard", async (ctx, { reportId }) => {
  const member = await staffOrRefuse(ctx);
  if (!member) return;
  const report = await loadCase(ctx, reportId);
  if (!report || !(await scopeOrRefuse(ctx, member, report))) return;
  const released = await releaseCase(report._id.toHexString(), ctx.app.now());
  if (released) ctx.app.wakeOutbox();
  await ctx.answerCallbackQuery({
    text: ctx.t(released ? "group-digest-posting" : "group-digest-posted", { code: formatCode(report.code) }),
  });
});
