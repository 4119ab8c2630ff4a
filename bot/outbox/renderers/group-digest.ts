import { InlineKeyboard } from "grammy";
import type { RendererSet } from "../renderer.ts";
import { NothingToSend } from "../renderer.ts";
import { escapeHtml, truncate } from "../../../core/format.ts";
import { GROUP_DIGEST_KIND } from "../../../models/infra/outbox-kinds.ts";
import { digestCases } from "../../../models/infra/group-backlog.ts";
import { listCategoryTitles } from "../../../models/geography/category.ts";
import { formatCode } from "../../../models/report/tracking-code.ts";
import { encode } from "../../../views/buttons/callback-data.ts";

/**
 * "📥 N new cases" in a staff group that is behind (models/infra/group-backlog.ts): one line per case
 * (code, category, place, age when sent) and one button per case that posts its full card now.
 */
export const groupDigestRenderers = {
  async [GROUP_DIGEST_KIND]({ api, row, t, deps }) {
    const ids = Array.isArray(row.payload.reportIds) ? row.payload.reportIds.map(String) : [];
    const cases = await digestCases(ids);
    if (cases.length === 0) throw new NothingToSend("every case of the digest is gone");
    const titles = new Map((await listCategoryTitles()).map((c) => [c.key, c.title]));
    const now = (deps.now?.() ?? new Date()).getTime();
    const lines = cases.map((c, i) =>
      t("group-digest-line", {
        n: i + 1,
        code: formatCode(c.code),
        category: escapeHtml(titles.get(c.categoryKey)?.[row.locale] ?? c.categoryKey),
        place: c.place ? escapeHtml(truncate(c.place, 60)) : t("group-digest-no-place"),
        age: t("group-digest-age", { minutes: Math.max(0, Math.floor((now - c.createdAt.getTime()) / 60_000)) }),
      }),
    );
    const keyboard = new InlineKeyboard();
    cases.forEach((c, i) => {
      keyboard.text(t("group-digest-button", { code: formatCode(c.code) }), encode("digestCard", { reportId: c.id }));
      if (i % 3 === 2) keyboard.row();
    });
    const text = [t("group-digest-title", { count: cases.length }), "", ...lines, "", t("group-digest-hint")].join(
      "\n",
    );
    await api.sendMessage(row.chatId, text, { parse_mode: "HTML", reply_markup: keyboard });
  },
} satisfies RendererSet;
