import { Outbox } from "./outbox.ts";
import { isDuplicateKey } from "./outbox-relay.ts";
import type { Locale } from "./platform.ts";
import type { ChatRef } from "./routing.ts";

export interface JobMessage {
  /** Derived from the job, its slot and the chat: re-running a slot queues nothing twice. */
  id: string;
  chat: ChatRef;
  kind: string;
  locale: Locale;
  payload: Record<string, unknown>;
  now: Date;
}

/**
 * Queues a message that belongs to a job run rather than to one report (a grouped reminder, a
 * digest). Returns false when that id was queued already. If the chat is waiting out a 429 or a
 * backoff, the row waits behind its earlier rows instead of overtaking them.
 */
export async function queueJobMessage(m: JobMessage): Promise<boolean> {
  const latest = await Outbox.findOne({ platform: m.chat.platform, chatId: m.chat.chatId, status: "pending" }, { nextAttemptAt: 1 }).sort({ nextAttemptAt: -1 }).lean();
  const notBefore = latest && latest.nextAttemptAt > m.now ? latest.nextAttemptAt : m.now;
  try {
    await Outbox.create({ _id: m.id, platform: m.chat.platform, chatId: m.chat.chatId, kind: m.kind, locale: m.locale, payload: m.payload, status: "pending", nextAttemptAt: notBefore, createdAt: m.now });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
