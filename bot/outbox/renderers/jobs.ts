import type { RendererSet } from "../renderer.ts";
import { NothingToSend, payloadString, rowReport } from "../renderer.ts";
import { formatDate, truncate } from "../../../core/format.ts";
import type { Translate } from "../../../core/i18n.ts";
import { listCategoryTitles } from "../../../models/geography/category.ts";
import { findRegionNames } from "../../../models/geography/region.ts";
import type { ReportDoc } from "../../../models/report/report.ts";
import { formatCode } from "../../../models/report/tracking-code.ts";
import type { Locale } from "../../../models/common/platform.ts";
import { feedbackKeyboard } from "../../../views/feedback-keyboard.ts";
import { historyLine } from "../../../views/history.ts";
import { weeklyTableRenderer } from "./weekly-table.ts";

const TEXT_MAX = 4096;
/** History lines an escalation shows the managers. */
const ESCALATION_HISTORY = 5;

interface ReminderCase {
  code: string;
  categoryKey: string;
  deadline: "first_response" | "resolve";
  hours: number;
}

const num = (v: unknown) => (typeof v === "number" ? v : 0);

async function categoryTitles(locale: Locale): Promise<Map<string, string>> {
  const rows = await listCategoryTitles();
  return new Map(rows.map((c) => [c.key, c.title[locale]]));
}

function historyLines(r: ReportDoc, t: Translate, locale: Locale, timeZone: string): string[] {
  return r.history
    .slice(-ESCALATION_HISTORY)
    .map((h) => historyLine(h, { t, locale, timeZone }, { for: "escalation" }));
}

/** The digest's "open N days, never visited" count, the listed codes and how many more; nothing when there are none. */
function unvisitedLines(payload: Record<string, unknown>, t: Translate): string[] {
  const count = num(payload.unvisited);
  if (count === 0) return [];
  const codes = Array.isArray(payload.unvisitedCodes)
    ? payload.unvisitedCodes.filter((c): c is string => typeof c === "string")
    : [];
  const more = count - codes.length;
  return [
    t("digest-unvisited", { count, days: num(payload.unvisitedDays) }),
    codes.map(formatCode).join(" · "),
    more > 0 ? t("digest-unvisited-more", { count: more }) : "",
  ].filter(Boolean);
}

/** Messages queued by the cron jobs (bot/cron/jobs.ts): plain text, except the table's <pre>. */
export const jobRenderers = {
  /** One grouped reminder per staff chat: the listed cases and how many more. */
  async staff_reminder({ api, row, t }) {
    const cases = (row.payload.cases ?? []) as ReminderCase[];
    const more = num(row.payload.more);
    const titles = await categoryTitles(row.locale);
    const lines = cases.map((c) =>
      t("reminder-line", {
        code: formatCode(c.code),
        category: titles.get(c.categoryKey) ?? c.categoryKey,
        late: t(c.deadline === "resolve" ? "reminder-late-resolve" : "reminder-late-first", { hours: c.hours }),
      }),
    );
    const text = [
      t("reminder-title", { count: cases.length + more }),
      ...lines,
      ...(more > 0 ? [t("reminder-more", { count: more })] : []),
    ].join("\n");
    await api.sendMessage(row.chatId, truncate(text, TEXT_MAX));
  },

  /** To the managers: why (overdue, reminded K times, citizen says not fixed), the case, and its latest history. */
  async escalation({ api, row, t, deps }) {
    const r = await rowReport(row);
    const { locale } = row;
    const reason = payloadString(row, "reason") || "overdue";
    const titles = await categoryTitles(locale);
    const region = r.regionKey ? (await findRegionNames(r.regionKey))?.name?.[locale] : "";
    // A "not fixed" escalation (case-actions) carries no level: the report's own is the same.
    const level = num(row.payload.level) || r.escalationLevel;
    const text = [
      t("escalation-title", { code: formatCode(r.code) }),
      t("escalation-case", {
        category: titles.get(r.categoryKey) ?? r.categoryKey,
        region: region || t("escalation-no-region"),
        status: t(`status-${r.status}`),
      }),
      t(`escalation-reason-${reason}`, { hours: num(row.payload.hoursOverdue), reminders: num(row.payload.reminders) }),
      level > 0 ? t("escalation-level", { level }) : "",
      t("escalation-history"),
      ...historyLines(r, t, locale, deps.config.TZ_NAME),
    ].filter(Boolean);
    await api.sendMessage(row.chatId, truncate(text.join("\n"), TEXT_MAX));
  },

  /** New, resolved, open and overdue: for one staff chat's cases, or for all (managers); then the old cases nobody visited, if any. */
  async daily_digest({ api, row, t, deps }) {
    const at = new Date(payloadString(row, "at"));
    const title = t(payloadString(row, "scope") === "all" ? "digest-title-all" : "digest-title-chat", {
      date: formatDate(at, row.locale, deps.config.TZ_NAME),
    });
    const body = t("digest-body", {
      created: num(row.payload.created),
      resolved: num(row.payload.resolved),
      open: num(row.payload.open),
      overdue: num(row.payload.overdue),
    });
    await api.sendMessage(row.chatId, truncate([title, body, ...unvisitedLines(row.payload, t)].join("\n"), TEXT_MAX));
  },

  /** The performance table of one section: its picture or its phone text (see weekly-table-send.ts). */
  weekly_table: weeklyTableRenderer,

  /** The one "was it fixed?" reminder, with the same buttons as the resolution message. */
  async feedback_reminder({ api, row, t }) {
    const r = await rowReport(row);
    // Answered between queueing and sending: a reminder now would only confuse.
    if (r.feedback?.answeredAt) throw new NothingToSend(`feedback on ${r.code} already answered`);
    await api.sendMessage(row.chatId, t("feedback-reminder", { code: formatCode(r.code) }), {
      reply_markup: feedbackKeyboard(t, r._id.toHexString()),
    });
  },
} satisfies RendererSet;
