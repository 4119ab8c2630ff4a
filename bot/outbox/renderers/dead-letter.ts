import type { RendererSet } from "../renderer.ts";
import { formatCode } from "../../../models/report/tracking-code.ts";
import { DEAD_ALERT_KIND, type DeadAlertPayload } from "../../../models/infra/job-outbox.ts";

/** A Bot API refusal ("400 …"): the row was also refused as plain text. Anything else ran out of attempts. */
const REFUSAL = /^4\d\d /;

/** The alert a dead outbox row raises, to the managers chat and each admin (models/infra/job-outbox.ts alertDeadRows). */
export const deadLetterRenderers = {
  async [DEAD_ALERT_KIND]({ api, row, t }) {
    const p = row.payload as unknown as DeadAlertPayload;
    const platform = t("dead-alert-platform", { platform: p.platform });
    const lines = [
      t("dead-alert-title"),
      t("dead-alert-what", { what: t("dead-alert-kind", { kind: p.kind }) }),
      p.code ? t("dead-alert-case", { code: formatCode(p.code) }) : "",
      t("dead-alert-to", { to: t(`dead-alert-to-${p.chat}`, { chat: p.chatId, platform }) }),
      t("dead-alert-error", { error: p.error }),
      REFUSAL.test(p.error) ? t("dead-alert-refused") : t("dead-alert-attempts", { attempts: p.attempts }),
      t("dead-alert-doctor"),
    ];
    // Plain text, no buttons: an alert must not be refused for its markup.
    await api.sendMessage(row.chatId, lines.filter(Boolean).join("\n"));
  },
} satisfies RendererSet;
