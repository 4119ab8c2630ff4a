import type { AppDeps } from "../../core/app.ts";
import { downloadFile, type DownloadDeps } from "../../core/file-download.ts";
import { isDbUnavailable } from "../../core/db-errors.ts";
import { countReportsSince, fileReport, type SubmitPhoto } from "../../models/report/report-submit.ts";
import { deletePhoto, storePhoto } from "../../models/report/photos.ts";
import type { Id } from "../../models/common/object-id.ts";
import type { Locale } from "../../models/common/platform.ts";
import type { Draft } from "./draft.ts";

export type SubmitOutcome =
  | { ok: true; code: string; created: boolean }
  | { ok: false; reason: "rate_limited" | "photo" | "unavailable" | "error" };

type Refusal = "rate_limited" | "photo";

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
 * form where it was (the citizen taps Submit again) instead of ending the conversation. The
 * submission key and the category are checked by `fileReport`; this adds the messenger's part
 * (the daily limit, copying the photos, routing) for a key it has not seen.
 */
export async function submitDraft(
  app: AppDeps,
  download: DownloadDeps,
  formKey: string,
  draft: Draft,
  who: Submitter,
): Promise<SubmitOutcome> {
  const stored: Id[] = [];
  try {
    const now = app.now();
    const { categoryKey, description, location, address, venueTitle } = draft;
    const citizen = {
      userId: who.userId,
      chatId: who.chatId,
      name: who.name,
      username: who.username,
      phone: draft.phone,
      locale: who.locale,
    };
    const filed = await fileReport<Refusal>(
      {
        submissionKey: formKey,
        platform: app.platform,
        citizen,
        categoryKey,
        description,
        location,
        address,
        venueTitle,
        now,
      },
      {
        async prepare() {
          const recent = await countReportsSince(app.platform, who.userId, new Date(now.getTime() - DAY));
          if (recent >= app.config.REPORTS_PER_DAY) return { refused: "rate_limited" };
          const photos: SubmitPhoto[] = [];
          for (const p of draft.photos) {
            let bytes: Uint8Array;
            try {
              bytes = await downloadFile(download, p.fileId, app.config.PHOTO_MAX_BYTES);
            } catch (err) {
              app.logger.warn({ err, fileId: p.fileId }, "photo download failed");
              await Promise.allSettled(stored.map((id) => deletePhoto(id)));
              return { refused: "photo" };
            }
            const gridfsId = await storePhoto(bytes, {
              filename: `${formKey}-${photos.length + 1}`,
              contentType: p.mime,
              source: { platform: app.platform, fileUniqueId: p.fileUniqueId },
            });
            stored.push(gridfsId);
            photos.push({ ...p, size: bytes.byteLength, gridfsId });
          }
          return { photos };
        },
        route: (department) => app.router.route(draft.location, department),
      },
    );
    if ("refused" in filed) return { ok: false, reason: filed.refused };
    return { ok: true, code: filed.report.code, created: filed.created };
  } catch (err) {
    await Promise.allSettled(stored.map((id) => deletePhoto(id)));
    app.logger.error({ err, formKey }, "report submission failed");
    return { ok: false, reason: isDbUnavailable(err) ? "unavailable" : "error" };
  }
}
