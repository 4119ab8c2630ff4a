import { InlineKeyboard, Keyboard } from "grammy";
import type { ConversationContext } from "../../../core/context.ts";
import type { Translate } from "../../../core/i18n.ts";
import { outsideWindow } from "../../../models/report/visit.ts";
import { textStep, visitAsk, type VisitConversation } from "./ask.ts";
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
    .text(t("visit-btn-off-site"), encode("visit", { nonce: d.nonce, choice: "off" }))
    .row()
    .text(t("visit-btn-again"), encode("visit", { nonce: d.nonce, choice: "again" }));
  await d.ctx.reply(t("visit-too-far", vars), { reply_markup: { remove_keyboard: true } });
  await d.ctx.reply(t("visit-off-site-choice"), { reply_markup: markup });
  return visitAsk(d.conversation, {
    t,
    nonce: d.nonce,
    hintKey: "visit-off-site-choice",
    markup,
    handle: (_ctx, choice) =>
      choice === "off" || choice === "again" ? { done: choice } : choice === null ? "hint" : "ignore",
  });
}

export async function askReason(d: StepDeps): Promise<string> {
  await d.ctx.reply(d.t("visit-ask-reason"));
  return visitAsk(d.conversation, {
    t: d.t,
    nonce: d.nonce,
    hintKey: "visit-ask-reason",
    handle: textStep(d.t, REASON_MAX),
  });
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
  const doneKb = new InlineKeyboard().text(t("visit-btn-done"), encode("visit", { nonce: d.nonce, choice: "done" }));
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
  const markup = new InlineKeyboard().text(d.t("visit-btn-skip"), encode("visit", { nonce: d.nonce, choice: "skip" }));
  await d.ctx.reply(d.t("visit-ask-note"), { reply_markup: markup });
  return visitAsk(d.conversation, {
    t: d.t,
    nonce: d.nonce,
    hintKey: "visit-ask-note",
    markup,
    handle: textStep(d.t, NOTE_MAX, "skip"),
  });
}

/** Whether the reporter and followers hear "an inspector visited the site". */
export async function askTellCitizen(d: StepDeps): Promise<boolean> {
  const markup = new InlineKeyboard()
    .text(d.t("visit-btn-tell"), encode("visit", { nonce: d.nonce, choice: "tell" }))
    .text(d.t("visit-btn-keep"), encode("visit", { nonce: d.nonce, choice: "keep" }));
  await d.ctx.reply(d.t("visit-ask-tell"), { reply_markup: markup });
  return visitAsk(d.conversation, {
    t: d.t,
    nonce: d.nonce,
    hintKey: "visit-ask-tell",
    markup,
    handle: (_ctx, choice) =>
      choice === "tell" || choice === "keep" ? { done: choice === "tell" } : choice === null ? "hint" : "ignore",
  });
}
