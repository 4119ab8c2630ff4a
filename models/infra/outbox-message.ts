import { Schema } from "mongoose";
import { PLATFORMS } from "../common/platform.ts";

/**
 * One message to send: the fields shared by a report's pending rows and the outbox collection.
 * The id is deterministic (report, event, kind, chat), so copying a row twice is harmless.
 */
export const outboxMessageFields = {
  _id: { type: String, required: true },
  platform: { type: String, enum: PLATFORMS, required: true },
  chatId: { type: Number, required: true },
  // An OutboxKind (models/infra/outbox-kinds.ts) on every write, which the types check; no enum here, so a
  // row written by another version of the code (a rollback, a rolling deploy) is still relayed and
  // read, and the dispatcher settles it as "unknown kind" instead of the relay failing on it forever.
  kind: { type: String, required: true },
  locale: { type: String, default: "fa" },
  payload: { type: Schema.Types.Mixed, default: {} },
} as const;
