import { Types } from "mongoose";
import { Report, type ReportDoc, type HISTORY_KINDS, type HistoryFacts } from "./report.ts";
import { canTransition, type ReportStatus } from "./report-status.ts";
import { nextEventKey } from "../infra/event-key.ts";
import { relayed, relayReportOutbox } from "../infra/outbox-relay.ts";
import { cardRedrawRow } from "./card-redraw.ts";
import { DomainError } from "../common/errors.ts";
import type { Platform } from "../common/platform.ts";
import { Citizen } from "../people/citizen.ts";
import type { ChatRef } from "../geography/routing.ts";
import type { OutboxKind } from "../infra/outbox-kinds.ts";

export interface Actor {
  kind: "citizen" | "staff" | "system";
  platform?: Platform;
  id?: number;
  name?: string;
}

export interface ChangeOptions {
  public?: boolean;
  now?: Date;
}

/** Who hears about an update: the reporter and followers, the reporter only, or a chat. */
export type Audience = "citizens" | "reporter" | "followers" | { chat: ChatRef; locale?: string };

export interface Notice {
  to: Audience;
  kind: OutboxKind;
  payload: Record<string, unknown>;
}

export interface CaseUpdate {
  /** New status; validated against the lifecycle table. Omitted = an event that keeps the status. */
  status?: ReportStatus;
  kind?: (typeof HISTORY_KINDS)[number];
  actor: Actor;
  note?: string;
  /** Machine-made values of the entry (answer, stars, distance…), rendered per reader by views/history.ts. */
  facts?: Partial<HistoryFacts>;
  public?: boolean;
  set?: Record<string, unknown>;
  inc?: Record<string, number>;
  /** Array appends besides the history entry (e.g. a visit). */
  push?: Record<string, unknown>;
  notices?: Notice[];
  /** Extra precondition on the report (e.g. "still has an open question"). */
  where?: Record<string, unknown>;
  now?: Date;
}

/**
 * Entries the card is not redrawn for: internal records, the cron's reminders and escalations (the
 * managers hear of those), and the citizen's messages, which are posted under the card on their own.
 * The card's "last action" shows them from its next redraw.
 */
const CARD_UNCHANGED: ReadonlySet<string> = new Set([
  "phone_viewed",
  "messenger_linked",
  "reminder",
  "escalation",
  "citizen_reply",
  "citizen_note",
]);

/**
 * The one write path for case events: checks the transition, appends the history entry, applies
 * the field changes and queues every notification in the same single-document update. The
 * update is conditional on the status that was read, so two officials pressing at once cannot
 * both win (the loser gets `conflict`).
 */
export async function updateCase(reportId: Types.ObjectId | string, u: CaseUpdate): Promise<ReportDoc> {
  const now = u.now ?? new Date();
  const report = await Report.findById(reportId).lean<ReportDoc>();
  if (!report) throw new DomainError("not_found", `report ${String(reportId)} not found`);
  // An update handled again after a crash: this write was made the first time.
  const eventKey = nextEventKey();
  if (eventKey && report.history.some((h) => h.eventKey === eventKey)) return report;
  const from = report.status as ReportStatus;
  const to = u.status ?? from;
  if (u.status && !canTransition(from, to))
    throw new DomainError("bad_transition", `cannot move ${report.code} from ${from} to ${to}`);

  const entryId = new Types.ObjectId();
  const entry = {
    _id: entryId,
    at: now,
    kind: u.kind ?? (u.status ? "status" : "note"),
    by: { kind: u.actor.kind, platform: u.actor.platform ?? "", id: u.actor.id ?? 0, name: u.actor.name ?? "" },
    from,
    to,
    note: u.note ?? "",
    facts: u.facts ?? null,
    public: u.public ?? true,
    eventKey: eventKey ?? "",
  };
  // A staff action or the citizen's answer to "was it fixed?" changes the card: its redraw is queued
  // in this same write, so a crash right after it cannot leave the card stale.
  const redraw = u.kind && CARD_UNCHANGED.has(u.kind) ? null : cardRedrawRow(report, entryId, now);
  const rows = [...(redraw ? [redraw] : []), ...(await noticeRows(report, to, entryId, u.notices ?? [], now))];
  // The write returns the report as it now is: relayed and returned without reading it again.
  const updated = await Report.findOneAndUpdate(
    {
      _id: report._id,
      status: from,
      // Linked to a messenger meanwhile (models/report/phone-link.ts): the notices above went to nobody.
      "citizen.chatId": report.citizen.chatId,
      ...(eventKey ? { "history.eventKey": { $ne: eventKey } } : {}),
      ...(u.where ?? {}),
    },
    {
      $set: { status: to, updatedAt: now, ...(u.set ?? {}) },
      ...(u.inc ? { $inc: u.inc } : {}),
      $push: { ...(u.push ?? {}), history: entry, pendingOutbox: { $each: rows } },
    },
    { timestamps: false, returnDocument: "after" },
  ).lean<ReportDoc>();
  if (!updated) {
    // The same event's write landed meanwhile (two instances replaying it at once): nothing to add.
    if (eventKey) {
      const replayed = await Report.findOne({ _id: report._id, "history.eventKey": eventKey }).lean<ReportDoc>();
      if (replayed) return replayed;
    }
    throw new DomainError("conflict", `report ${report.code} changed meanwhile`);
  }
  await relayReportOutbox(report._id, updated.pendingOutbox);
  return relayed(updated);
}

