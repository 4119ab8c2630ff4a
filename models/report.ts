import mongoose, { Schema, type InferSchemaType, type Types } from "mongoose";
import { STATUSES } from "./report-status.ts";
import { PLATFORMS } from "./platform.ts";

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

const historySchema = new Schema({
  at: { type: Date, required: true },
  by: { type: actorSchema, required: true },
  from: { type: String, default: "" },
  to: { type: String, required: true },
  note: { type: String, default: "" },
  public: { type: Boolean, default: true },
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
    _id: { type: String, required: true },
    platform: { type: String, enum: PLATFORMS, required: true },
    chatId: { type: Number, required: true },
    kind: { type: String, required: true },
    locale: { type: String, default: "fa" },
    payload: { type: Schema.Types.Mixed, default: {} },
    createdAt: { type: Date, required: true },
  },
  { _id: false },
);

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
    platform: { type: String, enum: PLATFORMS, required: true },
    citizen: { type: reporterSchema, required: true },
    categoryKey: { type: String, required: true },
    department: { type: String, required: true },
    description: { type: String, required: true, maxlength: 1000 },
    location: { type: pointSchema, default: undefined },
    address: { type: String, default: "" },
    venueTitle: { type: String, default: "" },
    hasCoordinates: { type: Boolean, required: true },
    photos: { type: [photoSchema], default: [] },
    status: { type: String, enum: STATUSES, default: "new" },
    history: { type: [historySchema], default: [] },
    followers: { type: [followerSchema], default: [] },
    staffChat: { type: new Schema({ platform: { type: String, default: "" }, chatId: { type: Number, default: 0 } }, { _id: false }), default: () => ({}) },
    firstResponseDueAt: { type: Date, required: true },
    resolveDueAt: { type: Date, required: true },
    pendingOutbox: { type: [pendingOutboxSchema], default: [] },
  },
  { timestamps: true },
);

reportSchema.index({ status: 1, resolveDueAt: 1 });
reportSchema.index({ categoryKey: 1, location: "2dsphere" });
reportSchema.index({ platform: 1, "citizen.userId": 1, createdAt: -1 });
reportSchema.index({ "pendingOutbox.createdAt": 1 }, { sparse: true });

export type ReportDoc = InferSchemaType<typeof reportSchema> & { _id: Types.ObjectId };
export type HistoryEntry = ReportDoc["history"][number];
export type PendingOutboxRow = ReportDoc["pendingOutbox"][number];
export const Report = mongoose.model("Report", reportSchema);
