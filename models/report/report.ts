import mongoose, { Schema, type InferSchemaType, type Types } from "mongoose";
import { STATUSES } from "./report-status.ts";
import { PLATFORMS } from "../common/platform.ts";
import { outboxMessageFields } from "../infra/outbox-message.ts";

const pointSchema = new Schema(
  {
    type: { type: String, enum: ["Point"], required: true },
    /** GeoJSON order: [longitude, latitude]. */
    coordinates: { type: [Number], required: true },
  },
  { _id: false },
);

const actorSchema = new Schema(
  {
    kind: { type: String, enum: ["citizen", "staff", "system"], required: true },
    platform: { type: String, enum: [...PLATFORMS, ""], default: "" },
    id: { type: Number, default: 0 },
    name: { type: String, default: "" },
  },
  { _id: false },
);

/**
 * `phone_viewed`: an official was given the reporter's whole phone number (internal, never shown to citizens).
 * `messenger_linked`: a report filed without a messenger (Open311) became the chat of the citizen who
 * shared that phone number (models/report/phone-link.ts; internal).
 */
export const HISTORY_KINDS = [
  "status",
  "assign",
  "note",
  "info_request",
  "citizen_reply",
  "feedback",
  "escalation",
  "reminder",
  "card",
  "visit",
  "unassign",
  "phone_viewed",
  "citizen_note",
  "messenger_linked",
] as const;

/** Why the managers were called in (models/report/sla.ts, case-actions "not fixed"). */
export const ESCALATION_REASONS = ["overdue", "reminders", "not_fixed"] as const;
/** What a reminder entry was about (models/report/feedback-reminder.ts). */
export const REMINDER_SUBJECTS = ["feedback"] as const;

/**
 * What a machine-made history entry records, as values: views/history.ts renders them in the
 * reader's language at display time, so no stored sentence is ever in the wrong language. `note`
 * stays for words a person typed (a resolution, a reason, a question, an answer).
 */
const historyFactsSchema = new Schema(
  {
    /** feedback (and the reopening it causes): the citizen's answer to "was it fixed?". */
    fixed: { type: Boolean, default: null },
    /** feedback: the citizen's stars, 1–5. */
    rating: { type: Number, default: null, min: 1, max: 5 },
    /** visit: metres from the official to the reported point (null: the report has no point). */
    distanceM: { type: Number, default: null },
    /** escalation: why (ESCALATION_REASONS); reminder: about what (REMINDER_SUBJECTS). */
    reason: { type: String, enum: [...ESCALATION_REASONS, ...REMINDER_SUBJECTS, ""], default: "" },
    /** duplicate: the tracking code of the original case (digits only). */
    duplicateOf: { type: String, default: "" },
  },
  { _id: false },
);

const historySchema = new Schema({
  at: { type: Date, required: true },
  /** A status change, or an event that leaves the status as it is (from === to). */
  kind: { type: String, enum: HISTORY_KINDS, default: "status" },
  by: { type: actorSchema, required: true },
  from: { type: String, default: "" },
  to: { type: String, required: true },
  /** Free text a person typed; machine-made values go in `facts`. */
  note: { type: String, default: "" },
  facts: { type: historyFactsSchema, default: null },
  public: { type: Boolean, default: true },
  /** The incoming event that made this entry (models/infra/event-key.ts): its replay finds it and writes nothing. */
  eventKey: { type: String, default: "" },
});

const photoSchema = new Schema(
  {
    /** The messenger's file id, valid only for the bot that received it. */
    fileId: { type: String, required: true },
    fileUniqueId: { type: String, default: "" },
    /** Copy in GridFS (bucket "photos"), so any platform, export or API can serve it. */
    gridfsId: { type: Schema.Types.ObjectId, default: null },
    mime: { type: String, default: "image/jpeg" },
    size: { type: Number, default: 0 },
  },
  { _id: false },
);

const followerSchema = new Schema(
  {
    platform: { type: String, enum: PLATFORMS, required: true },
    userId: { type: Number, required: true },
    chatId: { type: Number, required: true },
    locale: { type: String, default: "fa" },
  },
  { _id: false },
);

/**
 * Outbox rows written in the same document update as the change that caused them; a relay copies
 * them into the outbox collection and pulls them here. Without multi-document transactions this
 * is what makes "history entry + notification" one atomic write.
 */
