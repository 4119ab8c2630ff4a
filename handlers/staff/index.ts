import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { cardActionHandlers } from "./card-actions.ts";
import { digestButtonHandlers } from "./digest-buttons.ts";
import { staffCommandHandlers } from "./commands.ts";
import { staffAdminHandlers } from "./staff-admin.ts";
import { statsHandlers } from "./stats.ts";
import { visitsHandlers } from "./visits.ts";
import { visitEntryHandlers } from "./visit-entry.ts";

/** Everything officials, managers and admins do, in staff chats and in private. */
export const staffHandlers = new Composer<BotContext>();
staffHandlers.use(cardActionHandlers);
staffHandlers.use(digestButtonHandlers);
staffHandlers.use(visitEntryHandlers);
staffHandlers.use(staffCommandHandlers);
staffHandlers.use(staffAdminHandlers);
staffHandlers.use(statsHandlers);
staffHandlers.use(visitsHandlers);
