import type { Api } from "grammy";
import type { AppDeps } from "../../../core/app.ts";
import { CAPABILITIES } from "../../../core/capabilities.ts";
import type { ConversationContext } from "../../../core/context.ts";
import { translator } from "../../../core/i18n.ts";
import { newHexId } from "../../../models/common/object-id.ts";
import { visitCaseFacts, type VisitCaseFacts } from "../../../models/report/visit-case.ts";
import { checkSite, type SiteCheck } from "../../../models/report/visit.ts";
import { formatCode } from "../../../models/report/tracking-code.ts";
import type { Locale } from "../../../models/common/platform.ts";
import type { VisitConversation } from "./ask.ts";
import { askNote, askOffSite, askPhotos, askPosition, askReason, askTellCitizen, type StepDeps } from "./steps.ts";
import { saveVisit } from "./save-visit.ts";
import type { SharedLocation, SitePhoto } from "./proof.ts";

export const VISIT_CONVERSATION = "field-visit";
/** Silence between two steps after which a visit counts as abandoned (the conversation ends). */
export const VISIT_ABANDONED_MS = 2 * 3_600_000;

export interface VisitArgs {
  reportId: string;
  locale: Locale;
}

/**
 * "Record visit": in the official's private chat, their current location (live preferred), one
 * or more fresh photos within the time window, an optional internal note, and whether the
 * citizen is told. Farther than the category's radius is recorded as off site only with a reason.
 */
export function createFieldVisit(deps: { app: AppDeps; api: Api }) {
  const { app } = deps;

  return async function fieldVisit(
    conversation: VisitConversation,
    ctx: ConversationContext,
    args: VisitArgs,
  ): Promise<void> {
    const t = translator(app.i18n, args.locale);
    const from = ctx.from;
    if (!from) return;
    const facts = await conversation.external(() => visitCaseFacts(args.reportId));
    if (!facts) return void (await ctx.reply(t("staff-case-not-found")));
    // Random values are fixed once in the replay log: the buttons' nonce and the visit's id (a replayed save is then recognised).
    const { nonce, visitId } = await conversation.external(() => ({
      nonce: Math.random().toString(36).slice(2, 8),
      visitId: newHexId(),
    }));
    const d: StepDeps = {
      conversation,
      ctx,
      t,
      nonce,
      liveSupported: CAPABILITIES[app.platform].liveLocation,
      windowMinutes: app.config.VISIT_WINDOW_MINUTES,
    };
    await ctx.reply(t("visit-start", { code: formatCode(facts.code) }));

    let proof: { loc: SharedLocation; site: SiteCheck; reason: string; photos: SitePhoto[] } | null = null;
    while (!proof) {
      const loc = await askPosition(d);
      const site = siteOf(facts, loc.lat, loc.lon);
      let reason = "";
      if (site.onSite) {
        await ctx.reply(
          site.distanceM === null
            ? t("visit-no-reported-point")
            : t("visit-on-site", { distance: site.distanceM, radius: site.radiusM }),
        );
      } else {
        if ((await askOffSite(d, { distance: site.distanceM ?? 0, radius: site.radiusM })) === "again") continue;
        reason = await askReason(d);
      }
      const photos = await askPhotos(d, loc, (lat, lon) => !site.onSite || siteOf(facts, lat, lon).onSite);
      if (photos) proof = { loc, site, reason, photos };
    }
    const note = await askNote(d);
    const tellCitizen = await askTellCitizen(d);
    const outcome = await conversation.external(() =>
      saveVisit(deps, {
        reportId: args.reportId,
        visitId,
        userId: from.id,
        ...proof,
        note,
        tellCitizen,
        locale: args.locale,
      }),
    );
    // Staff get no citizen menu: the location button of the first step is taken away, nothing put in its place.
    await ctx.reply(t(outcome.key, outcome.vars), { reply_markup: { remove_keyboard: true } });
  };

  function siteOf(facts: VisitCaseFacts, lat: number, lon: number): SiteCheck {
    return checkSite(facts.location, { lat, lon }, { visitRadiusM: facts.radiusM }, app.config.VISIT_RADIUS_M);
  }
}
