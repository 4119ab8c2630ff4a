import type { CallbackQueryContext, Composer, Context } from "grammy";
import { buttonPattern, decodeAs } from "./callback-data.ts";
import type { ButtonFields, Family } from "./families.ts";

/**
 * Registers the handler of one button family: it runs with the decoded fields. Data the family does
 * not admit is left to later handlers, in the end the stale-button answer, so a forged press is
 * refused in one place.
 */
export function onButton<C extends Context, F extends Family>(
  composer: Composer<C>,
  family: F,
  handler: (ctx: CallbackQueryContext<C>, button: ButtonFields[F]) => Promise<unknown>,
): void {
  composer.callbackQuery(buttonPattern(family), async (ctx, next) => {
    // The pattern admits a few values a field refuses (a user id past 2^53): those go on too.
    const button = decodeAs(family, ctx.callbackQuery.data);
    if (button) await handler(ctx, button);
    else await next();
  });
}
