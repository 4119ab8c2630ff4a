import type { AppDeps } from "../../core/app.ts";
import { downloadFile, type DownloadDeps } from "../../core/file-download.ts";
import { isDbUnavailable } from "../../core/db-errors.ts";
import { countReportsSince, fileReport, type SubmitPhoto } from "../../models/report/report-submit.ts";
import { deletePhoto, storeCleanPhoto, type StoredPhoto } from "../../models/report/photos.ts";
import { UnreadablePhotoError } from "../../models/report/photo-clean.ts";
import type { Id } from "../../models/common/object-id.ts";
import type { Locale } from "../../models/common/platform.ts";
import type { Draft } from "./draft.ts";
import { linkFromChat } from "../link-reports.ts";

export type SubmitOutcome =
  /** `linked`: reports the call centre had filed for the citizen's (own) phone number, linked to them now. */
  | { ok: true; code: string; created: boolean; linked: number }
  | { ok: false; reason: "rate_limited" | "photo" | "photo_unreadable" | "unavailable" | "error" };

/** `photo`: a photo could not be downloaded; `photo_unreadable`: one is no picture (photo-clean.ts). */
type Refusal = "rate_limited" | "photo" | "photo_unreadable";

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
 * (the daily limit, copying the photos, routing).
 */
export async function submitDraft(
  app: AppDeps,
  download: DownloadDeps,
  formKey: string,
  draft: Draft,
  who: Submitter,
  opts: { recountLimit: boolean } = { recountLimit: true },
): Promise<SubmitOutcome> {
  const stored: Id[] = [];
  // The copies this call made, when the report will not hold them (a refusal, a repeat, a failure).
  const dropStored = () => Promise.allSettled(stored.map((id) => deletePhoto(id)));
  try {
    const now = app.now();
    const { categoryKey, description, location, address, venueTitle, attributes } = draft;
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
        ...(attributes ? { attributes } : {}),
        now,
      },
      {
        async prepare() {
          // Counted when the form started (handlers/citizen/new-report.ts). Only this chat's one form
          // files for this citizen, so with room for two the count is still under the limit; on the
          // last place, a report that arrived meanwhile another way (a linked one) would be one too many.
          if (opts.recountLimit) {
            const recent = await countReportsSince(app.platform, who.userId, new Date(now.getTime() - DAY));
            if (recent >= app.config.REPORTS_PER_DAY) return { refused: "rate_limited" };
          }
          const photos: SubmitPhoto[] = [];
          for (const p of draft.photos) {
            let bytes: Uint8Array;
            try {
              bytes = await downloadFile(download, p.fileId, app.config.PHOTO_MAX_BYTES);
            } catch (err) {
              app.logger.warn({ err, fileId: p.fileId }, "photo download failed");
              await dropStored();
              return { refused: "photo" };
            }
            let s: StoredPhoto;
            try {
              s = await storeCleanPhoto(bytes, {
                filename: `${formKey}-${photos.length + 1}`,
                source: { platform: app.platform, fileUniqueId: p.fileUniqueId },
              });
            } catch (err) {
              if (!(err instanceof UnreadablePhotoError)) throw err;
              // A compressed photo is not checked at the photo step (no download there): said now, the form kept.
              app.logger.info({ reason: err.reason, fileId: p.fileId }, "report photo refused: not a readable picture");
              await dropStored();
              return { refused: "photo_unreadable" };
            }
            stored.push(s.id);
            // The report describes what GridFS holds: the cleaned JPEG's type and size.
            photos.push({ ...p, mime: s.contentType, size: s.size, gridfsId: s.id });
          }
          return { photos };
        },
        route: (department) => app.router.route(draft.location, department),
      },
    );
    if ("refused" in filed) return { ok: false, reason: filed.refused };
    // Filed before under this key (a retry after a crash): the report keeps its own copies, these go.
    if (!filed.created) await dropStored();
    // The staff card and its photos are queued with the report: sent now, not at the dispatcher's next idle poll.
    if (filed.created) app.wakeOutbox();
    // Here rather than in fileReport (shared with Open311, which has no chat to link to): the form's
    // phone is the sender's own (steps/contact.ts). After filing, and its failure only logged: the
    // report is in either way. Inside the form's external call, so a replay reuses the answer.
    const linked = draft.phone
      ? await linkFromChat(app, draft.phone, {
          userId: who.userId,
          chatId: who.chatId,
          locale: who.locale,
          firstName: who.name,
        })
      : null;
    return { ok: true, code: filed.report.code, created: filed.created, linked: linked?.linked.length ?? 0 };
  } catch (err) {
    await dropStored();
    app.logger.error({ err, formKey }, "report submission failed");
    return { ok: false, reason: isDbUnavailable(err) ? "unavailable" : "error" };
  }
}
