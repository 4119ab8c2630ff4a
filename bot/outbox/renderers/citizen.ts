import type { RendererSet } from "../renderer.ts";
import { payloadString } from "../renderer.ts";
import type { ClaimedRow } from "../../../models/infra/outbox.ts";
import { formatDate, truncate } from "../../../core/format.ts";
import { formatCode } from "../../../models/report/tracking-code.ts";
import { noticeRecipient } from "../../../models/report/notice-recipient.ts";

const TEXT_MAX = 4096;

/**
 * The key for this row's reader: followers get `<key>-follower` ("the report you follow"), the
 * reporter the plain one ("your report").
 */
async function keyFor(
  row: ClaimedRow,
  key: "notify-status" | "notify-site-visit" | "notify-case-note",
): Promise<string> {
  return (await noticeRecipient(payloadString(row, "reportId"), row.platform, row.chatId)) === "follower"
    ? `${key}-follower`
    : key;
}

/** Notifications to citizens (reporter and followers). */
export const citizenRenderers = {
  async status_changed({ api, row, t }) {
    const code = formatCode(payloadString(row, "code"));
    const lines = [t(await keyFor(row, "notify-status"), { code, status: t(`status-${payloadString(row, "to")}`) })];
    const dup = payloadString(row, "duplicateOf");
    if (dup) lines.push(t("notify-duplicate-of", { code: formatCode(dup) }));
    const note = payloadString(row, "note");
    if (note) lines.push(t("notify-note", { note }));
    await api.sendMessage(row.chatId, truncate(lines.join("\n"), TEXT_MAX));
  },
  /** "An inspector visited the site": the official chose to tell the citizens. */
  async site_visit({ api, row, t, deps }) {
    const at = formatDate(new Date(payloadString(row, "at")), row.locale, deps.config.TZ_NAME);
    await api.sendMessage(
      row.chatId,
      t(await keyFor(row, "notify-site-visit"), { code: formatCode(payloadString(row, "code")), date: at }),
    );
  },
  async case_note({ api, row, t }) {
    await api.sendMessage(
      row.chatId,
      truncate(
        t(await keyFor(row, "notify-case-note"), {
          code: formatCode(payloadString(row, "code")),
          note: payloadString(row, "note"),
        }),
        TEXT_MAX,
      ),
    );
  },
} satisfies RendererSet;
