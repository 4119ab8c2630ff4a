// Method name → handler. Telegram matches method names case-insensitively.
import { botMethods } from "./bot.ts";
import { queryMethods } from "./queries.ts";
import type { MethodHandler } from "./context.ts";
import { editMethods } from "./edit.ts";
import { pollingMethods } from "./polling.ts";
import { sendMethods } from "./send.ts";

const ALL: Record<string, MethodHandler> = {
  ...botMethods,
  ...pollingMethods,
  ...sendMethods,
  ...editMethods,
  ...queryMethods,
};

const BY_LOWER = new Map(Object.entries(ALL).map(([name, handler]) => [name.toLowerCase(), handler]));

export function methodHandler(name: string): MethodHandler | undefined {
  return BY_LOWER.get(name.toLowerCase());
}
