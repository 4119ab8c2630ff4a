/**
 * Every kind of outbox row: the models that queue rows and the renderers that draw them
 * (bot/outbox/render.ts, a `Record<OutboxKind, Renderer>`) share this one list, so a kind queued
 * without a renderer, or a renderer for a kind nobody queues, is a compile error rather than a
 * row settled as "unknown kind" at run time.
 */
export const OUTBOX_KINDS = [
  // To citizens (reporter and followers): models/report/case-actions.ts, models/report/visit.ts, models/report/report-transition.ts.
  "status_changed",
  "site_visit",
  "case_note",
  "resolution",
  "info_request",
  "feedback_reminder",
  // To a case's staff chat: the new-case alert (models/report/report-submit.ts: one staff_card row
  // sending photos, card and pin) and what follows under the card. staff_photos and staff_location
  // are the alert's photos and pin as rows of their own, as an earlier version queued them: still
  // rendered, so such rows left in a queue across an upgrade go out.
  "staff_photos",
  "staff_card",
  "staff_location",
  "staff_visit",
  "staff_citizen_reply",
  "staff_citizen_note",
  "staff_reopened",
  "staff_card_redraw",
  // A staff group that is behind: "📥 N new cases" before their full cards (models/infra/group-backlog.ts).
  "staff_new_cases",
  // To the managers chat.
  "managers_citizen_note",
  "escalation",
  // Cron jobs (bot/cron/jobs.ts) and the dead-row alert (models/infra/job-outbox.ts).
  "staff_reminder",
  "daily_digest",
  "weekly_table",
  "outbox_dead_alert",
] as const;

export type OutboxKind = (typeof OUTBOX_KINDS)[number];

const KNOWN: ReadonlySet<string> = new Set(OUTBOX_KINDS);

/**
 * Rows are read as plain strings: a row written by another version of the code (a rollback, a
 * rolling deploy) may carry a kind this one does not know, and is settled rather than trusted.
 */
export function isOutboxKind(kind: string): kind is OutboxKind {
  return KNOWN.has(kind);
}

/** A case card redrawn from the report as it is at send time (an action, an erasure): models/report/card-redraw.ts. */
export const CARD_REDRAW_KIND = "staff_card_redraw" satisfies OutboxKind;

/** The alert a dead outbox row raises (bot/outbox/renderers/dead-letter.ts). */
export const DEAD_ALERT_KIND = "outbox_dead_alert" satisfies OutboxKind;

/** The "📥 N new cases" digest of a group that is behind (models/infra/group-backlog.ts, bot/outbox/renderers/group-digest.ts). */
export const GROUP_DIGEST_KIND = "staff_new_cases" satisfies OutboxKind;
