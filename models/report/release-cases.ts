import { Report, type ReportDoc } from "./report.ts";
import { OPEN_STATUSES } from "./report-status.ts";
import { updateCase, type Actor } from "./report-transition.ts";
import { DomainError } from "../common/errors.ts";
import type { Platform } from "../common/platform.ts";

/**
 * When an official leaves the staff, their open cases must not wait for someone who will never
 * act: each goes back to the queue (assignee cleared, an internal history line naming them), so
 * reminders, /open and the card show it as nobody's. The status stays: the work done so far is
 * still true. Returns the released cases (for the bot to redraw their cards).
 */
export async function releaseCasesOf(
  who: { platform: Platform; userId: number; name: string },
  by: Actor,
  now: Date,
): Promise<ReportDoc[]> {
  const mine = { "assignee.platform": who.platform, "assignee.userId": who.userId };
  const open = await Report.find({ status: { $in: OPEN_STATUSES }, ...mine }, { _id: 1 }).lean();
  const released: ReportDoc[] = [];
  for (const r of open) {
    try {
      released.push(
        await updateCase(r._id, {
          kind: "unassign",
          actor: by,
          note: who.name,
          public: false,
          set: { assignee: null },
          where: mine,
          now,
        }),
      );
    } catch (err) {
      // Reassigned or closed meanwhile: no longer theirs to release.
      if (!(err instanceof DomainError && err.reason === "conflict")) throw err;
    }
  }
  return released;
}
