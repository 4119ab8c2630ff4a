import { Types } from "mongoose";
import { Report, type ReportDoc } from "./report.ts";
import { canTransition, type ReportStatus } from "./report-status.ts";
import { relayReportOutbox } from "./outbox-relay.ts";
import { DomainError } from "./errors.ts";
import type { Platform } from "./platform.ts";
import { Citizen } from "./citizen.ts";

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

/**
 * The one way a report changes status: validates the transition, appends history and queues the
 * citizen's (and followers') notification in the same single-document write. The write is
 * conditional on the status read, so two officials pressing at once cannot both win.
 */
export async function changeStatus(
  reportId: Types.ObjectId | string,
  to: ReportStatus,
  actor: Actor,
  note = "",
  opts: ChangeOptions = {},
): Promise<ReportDoc> {
  const now = opts.now ?? new Date();
  const isPublic = opts.public ?? true;
  const report = await Report.findById(reportId).lean<ReportDoc>();
  if (!report) throw new DomainError("not_found", `report ${String(reportId)} not found`);
  const from = report.status as ReportStatus;
  if (!canTransition(from, to)) throw new DomainError("bad_transition", `cannot move ${report.code} from ${from} to ${to}`);

  const entryId = new Types.ObjectId();
  const entry = {
    _id: entryId,
    at: now,
    by: { kind: actor.kind, platform: actor.platform ?? "", id: actor.id ?? 0, name: actor.name ?? "" },
    from,
    to,
    note,
    public: isPublic,
  };
  const payload = { code: report.code, from, to, note: isPublic ? note : "" };
  const recipients = [
    { platform: report.platform, chatId: report.citizen.chatId, locale: report.citizen.locale },
    ...report.followers.map((f) => ({ platform: f.platform, chatId: f.chatId, locale: f.locale })),
  ];
  const locales = await currentLocales(recipients);
  const rows = recipients.map((r) => ({
    _id: `${report._id.toHexString()}:${entryId.toHexString()}:${r.platform}:${r.chatId}`,
    platform: r.platform,
    chatId: r.chatId,
    kind: "status_changed",
    locale: locales.get(`${r.platform}:${r.chatId}`) || r.locale,
    payload,
    createdAt: now,
  }));

  const res = await Report.updateOne(
    { _id: report._id, status: from },
    { $set: { status: to, updatedAt: now }, $push: { history: entry, pendingOutbox: { $each: rows } } },
    { timestamps: false },
  );
  if (res.matchedCount === 0) throw new DomainError("conflict", `report ${report.code} changed meanwhile`);
  await relayReportOutbox(report._id);
  const updated = await Report.findById(report._id).lean<ReportDoc>();
  if (!updated) throw new DomainError("not_found", `report ${report.code} vanished`);
  return updated;
}

/** The language each recipient chose since (with /language), by platform:chatId. */
async function currentLocales(recipients: { platform: Platform; chatId: number }[]): Promise<Map<string, string>> {
  const citizens = await Citizen.find({ $or: recipients.map((r) => ({ platform: r.platform, chatId: r.chatId })) }, { platform: 1, chatId: 1, locale: 1 }).lean();
  return new Map(citizens.filter((c) => c.locale).map((c) => [`${c.platform}:${c.chatId}`, c.locale]));
}
