import { InlineKeyboard } from "grammy";
import { done, hint } from "../ask.ts";
import { encode } from "../../../views/buttons/callback-data.ts";
import { formatCode } from "../../../models/report/tracking-code.ts";
import { askStep, type StepEnv } from "./env.ts";

export interface NearbyReport {
  code: string;
  status: string;
  distance: number;
}

/**
 * Closer than this is "the same spot": a phone's fix varies by a few metres, so "0 m away" or "7 m away"
 * would be false precision. The template selects on 0 ("at this very spot").
 */
const SAME_SPOT_M = 10;

/** Metres as the duplicate-found template takes them: a number (digits follow the locale), 0 = the same spot. */
export function shownDistance(metres: number): number {
  return metres < SAME_SPOT_M ? 0 : Math.round(metres);
}

/** An open report of the same kind is close by: follow it, or file anyway. */
export async function askDuplicate(env: StepEnv, nearby: NearbyReport): Promise<"follow" | "file"> {
  const kb = new InlineKeyboard()
    .text(env.t("duplicate-follow"), encode("form", { key: env.formKey, action: "follow" }))
    .row()
    .text(env.t("duplicate-file-anyway"), encode("form", { key: env.formKey, action: "fileanyway" }));
  await env.ctx.reply(
    env.t("duplicate-found", {
      code: formatCode(nearby.code),
      distance: shownDistance(nearby.distance),
      status: env.t(`status-${nearby.status}`),
    }),
    { reply_markup: kb },
  );
  return askStep<"follow" | "file">(env, {
    hintKey: "hint-summary",
    handle(_ctx, button) {
      if (button?.action === "follow") return done("follow");
      if (button?.action === "fileanyway") return done("file");
      return hint;
    },
  });
}
