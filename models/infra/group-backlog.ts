import { Outbox } from "./outbox.ts";
import { insertUnlessDuplicate } from "./insert-once.ts";
import { GROUP_DIGEST_KIND, type OutboxKind } from "./outbox-kinds.ts";
import { Report } from "../report/report.ts";
import { parseId } from "../common/object-id.ts";
import type { Locale, Platform } from "../common/platform.ts";

/**
 * A staff group that is behind (README "Scale"): its queue would take longer than
 * GROUP_BACKLOG_SECONDS to drain at its message budget. Then a new case's alert (photos, card and
 * pin in one row, with every later row about that case: redraws, notes) is deferred (status `deferred`,
 * never claimed), the group gets one "📥 N new cases" digest per interval listing the cases it has
 * not seen yet, and the deferred cases are released one at a time, oldest first, whenever the group's
 * queue is empty: their full cards follow as the budget allows, each case's rows in their order.
 * Nothing is dropped. The dispatcher (bot/outbox/dispatcher.ts) decides when; these are its writes.
 */

/** A new case's alert row (models/report/report-submit.ts staffCardRows), and the photos and pin rows an earlier version queued beside it. */
export const NEW_CASE_KINDS = ["staff_photos", "staff_card", "staff_location"] as const satisfies readonly OutboxKind[];

/** Cases one digest lists at most (one button each; a message holds 100 buttons, a reader fewer). */
export const DIGEST_MAX_CASES = 30;

export interface GroupChat {
  platform: Platform;
  chatId: number;
}

const inChat = (g: GroupChat) => ({ platform: g.platform, chatId: g.chatId });

/** Rows the group still has to be sent, not counting deferred ones (a digest queued counts). */
export async function groupQueueLength(g: GroupChat): Promise<number> {
  return Outbox.countDocuments({ ...inChat(g), status: { $in: ["pending", "sending"] } });
}

/** Whether the group has deferred rows: it is compacted until they are all released. */
export async function hasDeferred(g: GroupChat): Promise<boolean> {
  return (await Outbox.exists({ ...inChat(g), status: "deferred" })) !== null;
}

/** Groups with deferred rows (after a restart the dispatcher picks their compaction up again). */
export async function deferredGroups(): Promise<GroupChat[]> {
  const rows = await Outbox.aggregate<{ _id: { platform: Platform; chatId: number } }>([
    { $match: { status: "deferred" } },
    { $group: { _id: { platform: "$platform", chatId: "$chatId" } } },
  ]);
  return rows.map((r) => ({ platform: r._id.platform, chatId: r._id.chatId }));
}

/**
 * Defers the new cases waiting in the group (rows never deferred before: a released case is not
 * held back again) and every waiting row about a case already deferred, e.g. a redraw queued since.
 * Returns the rows deferred.
 */
export async function deferNewCases(g: GroupChat, now: Date): Promise<number> {
  const fresh = await Outbox.distinct("payload.reportId", {
    ...inChat(g),
    status: "pending",
    kind: { $in: NEW_CASE_KINDS },
    deferredAt: null,
    // An alert whose card went out (its pin waits out a 429): the group has seen that case.
    "payload.sent": { $ne: "card" },
  });
  const held = await Outbox.distinct("payload.reportId", { ...inChat(g), status: "deferred" });
  const ids = [...new Set([...fresh, ...held].map(String))];
  if (ids.length === 0) return 0;
  const res = await Outbox.updateMany(
    { ...inChat(g), status: "pending", deferredAt: null, "payload.reportId": { $in: ids } },
    { $set: { status: "deferred", deferredAt: now } },
  );
  return res.modifiedCount;
}

/**
 * Queues one digest listing the deferred cases the group has not been shown, oldest first (at most
 * DIGEST_MAX_CASES; the rest go in the next one). Its id is the group's interval slot, so two
 * dispatchers queue one per slot; it speaks the cards' language. It goes first in the group's queue: its createdAt is just before the
 * group's oldest waiting row, and it is due when that row is. False when there was nothing to list.
 */
