import type { Types } from "mongoose";
import { Report, type ReportDoc } from "./report.ts";
import { updateCase } from "./report-transition.ts";
import { DomainError } from "../common/errors.ts";

const HOUR = 3_600_000;

/** A "was it fixed?" the reporter has not answered after `afterHours`, and was never reminded of. */
function unansweredFilter(now: Date, afterHours: number) {
  return {
    status: "resolved" as const,
    "feedback.askedAt": { $lte: new Date(now.getTime() - afterHours * HOUR) },
    "feedback.answeredAt": null,
    "feedback.remindedAt": null,
    // Chat 0: filed without a messenger (Open311) or erased; nobody to remind.
    "citizen.chatId": { $ne: 0 },
  };
}

/** Index-backed by {feedback.askedAt, feedback.answeredAt}. */
export async function feedbackToRemind(
  now: Date,
  afterHours: number,
): Promise<Pick<ReportDoc, "_id" | "code" | "platform" | "citizen">[]> {
  return Report.find(unansweredFilter(now, afterHours), { code: 1, platform: 1, citizen: 1 })
    .sort({ "feedback.askedAt": 1 })
    .lean();
}

/**
 * The one reminder to the reporter, with the same answer buttons. Conditional on `remindedAt`
 * still being empty, so there is never a second one; false if it was sent or answered meanwhile.
 */
export async function remindFeedback(id: Types.ObjectId, now: Date, afterHours: number): Promise<boolean> {
  try {
    await updateCase(id, {
      kind: "reminder",
      actor: { kind: "system" },
      facts: { reason: "feedback" },
      public: false,
      where: unansweredFilter(now, afterHours),
      set: { "feedback.remindedAt": now },
      notices: [{ to: "reporter", kind: "feedback_reminder", payload: {} }],
      now,
    });
    return true;
  } catch (err) {
    if (err instanceof DomainError && (err.reason === "conflict" || err.reason === "not_found")) return false;
    throw err;
  }
}
