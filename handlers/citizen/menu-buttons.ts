import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import type { MenuKey } from "../../views/main-menu.ts";
import { startReport } from "./new-report.ts";
import { replyMyReports } from "./my-reports.ts";
import { replyHelp } from "./start.ts";
import { askNearby } from "./nearby.ts";

/** The reply-keyboard buttons, matched in every language (the keyboard may predate a /language switch). */
export function menuButtonHandlers(labels: ReadonlyMap<string, MenuKey>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const actions: Record<MenuKey, (ctx: BotContext) => Promise<void>> = {
    "menu-new": startReport,
    "menu-track": async (ctx) => {
      await ctx.reply(ctx.t("status-ask-code"));
    },
    "menu-my": replyMyReports,
    "menu-help": replyHelp,
    "menu-nearby": askNearby,
  };
  composer.on("message:text", async (ctx, next) => {
    const key = labels.get(ctx.message.text.trim());
    if (key) await actions[key](ctx);
    else await next();
  });
  return composer;
}
