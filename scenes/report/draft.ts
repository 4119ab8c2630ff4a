import type { FormPhoto, ReportForm } from "../../models/report/report-submit.ts";

/** A photo the citizen sent: the messenger's file, copied to storage only on submit. */
export type DraftPhoto = FormPhoto;

/**
 * What the citizen has answered so far: the report's own answers (the shape a report is filed
 * from), its photos and the phone. Plain JSON: it lives in the conversation's replay state.
 */
export interface Draft extends ReportForm {
  photos: DraftPhoto[];
  phone: string;
}

/**
 * A form started from a message the citizen sent outside it ("file a new report with this"): its
 * text becomes the description and its photo the first photo, and those steps are not asked.
 */
export interface Prefill {
  description: string;
  photo: DraftPhoto | null;
}

export const MAX_PHOTOS = 3;
export const DESCRIPTION_MIN = 10;
export const DESCRIPTION_MAX = 1000;
export const ADDRESS_MIN = 5;
export const ADDRESS_MAX = 300;

/** "attributes": the category's extra questions, asked only when it has some. */
export type Step = "category" | "description" | "attributes" | "location" | "photos" | "contact";
export const EDITABLE_STEPS: readonly Step[] = [
  "category",
  "description",
  "attributes",
  "location",
  "photos",
  "contact",
];

export function emptyDraft(): Draft {
  return { categoryKey: "", description: "", location: null, address: "", venueTitle: "", photos: [], phone: "" };
}
