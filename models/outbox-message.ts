import { Schema } from "mongoose";
import { PLATFORMS } from "./platform.ts";

/**
 * One message to send: the fields shared by a report's pending rows and the outbox collection.
 * The id is deterministic (report, event, kind, chat), so copying a row twice is harmless.
 */
export const outboxMessageFields = {
  _id: { type: String, required: true },
  platform: { type: String, enum: PLATFORMS, required: true },
  chatId: { type: Number, required: true },
  kind: { type: String, required: true },
  locale: { type: String, default: "fa" },
  payload: { type: Schema.Types.Mixed, default: {} },
} as const;
