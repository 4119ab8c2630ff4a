import type { Types } from "mongoose";
import type { AppDeps } from "../../core/app.ts";
import { downloadFile, type DownloadDeps } from "../../core/file-download.ts";
import { isDbUnavailable } from "../../core/db-errors.ts";
import { Report } from "../../models/report.ts";
import { findCategory } from "../../models/category.ts";
import { countReportsSince, submitReport } from "../../models/report-submit.ts";
import { deletePhoto, storePhoto } from "../../models/photos.ts";
import type { Locale } from "../../models/platform.ts";
import type { Draft } from "./draft.ts";

export type SubmitOutcome =
  | { ok: true; code: string; created: boolean }
  | { ok: false; reason: "rate_limited" | "photo" | "unavailable" | "error" };

export interface Submitter {
  userId: number;
  chatId: number;
  name: string;
  username: string;
  locale: Locale;
}

const DAY = 86_400_000;

/**
 * Runs inside `conversation.external`: returns plain JSON and never throws, so a failure leaves the
 * form where it was (the citizen taps Submit again) instead of ending the conversation.
 */
export async function submitDraft(app: AppDeps, download: DownloadDeps, formKey: string, draft: Draft, who: Submitter): Promise<SubmitOutcome> {
  const stored: Types.ObjectId[] = [];
  try {
    const existing = await Report.findOne({ submissionKey: formKey }, { code: 1 }).lean();
    if (existing) return { ok: true, code: existing.code, created: false };
    const now = app.now();
    const recent = await countReportsSince(app.platform, who.userId, new Date(now.getTime() - DAY));
    if (recent >= app.config.REPORTS_PER_DAY) return { ok: false, reason: "rate_limited" };

    const photos = [];
    for (const p of draft.photos) {
      let bytes: Uint8Array;
      try {
        bytes = await downloadFile(download, p.fileId, app.config.PHOTO_MAX_BYTES);
      } catch (err) {
        app.logger.warn({ err, fileId: p.fileId }, "photo download failed");
        await Promise.allSettled(stored.map((id) => deletePhoto(id)));
        return { ok: false, reason: "photo" };
      }
      const gridfsId = await storePhoto(bytes, {
        filename: `${formKey}-${photos.length + 1}`,
        contentType: p.mime,
        source: { platform: app.platform, fileUniqueId: p.fileUniqueId },
      });
      stored.push(gridfsId);
      photos.push({ ...p, size: bytes.byteLength, gridfsId });
    }

    const category = await findCategory(draft.categoryKey);
    const route = await app.router.route(draft.location, category?.department ?? "");
    const { report, created } = await submitReport({
      submissionKey: formKey,
      platform: app.platform,
      citizen: { userId: who.userId, chatId: who.chatId, name: who.name, username: who.username, phone: draft.phone, locale: who.locale },
      categoryKey: draft.categoryKey,
      description: draft.description,
      location: draft.location,
      address: draft.address,
      venueTitle: draft.venueTitle,
      photos,
      route,
      now,
    });
    return { ok: true, code: report.code, created };
  } catch (err) {
    await Promise.allSettled(stored.map((id) => deletePhoto(id)));
    app.logger.error({ err, formKey }, "report submission failed");
    return { ok: false, reason: isDbUnavailable(err) ? "unavailable" : "error" };
  }
}