/** The status change every citizen-facing transition uses: history plus a notification to reporter and followers. */
export async function changeStatus(
  reportId: Types.ObjectId | string,
  to: ReportStatus,
  actor: Actor,
  note = "",
  opts: ChangeOptions = {},
): Promise<ReportDoc> {
  const isPublic = opts.public ?? true;
  return updateCase(reportId, {
    status: to,
    actor,
    note,
    public: isPublic,
    ...(opts.now ? { now: opts.now } : {}),
    notices: [{ to: "citizens", kind: "status_changed", payload: { note: isPublic ? note : "" } }],
  });
}

async function noticeRows(report: ReportDoc, to: ReportStatus, entryId: Types.ObjectId, notices: Notice[], now: Date) {
  const reporter = {
    platform: report.platform as Platform,
    chatId: report.citizen.chatId,
    locale: report.citizen.locale,
  };
  const followers = report.followers.map((f) => ({
    platform: f.platform as Platform,
    chatId: f.chatId,
    locale: f.locale,
  }));
  const expanded = notices.flatMap((n) => {
    const targets =
      n.to === "citizens"
        ? [reporter, ...followers]
        : n.to === "reporter"
          ? [reporter]
          : n.to === "followers"
            ? followers
            : [{ ...n.to.chat, locale: n.to.locale ?? "fa" }];
    // Chat 0: a reporter whose personal data was removed (retention, /forgetme) can no longer be told.
    return targets.filter((t) => t.chatId !== 0).map((t) => ({ notice: n, target: t }));
  });
  const locales = await currentLocales(expanded.filter((e) => typeof e.notice.to === "string").map((e) => e.target));
  return expanded.map(({ notice, target }) => ({
    _id: `${report._id.toHexString()}:${entryId.toHexString()}:${notice.kind}:${target.platform}:${target.chatId}`,
    platform: target.platform,
    chatId: target.chatId,
    kind: notice.kind,
    locale: (typeof notice.to === "string" && locales.get(`${target.platform}:${target.chatId}`)) || target.locale,
    payload: { reportId: report._id.toHexString(), code: report.code, from: report.status, to, ...notice.payload },
    createdAt: now,
  }));
}

/** The language each citizen chose since (with /language), by platform:chatId. */
async function currentLocales(recipients: { platform: Platform; chatId: number }[]): Promise<Map<string, string>> {
  if (recipients.length === 0) return new Map();
  const citizens = await Citizen.find(
    { $or: recipients.map((r) => ({ platform: r.platform, chatId: r.chatId })) },
    { platform: 1, chatId: 1, locale: 1 },
  ).lean();
  return new Map(citizens.filter((c) => c.locale).map((c) => [`${c.platform}:${c.chatId}`, c.locale]));
}
