import type { Api } from "grammy";
import type { AppDeps } from "../../../core/app.ts";
import { downloadFile, FileTooLargeError } from "../../../core/file-download.ts";
import { isDbUnavailable } from "../../../core/db-errors.ts";
import { DomainError } from "../../../models/common/errors.ts";
import { deletePhoto, storePhoto } from "../../../models/report/photos.ts";
import { UnreadablePhotoError } from "../../../models/report/photo-clean.ts";
import { findReportById } from "../../../models/report/report-queries.ts";
import { idOf, type Id } from "../../../models/common/object-id.ts";
import { findActiveStaff, inScope } from "../../../models/people/staff.ts";
import { formatCode } from "../../../models/report/tracking-code.ts";
import { findVisit, recordVisit, type SiteCheck } from "../../../models/report/visit.ts";
import type { Locale } from "../../../models/common/platform.ts";
import { visitPlaceVars } from "../../../views/visit-lines.ts";
import type { SharedLocation, SitePhoto } from "./proof.ts";

export interface VisitToSave {
  reportId: string;
  /** Fixed before saving (hex ObjectId): a replayed save finds the visit instead of recording it twice. */
  visitId: string;
  userId: number;
  loc: SharedLocation;
  site: SiteCheck;
  reason: string;
  photos: SitePhoto[];
  note: string;
  tellCitizen: boolean;
  locale: Locale;
}

export interface SaveOutcome {
  key: string;
  vars?: Record<string, string | number>;
}

/**
 * Rights are checked again (they may have changed during the visit), the photos copied to GridFS,
 * the visit recorded and the card redrawn. Photos of a visit that could not be recorded are removed.
 */
export async function saveVisit(deps: { app: AppDeps; api: Api }, v: VisitToSave): Promise<SaveOutcome> {
  const { app } = deps;
  const stored: Id[] = [];
  try {
    const member = await findActiveStaff(app.platform, v.userId);
    const report = await findReportById(v.reportId);
    if (!report) return { key: "staff-case-not-found" };
    if (!member) return { key: "staff-only" };
    if (!inScope(member, { regionKey: report.regionKey ?? "", department: report.department }))
      return { key: "staff-out-of-scope" };
    const visitId = idOf(v.visitId);
    const saved = findVisit(report, visitId);
    if (saved) return recorded(v, report.code, saved.photos.length);
    for (const [i, p] of v.photos.entries()) {
      const bytes = await downloadFile(
        { api: deps.api, fetch: app.fetch, apiRoot: app.apiRoot, token: app.token },
        p.fileId,
        app.config.PHOTO_MAX_BYTES,
      );
      stored.push(
        await storePhoto(bytes, {
          filename: `${report.code}-visit-${i + 1}.jpg`,
          source: { platform: app.platform, fileUniqueId: p.fileUniqueId },
        }),
      );
    }
    const now = app.now();
    const updated = await recordVisit(
      report._id,
      member,
      {
        lat: v.loc.lat,
        lon: v.loc.lon,
        live: v.loc.live,
        locationAt: new Date(v.loc.at),
        site: v.site,
        photos: stored,
        note: v.note,
        offSiteReason: v.reason,
        tellCitizen: v.tellCitizen,
        visitId,
      },
      now,
    );
    // Recorded: from here on nothing may delete its photos or tell the official it failed.
    stored.length = 0;
    app.wakeOutbox(); // the card redraw was queued with the visit
    return recorded(v, updated.code, findVisit(updated, visitId)?.photos.length ?? v.photos.length);
  } catch (err) {
    await Promise.all(stored.map((id) => deletePhoto(id).catch(() => undefined)));
    if (err instanceof DomainError)
      return { key: err.reason === "bad_transition" ? "visit-case-closed" : "staff-conflict" };
    if (err instanceof FileTooLargeError) return { key: "visit-photo-too-large" };
    if (err instanceof UnreadablePhotoError) {
      app.logger.info(
        { reason: err.reason, reportId: v.reportId },
        "visit not recorded: a photo is no readable picture",
      );
      return { key: "visit-photo-unreadable" };
    }
    app.logger.error({ err, reportId: v.reportId }, "visit could not be recorded");
    return { key: isDbUnavailable(err) ? "error-db-unavailable" : "visit-save-failed" };
  }
}

function recorded(v: VisitToSave, code: string, photos: number): SaveOutcome {
  return {
    key: "visit-recorded",
    vars: {
      code: formatCode(code),
      ...visitPlaceVars({ ...v.site, live: v.loc.live }),
      photos,
      told: v.tellCitizen ? "yes" : "no",
    },
  };
}
