import { Types } from "mongoose";
import { Outbox } from "./outbox.ts";
import { insertUnlessDuplicate } from "./insert-once.ts";
import type { Locale, Platform } from "../common/platform.ts";
import { DEAD_ALERT_KIND, type OutboxKind } from "./outbox-kinds.ts";
import { Report } from "../report/report.ts";
import type { ChatRef } from "../geography/routing.ts";
import { Staff } from "../people/staff.ts";

export interface JobMessage {
  /** Derived from the job, its slot and the chat: re-running a slot queues nothing twice. */
  id: string;
  chat: ChatRef;
  kind: OutboxKind;
  locale: Locale;
  payload: Record<string, unknown>;
  now: Date;
  /** A row that absorbs later copies while it waits (models/infra/outbox.ts `coalesceKey`): false when one is waiting already. */
  coalesceKey?: string;
}

/**
 * Queues a message straight into the outbox, for messages that belong to a job run rather than to
 * one report's event (a grouped reminder, a digest, a card redraw). Returns false when that id (or
 * that coalesce key, on a row still waiting) was queued already. If the chat is waiting out a 429 or a
 * backoff, the row waits behind its earlier rows instead of overtaking them.
 */
export async function queueJobMessage(m: JobMessage): Promise<boolean> {
  const latest = await Outbox.findOne(
    { platform: m.chat.platform, chatId: m.chat.chatId, status: "pending" },
    { nextAttemptAt: 1 },
  )
    .sort({ nextAttemptAt: -1 })
    .lean();
  const notBefore = latest && latest.nextAttemptAt > m.now ? latest.nextAttemptAt : m.now;
  return insertUnlessDuplicate(() =>
    Outbox.create({
      _id: m.id,
      platform: m.chat.platform,
      chatId: m.chat.chatId,
      kind: m.kind,
      locale: m.locale,
      payload: m.payload,
      status: "pending",
      nextAttemptAt: notBefore,
      createdAt: m.now,
      ...(m.coalesceKey ? { coalesceKey: m.coalesceKey } : {}),
    }),
  );
}

export { DEAD_ALERT_KIND } from "./outbox-kinds.ts";

/** What kind of chat missed the message: said in the alert; whose chat it was never is. */
export type DeadChat = "managers" | "staff" | "staff_member" | "citizen";

export interface DeadAlertPayload {
  /** The dead row's kind (staff_card, status_changed…). */
  kind: string;
  platform: Platform;
  chat: DeadChat;
  /** A staff group's id, to find the group; "" for private chats (a person's id stays out of the alert). */
  chatId: string;
  /** Tracking code of the report the row was about; "" when it was about none (or the report is gone). */
  code: string;
  /** Error code and Bot API description, as in the row's lastError. */
  error: string;
  attempts: number;
}

export interface DeadAlertsQueued {
  /** Dead rows whose alerts were queued by this call. */
  rows: string[];
  /** Alert rows queued (an id queued before is not counted again). */
  alerts: number;
  /** Chats alerted per dead row: the managers chat (if set) and the active admins. */
  targets: number;
}

/**
 * Queues the alerts for dead rows not alerted yet: one to the managers chat and one to each active
 * admin's private chat (their user id on their platform). Alert ids derive from the dead row's id,
 * so running this twice for a row (a crash in between, two instances) queues each alert once. An
 * alert row that dies itself raises nothing (the dispatcher logs it).
 */
export async function alertDeadRows(o: {
  managers: ChatRef | null;
  locale: Locale;
  now: Date;
  limit?: number;
}): Promise<DeadAlertsQueued> {
  const dead = await Outbox.find({ status: "dead", alertedAt: null, kind: { $ne: DEAD_ALERT_KIND } })
    .sort({ deadAt: 1, _id: 1 })
    .limit(o.limit ?? 20)
    .lean();
  if (dead.length === 0) return { rows: [], alerts: 0, targets: 0 };
  const admins = await Staff.find({ role: "admin", active: true }, { platform: 1, userId: 1 })
    .sort({ platform: 1, userId: 1 })
    .lean();
  const targets: ChatRef[] = [
    ...(o.managers ? [o.managers] : []),
    ...admins.map((a) => ({ platform: a.platform as Platform, chatId: a.userId })),
  ];
  const done: DeadAlertsQueued = { rows: [], alerts: 0, targets: targets.length };
  for (const row of dead) {
    const payload = await deadAlertPayload(row, o.managers);
    for (const chat of targets) {
      const id = `${row._id}:dead-alert:${chat.platform}:${chat.chatId}`;
      if (
        await queueJobMessage({
          id,
          chat,
          kind: DEAD_ALERT_KIND,
          locale: o.locale,
          payload: { ...payload },
          now: o.now,
        })
      )
        done.alerts++;
    }
    await Outbox.updateOne({ _id: row._id, status: "dead", alertedAt: null }, { $set: { alertedAt: o.now } });
    done.rows.push(row._id);
  }
  return done;
}

async function deadAlertPayload(
  row: {
    platform: string;
    chatId: number;
    kind: string;
    payload?: unknown;
    lastError?: string | null;
    attempts?: number | null;
  },
  managers: ChatRef | null,
): Promise<DeadAlertPayload> {
  const platform = row.platform as Platform;
  const chat = await chatKind(platform, row.chatId, managers);
  const reportId = (row.payload as { reportId?: unknown } | undefined)?.reportId;
  const report =
    typeof reportId === "string" && Types.ObjectId.isValid(reportId)
      ? await Report.findById(reportId, { code: 1 }).lean()
      : null;
  return {
    kind: row.kind,
    platform,
    chat,
    chatId: chat === "staff" ? String(row.chatId) : "",
    code: report?.code ?? "",
    error: row.lastError ?? "",
    attempts: row.attempts ?? 0,
  };
}

async function chatKind(platform: Platform, chatId: number, managers: ChatRef | null): Promise<DeadChat> {
  if (managers && managers.platform === platform && managers.chatId === chatId) return "managers";
  // Citizens talk to the bot in private only: a group is a staff chat.
  if (chatId < 0) return "staff";
  return (await Staff.exists({ platform, userId: chatId })) ? "staff_member" : "citizen";
}
