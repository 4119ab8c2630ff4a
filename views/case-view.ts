import { escapeHtml, formatDate, truncate } from "../core/format.ts";
import type { HistoryEntry, ReportDoc } from "../models/report/report.ts";
import { isOpen, type ReportStatus } from "../models/report/report-status.ts";
import { hoursBetween } from "../models/report/case-queries.ts";
import { caseCardFor } from "./case-card/card-data.ts";
import { overdueText, type ListView } from "./case-list.ts";
import { fitList } from "./fit-message.ts";
import { visitDetailLines, visitPlaceVars } from "./visit-lines.ts";
import { historyLine } from "./history.ts";

export interface CaseView extends ListView {
  timeZone: string;
}

/** The Q&A summary shows the latest few, shortened; the history below keeps every word. */
const ANSWERS_SHOWN = 3;
const ANSWER_MAX = 200;

/**
 * /case for staff: the card, then what the card leaves out (SLA state, photos, escalation,
 * the citizen's answers and feedback) and the whole history, internal entries included.
 */
export async function renderCaseView(r: ReportDoc, v: CaseView): Promise<string> {
  const { html: card } = await caseCardFor(r, v.t, v.locale, v.timeZone);
  const facts = [
    isOpen(r.status as ReportStatus) ? deadlineText(r, v) : "",
    // Followers are on the card ("👥 N citizens support this").
    v.t("case-photos", { photos: r.photos.length }),
    r.escalationLevel > 0 ? v.t("case-escalation", { level: r.escalationLevel }) : "",
    feedbackLine(r, v),
    ...visitLines(r, v),
  ].filter(Boolean);
  const answers = answerLines(r.history, v);
  const head = [
    card,
    facts.join("\n"),
    answers.length ? [v.t("case-answers-title"), ...answers].join("\n") : "",
    v.t("case-history-title", { count: r.history.length }),
  ]
    .filter(Boolean)
    .join("\n\n");
  return fitList({
    head,
    lines: r.history.map((h) => historyLine(h, v, { for: "case" })),
    more: (count) => v.t("case-history-earlier", { count }),
    keep: "last",
  });
}

/** Lists show a case's age; the case itself shows what matters next: time left, or how late it is. */
function deadlineText(r: ReportDoc, v: CaseView): string {
  return overdueText(r, v) ?? v.t("case-due-in", { hours: hoursBetween(v.now, r.resolveDueAt) });
}

/** Each citizen reply with the staff question it answers (the latest question before it). */
function answerLines(history: HistoryEntry[], v: CaseView): string[] {
  let question = "";
  const pairs: string[] = [];
  for (const h of history) {
    if (h.kind === "info_request") question = h.note ?? "";
    if (h.kind === "citizen_reply")
      pairs.push(
        v.t("case-answer", {
          question: escapeHtml(truncate(question || "—", ANSWER_MAX)),
          answer: escapeHtml(truncate(h.note || "—", ANSWER_MAX)),
        }),
      );
  }
  return pairs.slice(-ANSWERS_SHOWN);
}

/** Every visit (newest last, the latest few): who, when, where, how the location was shared, the reason and note. */
const VISITS_SHOWN = 5;

function visitLines(r: ReportDoc, v: CaseView): string[] {
  const visits = r.visits ?? [];
  if (visits.length === 0) return [];
  const lines = visits.slice(-VISITS_SHOWN).map((x) =>
    [
      v.t("case-visit", {
        date: formatDate(x.at, v.locale, v.timeZone),
        name: escapeHtml(x.by.name || "—"),
        ...visitPlaceVars(x),
        photos: x.photos.length,
      }),
      ...visitDetailLines(v.t, x.offSiteReason ?? "", x.note ?? ""),
    ].join("\n"),
  );
  return [v.t("case-visits-title", { count: visits.length }), ...lines];
}

function feedbackLine(r: ReportDoc, v: CaseView): string {
  const f = r.feedback;
  if (!f?.answeredAt) return "";
  const parts = [
    f.fixed === true ? v.t("case-feedback-fixed") : f.fixed === false ? v.t("case-feedback-not-fixed") : "",
    f.rating ? v.t("case-feedback-rating", { rating: f.rating }) : "",
  ];
  return v.t("case-feedback", { answer: parts.filter(Boolean).join(" · ") });
}
