import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import type { MenuKey } from "../../views/main-menu.ts";
import { startHandlers } from "./start.ts";
import { languageHandlers } from "./language.ts";
import { newReportHandlers } from "./new-report.ts";
import { statusHandlers } from "./status.ts";
import { myReportsHandlers } from "./my-reports.ts";
import { menuButtonHandlers } from "./menu-buttons.ts";
import { feedbackHandlers } from "./feedback.ts";
import { infoReplyHandlers } from "./info-reply.ts";
import { staleButtonHandlers } from "./stale-buttons.ts";
import { fallbackHandlers } from "./fallback.ts";
import { threadHandlers } from "./thread.ts";
import { nearbyHandlers } from "./nearby.ts";
import { linkReportsHandlers } from "./link-reports.ts";

/** The citizen commands in the messenger's "/" menu, in its order (each described by its `cmd-<name>` locale text). */
export const CITIZEN_COMMANDS = ["new", "status", "my", "language", "cancel", "help", "privacy"] as const;

/** Everything a citizen does in a private chat with the bot, except the report form itself. */
export function citizenHandlers(labels: ReadonlyMap<string, MenuKey>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const priv = composer.chatType("private");
  // First: while "🔗 Link my reports" waits for a contact or "📍 Nearby" for a location, a command or
  // menu press ends the wait before it is handled. Link first: while it waits, a location is a wrong
  // answer to it rather than a nearby question; a contact outside any flow is handled there too.
  priv.use(linkReportsHandlers(new Set(labels.keys())));
  priv.use(nearbyHandlers(new Set(labels.keys())));
  priv.use(
    startHandlers,
    languageHandlers,
    newReportHandlers,
    statusHandlers,
    myReportsHandlers,
    menuButtonHandlers(labels),
  );
  composer.use(feedbackHandlers);
  priv.use(infoReplyHandlers, threadHandlers);
  composer.use(staleButtonHandlers);
  priv.use(fallbackHandlers);
  return composer;
}