const pendingOutboxSchema = new Schema(
  {
    ...outboxMessageFields,
    createdAt: { type: Date, required: true },
    /** Copied to the outbox row: a card redraw absorbed by one already waiting (models/report/card-redraw.ts). */
    coalesceKey: { type: String, default: undefined },
  },
  { _id: false },
);

/**
 * A field visit: an official proved they were at the site with a shared location and fresh
 * photos. Stored on the report so the visit, its history entry and the citizen's notice are one
 * write (models/report/visit.ts).
 */
const visitSchema = new Schema({
  at: { type: Date, required: true },
  by: {
    type: new Schema(
      {
        platform: { type: String, enum: PLATFORMS, required: true },
        userId: { type: Number, required: true },
        name: { type: String, default: "" },
      },
      { _id: false },
    ),
    required: true,
  },
  /** Where the official stood, GeoJSON [longitude, latitude]. */
  location: { type: pointSchema, required: true },
  /** A Telegram live location; false = a one-off (static) location, e.g. on Bale. */
  live: { type: Boolean, required: true },
  /** When the location was shared (the message date); photos must be within the time window of it. */
  locationAt: { type: Date, required: true },
  /** Metres to the reported point; null when the report has no coordinates to compare with. */
  distanceM: { type: Number, default: null },
  onSite: { type: Boolean, required: true },
  offSiteReason: { type: String, default: "" },
  /** GridFS ids (bucket "photos") of the site photos. */
  photos: { type: [Schema.Types.ObjectId], default: [] },
  /** Internal note, for staff only. */
  note: { type: String, default: "" },
  /** The citizen was told "an inspector visited the site". */
  public: { type: Boolean, default: false },
});

/** Personal data of the reporter: shown only to them and staff, anonymised by retention. */
const reporterSchema = new Schema(
  {
    userId: { type: Number, required: true },
    chatId: { type: Number, required: true },
    name: { type: String, default: "" },
    username: { type: String, default: "" },
    phone: { type: String, default: "" },
    locale: { type: String, default: "fa" },
  },
  { _id: false },
);

const reportSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    /** Idempotency key of the intake form: a repeated Confirm finds the report instead of making a second. */
    submissionKey: { type: String, required: true, unique: true },
    /**
     * The reporter's messenger; "" (NO_MESSENGER) = filed without one (Open311), citizen userId and
     * chatId 0 until they share the same phone in the bot. Not `required`: mongoose's required refuses "".
     */
    platform: { type: String, enum: [...PLATFORMS, ""], default: "" },
    citizen: { type: reporterSchema, required: true },
    categoryKey: { type: String, required: true },
    department: { type: String, required: true },
    description: { type: String, required: true, maxlength: 1000 },
    location: { type: pointSchema, default: undefined },
    address: { type: String, default: "" },
    venueTitle: { type: String, default: "" },
    hasCoordinates: { type: Boolean, required: true },
    /** Answers to the category's extra questions (models/geography/category.ts `attributes`), by code. */
    attributes: {
      type: [
        new Schema({ code: { type: String, required: true }, values: { type: [String], default: [] } }, { _id: false }),
      ],
      default: [],
    },
    /** Where the report came in: "chat" (the bot), else the Open311 API client's name. */
    source: { type: String, default: "chat" },
    photos: { type: [photoSchema], default: [] },
    status: { type: String, enum: STATUSES, default: "new" },
    history: { type: [historySchema], default: [] },
    followers: { type: [followerSchema], default: [] },
    staffChat: {
      type: new Schema(
        { platform: { type: String, default: "" }, chatId: { type: Number, default: 0 } },
        { _id: false },
      ),
      default: () => ({}),
    },
    firstResponseDueAt: { type: Date, required: true },
    resolveDueAt: { type: Date, required: true },
    pendingOutbox: { type: [pendingOutboxSchema], default: [] },

    // --- staff workflow ---
    /** Region found by point-in-polygon ("" = none: outside every region or no coordinates). */
    regionKey: { type: String, default: "" },
    needsLocationCheck: { type: Boolean, default: false },
    assignee: { type: new Schema({ platform: String, userId: Number, name: String }, { _id: false }), default: null },
    /** Raised when the citizen says "not fixed"; reminders and /open sort by it. */
    priority: { type: Number, default: 0 },
    escalationLevel: { type: Number, default: 0 },
    escalatedAt: { type: Date, default: null },
    reminders: {
      type: new Schema({ count: { type: Number, default: 0 }, lastAt: { type: Date, default: null } }, { _id: false }),
      default: () => ({}),
    },
    firstResponseAt: { type: Date, default: null },
    resolvedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    duplicateOf: { type: String, default: "" },
    afterPhotoId: { type: Schema.Types.ObjectId, default: null },
    // --- field visits ---
    visits: { type: [visitSchema], default: [] },
    firstVisitAt: { type: Date, default: null },
    /** The last "not fixed": a visit before it no longer allows Resolve. */
    reopenedAt: { type: Date, default: null },
    /** Set when retention (or a /forgetme request) blanked the reporter's personal data. */
    anonymizedAt: { type: Date, default: null },
    /**
     * Set when a /forgetme request erased the citizen's own words and photos too: description,
     * address, venue title and answers are then empty and renderers show "removed at the
     * citizen's request" (locale key report-erased) instead of a blank.
     */
    erasedAt: { type: Date, default: null },
    /** GridFS ids (bucket "photos") of the citizen's photo answers to "ask citizen": erasure deletes them. */
    replyPhotos: { type: [Schema.Types.ObjectId], default: [] },
    /** The case card in the staff chat, edited in place after every action. */
    card: {
      type: new Schema(
        {
          platform: { type: String, default: "" },
          chatId: { type: Number, default: 0 },
          messageId: { type: Number, default: 0 },
          superseded: { type: [Number], default: [] },
          /** The case state whose "needs an on-site visit" notice was posted under the card (posted once per state). */
          noticePosted: { type: String, default: "" },
        },
        { _id: false },
      ),
      default: () => ({}),
    },
    /** A question from staff waiting for the citizen's next message. */
    infoRequest: {
      type: new Schema({ question: String, askedAt: Date, askedBy: String }, { _id: false }),
      default: null,
    },
    /** The citizen's answer after resolution: fixed or not, and 1–5 stars. */
    feedback: {
      type: new Schema(
        {
          askedAt: { type: Date, default: null },
          remindedAt: { type: Date, default: null },
          fixed: { type: Boolean, default: null },
          rating: { type: Number, default: null, min: 1, max: 5 },
          answeredAt: { type: Date, default: null },
        },
        { _id: false },
      ),
      default: () => ({}),
    },
  },
  { timestamps: true },
);

reportSchema.index({ status: 1, resolveDueAt: 1 });
reportSchema.index({ status: 1, firstResponseDueAt: 1 });
reportSchema.index({ status: 1, "reminders.count": 1 }); // escalation by reminder count (models/report/sla.ts)
reportSchema.index({ regionKey: 1, status: 1 });
reportSchema.index({ department: 1, status: 1 });
reportSchema.index({ createdAt: 1 });
reportSchema.index({ resolvedAt: 1 }, { sparse: true });
reportSchema.index({ "feedback.askedAt": 1, "feedback.answeredAt": 1 }, { sparse: true });
reportSchema.index({ platform: 1, "citizen.userId": 1, "infoRequest.askedAt": -1 }, { sparse: true });
reportSchema.index({ categoryKey: 1, location: "2dsphere" });
reportSchema.index({ location: "2dsphere" }); // "📍 Nearby": every open case near a point, any category (models/report/nearby.ts)
reportSchema.index({ platform: 1, "citizen.userId": 1, createdAt: -1 });
reportSchema.index({ "pendingOutbox.createdAt": 1 }, { sparse: true });
reportSchema.index({ "visits.at": 1 }, { sparse: true }); // /visits and the weekly "visited" column
reportSchema.index({ "citizen.phone": 1, createdAt: -1 }); // the daily limit per phone (Open311 filing)
reportSchema.index({ "history.at": 1 }); // Open311 servicerequestupdates: the changes since a date

/** A report's `platform` when it was filed without a messenger (Open311); its chat is 0. */
export const NO_MESSENGER = "";

export type ReportDoc = InferSchemaType<typeof reportSchema> & { _id: Types.ObjectId };
export type HistoryEntry = ReportDoc["history"][number];
export type HistoryFacts = NonNullable<HistoryEntry["facts"]>;
export type VisitEntry = ReportDoc["visits"][number];
export type PendingOutboxRow = ReportDoc["pendingOutbox"][number];
export const Report = mongoose.model("Report", reportSchema);
