import { InlineKeyboard, Keyboard } from "grammy";
import type { ConversationContext } from "../../../core/context.ts";
import type { Translate } from "../../../core/i18n.ts";
import { outsideWindow } from "../../../models/report/visit.ts";
import { textStep, visitAsk, type VisitAskOptions, type VisitConversation } from "./ask.ts";
import type { VisitChoice } from "../../../views/buttons/families.ts";
import { encode } from "../../../views/buttons/callback-data.ts";
import { isForwarded, sharedLocation, sitePhoto, type SharedLocation, type SitePhoto } from "./proof.ts";

export interface StepDeps {
  conversation: VisitConversation;
  /** The context that entered the visit: prompts go to the official's private chat through it. */
  ctx: ConversationContext;
  t: Translate;
  nonce: string;
  liveSupported: boolean;
  windowMinutes: number;
}

export const MAX_VISIT_PHOTOS = 5;
export const REASON_MAX = 500;
export const NOTE_MAX = 1000;

/** The official's current position: live (Telegram) or one-off; forwarded locations and venues are refused. */
export async function askPosition(d: StepDeps): Promise<SharedLocation> {
  const { t } = d;
  const hintKey = d.liveSupported ? "visit-ask-location-live" : "visit-ask-location-static";
  const markup = new Keyboard().requestLocation(t("visit-location-button")).resized().oneTime();
  await d.ctx.reply(t(hintKey), { reply_markup: markup });
  return visitAsk<SharedLocation>(d.conversation, {
    t,
    nonce: d.nonce,
    hintKey,
    markup,
    handle(ctx) {
      const m = ctx.message;
      if (!m) return "ignore"; // live updates of a location shared earlier
      if (m.location && isForwarded(m)) return { retry: t("visit-forwarded-location") };
      const loc = sharedLocation(m, d.liveSupported);
      if (loc === "venue") return { retry: t("visit-venue-refused") };
      return loc ? { done: loc } : "hint";
    },
  });
}

/** Farther than the radius: record it as off site (a reason follows) or share the location again. */
export async function askOffSite(d: StepDeps, vars: { distance: number; radius: number }): Promise<"off" | "again"> {
  const { t } = d;
  const markup = new InlineKeyboard()
    .text(t("visit-btn-off-site"), choiceData(d, "off"))
    .row()
    .text(t("visit-btn-again"), choiceData(d, "again"));
  await d.ctx.reply(t("visit-too-far", vars), { reply_markup: { remove_keyboard: true } });
  return askStep(d, "visit-off-site-choice", oneOf(["off", "again"] as const), markup);
}

/** Asks `hintKey` (with `markup`) and waits for the answer `handle` accepts. */
async function askStep<T>(
  d: StepDeps,
  hintKey: string,
  handle: VisitAskOptions<T>["handle"],
  markup?: InlineKeyboard,
): Promise<T> {
  await d.ctx.reply(d.t(hintKey), markup ? { reply_markup: markup } : {});
  return visitAsk(d.conversation, { t: d.t, nonce: d.nonce, hintKey, markup, handle });
}

const choiceData = (d: StepDeps, choice: VisitChoice) => encode("visit", { nonce: d.nonce, choice });

/** A step answered by one of these buttons: anything else typed gets the hint, other buttons are ignored. */
function oneOf<C extends VisitChoice>(choices: readonly C[]): VisitAskOptions<C>["handle"] {
  return (_ctx, choice) =>
    choices.includes(choice as C) ? { done: choice as C } : choice === null ? "hint" : "ignore";
}

export async function askReason(d: StepDeps): Promise<string> {
  return askStep(d, "visit-ask-reason", textStep(d.t, REASON_MAX));
}

/**
 * One or more fresh photos, each within the time window of the location. A live location keeps
 * the window open while it updates from the site. Returns null when the window closed: the
 * official shares the location again.
 */
export async function askPhotos(
  d: StepDeps,
  loc: SharedLocation,
  stillOnSite: (lat: number, lon: number) => boolean,
): Promise<SitePhoto[] | null> {
  const { t } = d;
  const photos: SitePhoto[] = [];
  let seenAt = loc.at;
  const doneKb = new InlineKeyboard().text(t("visit-btn-done"), choiceData(d, "done"));
  await d.ctx.reply(t("visit-ask-photos", { minutes: d.windowMinutes, max: MAX_VISIT_PHOTOS }), {
    reply_markup: { remove_keyboard: true },
  });
  for (;;) {
    const step = await visitAsk<SitePhoto | "done" | "expired" | { refreshedAt: number }>(d.conversation, {
      t,
      nonce: d.nonce,
      hintKey: photos.length === 0 ? "visit-photos-hint" : "visit-photos-more-hint",
      acceptEdits: true,
      ...(photos.length > 0 ? { markup: doneKb } : {}),
      handle(ctx, choice) {
        if (choice === "done") return photos.length > 0 ? { done: "done" } : { retry: t("visit-photos-hint") };
        if (choice !== null) return "ignore";
        const edited = ctx.editedMessage;
        if (edited) {
          // A live location moving on site keeps the proof fresh; anything else edited is ignored.
          const l = edited.location;
          return loc.live && l && stillOnSite(l.latitude, l.longitude)
            ? { done: { refreshedAt: (edited.edit_date ?? edited.date) * 1000 } }
            : "ignore";
        }
        const m = ctx.message!;
        const photo = sitePhoto(m);
        if (!photo) return "hint";
        if (isForwarded(m)) return { retry: t("visit-forwarded-photo") };
        const late = outsideWindow(new Date(seenAt), new Date(photo.at), d.windowMinutes);
        if (late !== null) return { done: "expired" };
        if (photos.some((p) => p.fileUniqueId === photo.fileUniqueId)) return { retry: t("visit-photo-repeated") };
        return { done: photo };
      },
    });
    if (typeof step === "object" && "refreshedAt" in step) {
      seenAt = Math.max(seenAt, step.refreshedAt);
      continue;
    }
    if (step === "done") return photos;
    if (step === "expired") {
      await d.ctx.reply(t("visit-window-closed", { minutes: d.windowMinutes }));
      return null;
    }
    photos.push(step);
    if (photos.length >= MAX_VISIT_PHOTOS) return photos;
    await d.ctx.reply(t("visit-photo-received", { count: photos.length, max: MAX_VISIT_PHOTOS }), {
      reply_markup: doneKb,
    });
  }
}

/** An optional internal note for staff. */
export async function askNote(d: StepDeps): Promise<string> {
  const markup = new InlineKeyboard().text(d.t("visit-btn-skip"), choiceData(d, "skip"));
  return askStep(d, "visit-ask-note", textStep(d.t, NOTE_MAX, "skip"), markup);
}

/** Whether the reporter and followers hear "an inspector visited the site". */
export async function askTellCitizen(d: StepDeps): Promise<boolean> {
  const markup = new InlineKeyboard()
    .text(d.t("visit-btn-tell"), choiceData(d, "tell"))
    .text(d.t("visit-btn-keep"), choiceData(d, "keep"));
  return (await askStep(d, "visit-ask-tell", oneOf(["tell", "keep"] as const), markup)) === "tell";
}
