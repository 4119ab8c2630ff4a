import type { ReportDoc } from "./report.ts";
import type { ChatRef } from "../geography/routing.ts";
import type { Platform } from "../common/platform.ts";

/** The staff chat that holds a case's card (or, before the card is posted, the chat it was routed to). */
export function cardChat(r: Pick<ReportDoc, "card" | "staffChat">): ChatRef | null {
  const c = r.card?.chatId ? r.card : r.staffChat;
  return c && c.chatId && c.platform ? { platform: c.platform as Platform, chatId: c.chatId } : null;
}
