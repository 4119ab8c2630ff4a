import mongoose, { Schema } from "mongoose";
import { currentEvent, currentEventState, EventAlreadyApplied } from "./event-key.ts";

/**
 * Small key/value store for bot state (conversations, sessions). Values are kept as JSON text:
 * conversation replay logs hold arbitrary update JSON whose keys MongoDB field names may not allow.
 */
const kvSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Null once deleted while handling an event: the document stays as a marker of that event. */
    value: { type: String, default: null },
    /** The event (inbox row) whose handling wrote this value: its replay must not apply itself again. */
    event: { type: String, default: "" },
  },
  { timestamps: { createdAt: false, updatedAt: true }, versionKey: false },
);

// The inbox sweep's query (models/infra/inbox-on-state.ts): rows whose lease ran out, among every chat's document.
kvSchema.index({ "inbox.lockedUntil": 1 });

export const BotState = mongoose.model("BotState", kvSchema, "bot_state");

/** Namespace of conversation state in `bot_state`. */
export const CONVERSATION_NAMESPACE = "conversation";

/** The `bot_state` document of one key in one namespace. */
export const stateDocId = (namespace: string, key: string) => `${namespace}:${key}`;

/** Storage key of a private chat's conversation state (a group member's key adds their user id). */
export function privateChatKey(platform: string, chatId: number): string {
  return `${platform}:${chatId}`;
}

/** Removes the conversation state of these private chats (a half-filled form holds personal text). */
export async function deletePrivateChatState(platform: string, chatIds: number[]): Promise<number> {
  if (chatIds.length === 0) return 0;
  const ids = chatIds.map((chatId) => stateDocId(CONVERSATION_NAMESPACE, privateChatKey(platform, chatId)));
  return (await BotState.deleteMany({ _id: { $in: ids } })).deletedCount;
}

export interface KeyValueStore<T> {
  read(key: string): Promise<T | undefined>;
  write(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * State written while an event is handled remembers that event (models/infra/event-key.ts). Read again
 * by the same event, it proves the event was applied already (the process died after saving the
 * state, before the inbox marked the update done): `EventAlreadyApplied` is thrown instead of
 * letting the answer be applied a second time. A delete during an event keeps the document as a
 * marker (value null) for the same reason.
 *
 * When the event was recorded on this key's document (models/infra/inbox-on-state.ts), the first read
 * takes the state the record returned (no round trip) and the write also settles the event's row.
 */
export function mongoKeyValueStore<T>(namespace: string): KeyValueStore<T> {
  const id = (key: string) => stateDocId(namespace, key);
  /** The event's state document, when the update was recorded on this key's document. */
  const recordedOn = (key: string) => {
    const state = currentEventState();
    return state && state.docId === id(key) ? state : null;
  };
  return {
    async read(key) {
      const recorded = recordedOn(key);
      let doc: { value?: string | null; event?: string } | null;
      if (recorded?.primed) {
        // Recording the update returned this state: no second round trip.
        doc = recorded.primed;
        recorded.primed = null;
      } else doc = await BotState.findById(id(key)).lean();
      const event = currentEvent();
      if (doc && event && doc.event === event) throw new EventAlreadyApplied(event);
      return doc?.value ? (JSON.parse(doc.value) as T) : undefined;
    },
    async write(key, value) {
      const recorded = recordedOn(key);
      if (recorded) return recorded.save(JSON.stringify(value));
      await BotState.updateOne(
        { _id: id(key) },
        { $set: { value: JSON.stringify(value), event: currentEvent() ?? "" } },
        { upsert: true },
      );
    },
    async delete(key) {
      const recorded = recordedOn(key);
      if (recorded) return recorded.save(null);
      const event = currentEvent();
      if (event) await BotState.updateOne({ _id: id(key) }, { $set: { value: null, event } }, { upsert: true });
      else await BotState.deleteOne({ _id: id(key) });
    },
  };
}
