import type { Context, NextFunction } from "grammy";
import type { AppDeps } from "../app.ts";
import { markUpdateProcessed, wasUpdateProcessed } from "../../models/processed-update.ts";

/**
 * Handles each update once: the same update delivered again (a webhook retry after a slow answer,
 * a long-poll batch re-fetched after a crash) is skipped quietly.
 *
 * The update is marked *after* it was handled, not before: a process killed mid-update (kill -9
 * after the reply went out but before the conversation state was saved) must see the redelivery
 * again, or the citizen's step would be lost. A duplicate that arrives while the first copy is still
 * being handled waits behind it (sequentialize, same chat) and then finds the mark. Left open: two
 * instances handling the same update at the very same moment; what matters there (report
 * submission, staff actions) is idempotent on its own.
 *
 * Failure policy: if the guard cannot read or write (MongoDB unreachable), the update proceeds
 * unguarded rather than being dropped; the handlers below hit the same outage and the error
 * boundary tells the person to try again.
 */
export function dedupeUpdate(app: AppDeps) {
  return async (ctx: Context, next: NextFunction): Promise<void> => {
    const updateId = ctx.update.update_id;
    let seen = false;
    try {
      seen = await wasUpdateProcessed(app.platform, updateId);
    } catch (err) {
      app.logger.warn({ err, updateId }, "update dedupe guard unavailable; handling the update anyway");
    }
    if (seen) {
      app.logger.debug({ updateId }, "duplicate update skipped");
      return;
    }
    await next();
    try {
      await markUpdateProcessed(app.platform, updateId, app.now());
    } catch (err) {
      app.logger.warn({ err, updateId }, "could not record the update as handled");
    }
  };
}
