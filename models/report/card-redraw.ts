import { Types } from "mongoose";
import { Report, type ReportDoc } from "./report.ts";
import { Outbox, waitingLikeRow } from "../infra/outbox.ts";
import { queueJobMessage } from "../infra/job-outbox.ts";
import { CARD_REDRAW_KIND } from "../infra/outbox-kinds.ts";
import { staffCardRowId } from "./report-submit.ts";
import type { Platform } from "../common/platform.ts";
import type { ChatRef } from "../geography/routing.ts";

/** What queueCardRedraw did. */
export type CardRedraw = "queued" | "coalesced" | "no_card";

/**
 * Queues a redraw of a case's staff card: a `staff_card_redraw` row in the card's chat, drawn from
 * the report as it is when the row is sent (bot/outbox/renderers/card-redraw.ts). Through the
 * outbox, the edit keeps the chat's order (never ahead of the card's own post), is retried, and
 * waits out a 429 like any message to that chat.
 *
 * Coalesced: while a redraw of this card is still waiting (pending, also when back from a 429 or a
 * failed attempt), another is "coalesced" into it, since the waiting row reads the report when it
 * is sent, after this change was written. That check is a read; two writers that both find none
 * race on the insert, and the unique `coalesceKey` lets one row in. A row being sent gives its key
 * up when claimed (models/infra/outbox.ts claimNextRow): it may have read the report already, so a
 * change made now queues a new row behind it.
 *
 * For redraws without a change of the case (a stale view, a new supporter); a change queues its
 * own in its write (`cardRedrawRow` below). A card not posted yet needs no redraw while its post
 * is still pending (the post draws the case as it is then); while the post is being sent it may
 * have read the case before, so the redraw queues behind it in the same chat.
 */
export async function queueCardRedraw(reportId: Types.ObjectId, now: Date): Promise<CardRedraw> {
  const hex = reportId.toHexString();
  const report = await Report.findById(reportId, { code: 1, card: 1 }).lean();
  if (!report) return "no_card";
  const chat = report.card?.messageId ? cardRef(report.card) : await postBeingSent(hex);
  if (!chat) return "no_card";
  if (await waitingLikeRow({ ...chat, kind: CARD_REDRAW_KIND, payload: { reportId: hex } })) return "coalesced";
  const queued = await queueJobMessage({
    // Unique per redraw (the coalescing is the key's: a sent row keeps its id).
    id: `${hex}:redraw:${unique()}`,
    chat,
    kind: CARD_REDRAW_KIND,
    locale: CARD_ROW_LOCALE,
    payload: { reportId: hex, code: report.code, reason: "changed" },
    now,
    coalesceKey: coalesceKeyOf(hex),
  });
  return queued ? "queued" : "coalesced";
}

const unique = () => new Types.ObjectId().toHexString();
/** Cards speak the desk's language whatever the row says (views/case-card/redraw.ts drawCard). */
const CARD_ROW_LOCALE = "fa";

/**
 * The redraw row a case event queues in its own write (models/report/report-transition.ts
 * updateCase), so a crash right after the change cannot leave the card stale: relayed like the
 * event's notices, absorbed by a redraw already waiting (the unique coalesceKey), and placed right
 * before the event's own rows in the chat. A card not posted yet gets the row in the chat it will be
 * posted to, behind its post (the renderer then finds it drawn already, or draws what the post missed).
 */
export function cardRedrawRow(
  report: Pick<ReportDoc, "_id" | "code" | "card" | "staffChat">,
  entryId: Types.ObjectId,
  now: Date,
) {
  const chat = (report.card?.messageId ? cardRef(report.card) : null) ?? cardRef(report.staffChat ?? {});
  if (!chat) return null;
  const hex = report._id.toHexString();
  return {
    // "0-" sorts before the event's notice ids (`<report>:<entry>:<kind>:…`, kinds are lower-case words).
    _id: `${hex}:${entryId.toHexString()}:0-card-redraw`,
    platform: chat.platform,
    chatId: chat.chatId,
    kind: CARD_REDRAW_KIND,
    locale: CARD_ROW_LOCALE,
    payload: { reportId: hex, code: report.code, reason: "changed" },
    createdAt: now,
    coalesceKey: coalesceKeyOf(hex),
  };
}

const coalesceKeyOf = (hex: string) => `${CARD_REDRAW_KIND}:${hex}`;

function cardRef(c: { platform?: string | null; chatId?: number | null }): ChatRef | null {
  return c.platform && c.chatId ? { platform: c.platform as Platform, chatId: c.chatId } : null;
}

/** The chat a case's first card is being posted to right now (its alert row is being sent), else null. */
export async function postBeingSent(hex: string): Promise<ChatRef | null> {
  const post = await Outbox.findOne({ _id: staffCardRowId(hex), status: "sending" }, { platform: 1, chatId: 1 }).lean();
  return post ? cardRef(post) : null;
}
