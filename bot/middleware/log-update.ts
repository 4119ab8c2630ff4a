import type { Context, NextFunction } from "grammy";
import type { AppDeps } from "../../core/app.ts";
import { loggableChatId } from "../../core/logger.ts";
import { parseCode } from "../../models/report/tracking-code.ts";
import { decode } from "../../views/buttons/callback-data.ts";

/** A command's argument (`/status 1234-5678`, `/case ۱۲۳۴۵۶۷۸`). */
const COMMAND_ARG = /^\/\w+(?:@\w+)?\s+(.+)$/s;

export interface UpdateFields {
  updateId: number;
  /** The update kind: message, edited_message, callback_query… */
  type: string;
  /** A group's or channel's id; a private chat is named by its type only (its id is the person's). */
  chatId?: number;
  chatType?: string;
  reportCode?: string;
  reportId?: string;
}

/** The case an update is about, when the update itself names one. */
function reportRef(ctx: Context): Pick<UpdateFields, "reportCode" | "reportId"> {
  // The report a button names (`c:<id>:take`, `fb:<id>:fixed`, …), as the registry reads it.
  const button = decode(ctx.callbackQuery?.data);
  if (button && "reportId" in button && button.reportId) return { reportId: button.reportId };
  const arg = COMMAND_ARG.exec(ctx.message?.text ?? "")?.[1];
  const parsed = arg ? parseCode(arg) : null;
  return parsed?.ok ? { reportCode: parsed.code } : {};
}

/** What every log line about an update carries; never its text or the sender's details. */
export function updateFields(ctx: Context): UpdateFields {
  const type = Object.keys(ctx.update).find((k) => k !== "update_id") ?? "unknown";
  const chatId = loggableChatId(ctx.chat?.id);
  const chat = chatId !== undefined ? { chatId } : ctx.chat ? { chatType: ctx.chat.type } : {};
  return { updateId: ctx.update.update_id, type, ...chat, ...reportRef(ctx) };
}

/** Logs each update at debug. The platform comes with the bot's logger (main.ts binds it). */
export function logUpdate(app: AppDeps) {
  return async (ctx: Context, next: NextFunction): Promise<void> => {
    app.logger.debug(updateFields(ctx), "update");
    await next();
  };
}
