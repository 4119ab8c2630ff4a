import type { Translate } from "../core/i18n.ts";
import { escapeHtml, formatDate, truncate } from "../core/format.ts";
import type { HistoryEntry } from "../models/report/report.ts";
import type { Locale } from "../models/common/platform.ts";
import { formatCode } from "../models/report/tracking-code.ts";

/**
 * The one rendering of a case's history entry: its kind, its facts (answer, stars, distance,
 * reason, original case) and the note a person typed, in the reader's language. Entries store
 * values, never sentences, so a Persian reader never sees an English word someone stored.
 */
export interface HistoryReader {
  t: Translate;
  locale: Locale;
  timeZone: string;
}

/**
 * Where the line is shown:
 * - `case`: staff /case (HTML): date, public or internal, what, who; then "↳" lines for facts and note.
 * - `status`: a citizen's /status (plain text): date, status, and for the reporter and followers facts and note
 *   (someone else with the code sees status and dates only); filter with `shownInStatus` first.
 * - `escalation`: the managers' escalation message (plain text): date, who, what, facts and note shortened.
 * - `card`: the case card's "last action" (plain text; the card escapes its lines): who, what with its facts, date.
 */
export type HistoryLayout =
  { for: "case" } | { for: "status"; view: StatusReader } | { for: "escalation" } | { for: "card" };

/** Who reads a /status: the reporter, a follower (same problem, another citizen), or anyone with the code. */
export type StatusReader = "reporter" | "follower" | "public";

/** Public entries; the reporter's own messages to the case only to the reporter (they are their words). */
export function shownInStatus(h: HistoryEntry, view: StatusReader): boolean {
  return h.public === true && (h.kind !== "citizen_note" || view === "reporter");
}

const ESCALATION_NOTE_MAX = 200;

/** What happened, in the staff's words: "assigned (to an official)", "citizen feedback"… */
export function historyWhat(h: HistoryEntry, t: Translate): string {
  return t(`history-${h.kind ?? "status"}`, { status: t(`status-${h.to}`) });
}

/** The entry's facts, one phrase each, in the reader's language; numbers stay numbers so Fluent formats them per locale. */
export function historyFacts(h: HistoryEntry, t: Translate): string[] {
  const f = h.facts;
  if (!f) return [];
  const out: string[] = [];
  if (f.fixed === true) out.push(t("history-fact-fixed"));
  if (f.fixed === false) out.push(t("history-fact-not-fixed"));
  if (typeof f.rating === "number") out.push(t("history-fact-rating", { rating: f.rating }));
  if (typeof f.distanceM === "number") out.push(t("history-fact-distance", { distance: f.distanceM }));
  if (f.reason)
    out.push(t(h.kind === "reminder" ? "history-fact-reminder" : "history-fact-escalation", { reason: f.reason }));
  if (f.duplicateOf) out.push(t("history-fact-duplicate", { code: formatCode(f.duplicateOf) }));
  return out;
}

/** "citizen feedback: not fixed ❌": the kind with its facts. */
function whatWithFacts(h: HistoryEntry, facts: string[], t: Translate): string {
  return facts.length > 0
    ? t("history-what-facts", { what: historyWhat(h, t), facts: facts.join(t("history-fact-separator")) })
    : historyWhat(h, t);
}

export function historyLine(h: HistoryEntry, r: HistoryReader, layout: HistoryLayout): string {
  const { t } = r;
  const date = formatDate(h.at, r.locale, r.timeZone);
  const who = h.by.name || t(`actor-${h.by.kind}`);
  const facts = historyFacts(h, t);
  const note = h.note ?? "";
  switch (layout.for) {
    case "case": {
      const line = t("case-history-line", {
        date,
        visibility: t(h.public ? "case-history-public" : "case-history-internal"),
        what: historyWhat(h, t),
        who: escapeHtml(who),
      });
      return [
        line,
        ...[...facts, note].filter(Boolean).map((detail) => t("case-history-note", { note: escapeHtml(detail) })),
      ].join("\n");
    }
    case "status": {
      // A visit's facts are the official's distance: citizens are told only that someone was there.
      if (h.kind === "visit") return t("status-history-visit", { date });
      if (h.kind === "citizen_note")
        return t("status-history-citizen-note", { date, note: note || t("thread-photo-only") });
      const detail = layout.view !== "public" ? [...facts, note].filter(Boolean).join(t("history-fact-separator")) : "";
      const status = t(`status-${h.to}`);
      return detail
        ? t("status-history-line-detail", { date, status, detail })
        : t("status-history-line", { date, status });
    }
    case "escalation": {
      // Facts are ours, said plainly; only what a person typed is quoted.
      const line = t("escalation-history-line", { when: date, who, what: whatWithFacts(h, facts, t) });
      return note ? t("escalation-history-note", { line, note: truncate(note, ESCALATION_NOTE_MAX) }) : line;
    }
    case "card":
      return t("card-last-action", { who, what: whatWithFacts(h, facts, t), when: date });
  }
}
