import type { Context } from "grammy";
import type { Translate } from "./i18n.ts";
import type { ConversationFlavor } from "@grammyjs/conversations";
import type { AppDeps } from "./app.ts";
import type { CitizenView } from "../models/people/citizen.ts";
import type { Locale } from "../models/common/platform.ts";

interface AppFlavor {
  app: AppDeps;
  /** The private-chat user's record (null in groups and channels). */
  citizen: CitizenView | null;
  locale: Locale;
  /** Fluent lookup in the negotiated locale. */
  t: Translate;
}

export type BotContext = ConversationFlavor<Context & AppFlavor>;
/** Inside conversations only the plain context exists (v2 builds a fresh one on every replay). */
export type ConversationContext = Context;
