// The bot itself: getMe and the command menu (set/get/deleteMyCommands, per scope and language).
import type { BotCommand } from "grammy/types";
import { badRequest } from "../errors.ts";
import type { MethodContext, MethodHandler } from "./context.ts";

const SCOPES = new Set([
  "default",
  "all_private_chats",
  "all_group_chats",
  "all_chat_administrators",
  "chat",
  "chat_administrators",
  "chat_member",
]);

/** The storage key of a (scope, language_code) menu. */
function menuKey(ctx: MethodContext): string {
  const scope = ctx.params.json("scope", () => badRequest("can't parse BotCommandScope JSON object")) ?? {
    type: "default",
  };
  if (typeof scope !== "object" || scope === null || Array.isArray(scope))
    throw badRequest("can't parse BotCommandScope: BotCommandScope must be an Object");
  const s = scope as { type?: unknown; chat_id?: unknown; user_id?: unknown };
  if (typeof s.type !== "string" || !SCOPES.has(s.type))
    throw badRequest("can't parse BotCommandScope: Unsupported type specified");
  const normalized = {
    type: s.type,
    ...(s.chat_id !== undefined ? { chat_id: String(s.chat_id) } : {}),
    ...(s.user_id !== undefined ? { user_id: Number(s.user_id) } : {}),
  };
  return `${JSON.stringify(normalized)}|${ctx.params.str("language_code") ?? ""}`;
}

function commandsOf(ctx: MethodContext): BotCommand[] {
  const commands = ctx.params.json("commands", () => badRequest("can't parse commands JSON object")) ?? [];
  if (!Array.isArray(commands)) throw badRequest("expected an Array of BotCommand");
  return commands.map((c: unknown) => {
    const { command, description } = (typeof c === "object" && c !== null ? c : {}) as Partial<BotCommand>;
    if (typeof command !== "string")
      throw badRequest('can\'t parse BotCommand: Field "command" must be of type String');
    if (typeof description !== "string")
      throw badRequest('can\'t parse BotCommand: Field "description" must be of type String');
    if (!/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest("BOT_COMMAND_INVALID");
    if (description.trim() === "" || description.length > 256) throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
    return { command, description };
  });
}

export const botMethods: Record<string, MethodHandler> = {
  getMe: (ctx) => ctx.p.me,

  setMyCommands(ctx) {
    const commands = commandsOf(ctx);
    const key = menuKey(ctx);
    if (commands.length === 0) ctx.p.commands.delete(key);
    else ctx.p.commands.set(key, commands);
    return true;
  },

  getMyCommands: (ctx) => ctx.p.commands.get(menuKey(ctx)) ?? [],

  deleteMyCommands(ctx) {
    ctx.p.commands.delete(menuKey(ctx));
    return true;
  },
};