export async function queueDigest(g: GroupChat, now: Date, intervalMs: number): Promise<boolean> {
  const cards = await Outbox.find(
    { ...inChat(g), status: "deferred", kind: "staff_card", digestedAt: null },
    { _id: 1, payload: 1, locale: 1 },
  )
    .sort({ createdAt: 1, _id: 1 })
    .limit(DIGEST_MAX_CASES)
    .lean();
  if (cards.length === 0) return false;
  const first = await Outbox.findOne({ ...inChat(g), status: { $in: ["pending", "sending"] } }, { createdAt: 1 })
    .sort({ createdAt: 1, _id: 1 })
    .lean();
  const latest = await Outbox.findOne({ ...inChat(g), status: "pending" }, { nextAttemptAt: 1 })
    .sort({ nextAttemptAt: -1 })
    .lean();
  const createdAt = first && first.createdAt <= now ? new Date(first.createdAt.getTime() - 1) : now;
  const due = latest && latest.nextAttemptAt > now ? latest.nextAttemptAt : now;
  const reportIds = cards.map((c) => String((c.payload as { reportId?: unknown }).reportId ?? ""));
  const queued = await insertUnlessDuplicate(() =>
    Outbox.create({
      _id: `digest:${g.platform}:${g.chatId}:${Math.floor(now.getTime() / intervalMs)}`,
      ...inChat(g),
      kind: GROUP_DIGEST_KIND,
      // The cards' language (they speak the desk's).
      locale: (cards[0]!.locale === "en" ? "en" : "fa") satisfies Locale,
      payload: { reportIds },
      status: "pending",
      nextAttemptAt: due,
      createdAt,
    }),
  );
  if (!queued) return false;
  await Outbox.updateMany({ _id: { $in: cards.map((c) => c._id) } }, { $set: { digestedAt: now } });
  return true;
}

/**
 * Releases the oldest deferred case of the group, once nothing else of the group waits: its rows go back to pending in their own order, due now. Returns its report id, or
 * null (the group still busy, or nothing deferred).
 */
export async function releaseNextCase(g: GroupChat, now: Date): Promise<string | null> {
  // A digest waiting counts too: it goes first, and the released rows (older) would overtake it.
  const busy = await Outbox.exists({ ...inChat(g), status: { $in: ["pending", "sending"] } });
  if (busy) return null;
  const next = await Outbox.findOne({ ...inChat(g), status: "deferred" }, { payload: 1 })
    .sort({ createdAt: 1, _id: 1 })
    .lean();
  if (!next) return null;
  const reportId = String((next.payload as { reportId?: unknown }).reportId ?? "");
  await releaseRows({ ...inChat(g), "payload.reportId": reportId }, now);
  return reportId;
}

/**
 * Releases one case's deferred rows now ("📋 <code>" under a digest): its full card is posted next
 * in its group. False when nothing of that case was deferred (its card is posted or on its way).
 */
export async function releaseCase(reportId: string, now: Date): Promise<boolean> {
  return (await releaseRows({ "payload.reportId": reportId }, now)) > 0;
}

async function releaseRows(filter: Record<string, unknown>, now: Date): Promise<number> {
  const res = await Outbox.updateMany(
    { ...filter, status: "deferred" },
    { $set: { status: "pending", nextAttemptAt: now } },
  );
  return res.modifiedCount;
}

/** What a digest line says about one case. */
export interface DigestCase {
  id: string;
  code: string;
  categoryKey: string;
  place: string;
  createdAt: Date;
}

/** The digest's cases as they are now, in the digest's order; a case deleted meanwhile is left out. */
export async function digestCases(reportIds: readonly string[]): Promise<DigestCase[]> {
  const ids = reportIds.map((id) => parseId(id)).filter((id) => id !== null);
  const reports = await Report.find(
    { _id: { $in: ids } },
    { code: 1, categoryKey: 1, address: 1, venueTitle: 1, createdAt: 1 },
  ).lean();
  const byId = new Map(reports.map((r) => [r._id.toHexString(), r]));
  return reportIds.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id,
        code: r.code,
        categoryKey: r.categoryKey,
        place: r.venueTitle || r.address || "",
        createdAt: r.createdAt,
      },
    ];
  });
}
