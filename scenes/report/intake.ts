import type { Api } from "grammy";
import type { AppDeps } from "../../core/app.ts";
import type { ConversationContext } from "../../core/context.ts";
import { translator, type Translate } from "../../core/i18n.ts";
import { mainMenuKeyboard } from "../../views/main-menu.ts";
import { listFormCategories, type FormCategory } from "../../models/geography/category.ts";
import { distanceMeters } from "../../models/geography/geo.ts";
import { findNearbyOpenReport, supportCase } from "../../models/report/report-queries.ts";
import { requestCardRedraw } from "../../views/case-card/redraw.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { cleanUserText } from "../../models/common/clean-text.ts";
import type { Locale } from "../../models/common/platform.ts";
import type { IntakeConversation } from "./ask.ts";
import { newFormKey } from "./form-key.ts";
import { EDITABLE_STEPS, emptyDraft, type Draft, type Prefill, type Step } from "./draft.ts";
import { submitDraft, type SubmitOutcome } from "./submit.ts";
import type { StepEnv } from "./steps/env.ts";
import { askCategory } from "./steps/category.ts";
import { askDescription, descriptionProblem } from "./steps/description.ts";
import { askLocation } from "./steps/location.ts";
import { askPhotos } from "./steps/photos.ts";
import { askContact } from "./steps/contact.ts";
import { askAttributes } from "./steps/attributes.ts";
import { askEditTarget, askSummary, renderSummary, waitSummaryChoice, type SummaryChoice } from "./steps/summary.ts";
import { askDuplicate, type NearbyReport } from "./steps/duplicate.ts";

export const REPORT_CONVERSATION = "report";

export interface IntakeDeps {
  app: AppDeps;
  /** The bot's own Api (with its transformers), for getFile at submission. */
  api: Api;
  menuLabels: ReadonlySet<string>;
}

const NEXT: Record<Step, Step | "summary"> = {
  category: "description",
  description: "attributes",
  attributes: "location",
  location: "photos",
  photos: "contact",
  contact: "summary",
};

type Safe<T> = { ok: true; value: T } | { ok: false };

/**
 * The guided report. Conversations v2 replay this function from the top on every update, so every
 * database call, clock read and random draw goes through `conversation.external`.
 */
export function createReportIntake(deps: IntakeDeps) {
  const { app } = deps;

  /** DB work inside the form: a failure becomes a value (the replay log cannot store Error objects). */
  async function safe<T>(conversation: IntakeConversation, task: () => Promise<T>): Promise<Safe<T>> {
    return conversation.external(async () => {
      try {
        return { ok: true as const, value: await task() };
      } catch (err) {
        app.logger.error({ err }, "intake step failed");
        return { ok: false as const };
      }
    });
  }

  /** `prefill`: started from a message sent outside the form (handlers/citizen/thread.ts); those steps are not asked. */
  return async function reportIntake(
    conversation: IntakeConversation,
    ctx: ConversationContext,
    locale: Locale,
    prefill?: Prefill | null,
    /** Reports the citizen could still file today when the form started (absent: a form of older code). */
    room?: number,
  ): Promise<void> {
    const t = translator(app.i18n, locale);
    const menu = { reply_markup: mainMenuKeyboard(t) };
    const start = await safe(conversation, async () => ({
      formKey: newFormKey(),
      categories: await listFormCategories(),
    }));
    if (!start.ok) {
      await ctx.reply(t("error-db-unavailable"), menu);
      return;
    }
    const { formKey, categories } = start.value;
    const env: StepEnv = {
      conversation,
      ctx,
      formKey,
      t,
      menuLabels: deps.menuLabels,
      serviceArea: app.config.SERVICE_AREA_BBOX,
      photoMaxBytes: app.config.PHOTO_MAX_BYTES,
    };
    const from = ctx.from;
    const chatId = ctx.chat?.id;
    if (!from || chatId === undefined) return;

    const draft = emptyDraft();
    const given = applyPrefill(draft, prefill);
    let step: Step | "summary" = "category";
    let editing = false;
    let checkedNearby = "";
    for (;;) {
      if (step !== "summary") {
        // Given by the message the form started from: said once, then on to the next step (Edit still reaches it).
        if (!editing && given.has(step)) {
          await ctx.reply(t(step === "description" ? "thread-prefilled" : "thread-prefilled-photo"));
          step = NEXT[step];
          continue;
        }
        const before = draft.categoryKey;
        await runStep(env, step, draft, categories, locale);
        if (step === "category" && draft.categoryKey !== before && editing) {
          // Another category asks other questions: the old answers go, the new questions are asked.
          delete draft.attributes;
          step = askedAttributes(categories, draft) ? "attributes" : "summary";
          continue;
        }
        step = editing ? "summary" : NEXT[step];
        continue;
      }
      const signature = JSON.stringify([draft.categoryKey, draft.location]);
      if (draft.location && signature !== checkedNearby) {
        checkedNearby = signature;
        const nearby = await safe(conversation, () => nearbyReport(draft));
        if (nearby.ok && nearby.value && (await askDuplicate(env, nearby.value)) === "follow") {
          const code = nearby.value.code;
          const followed = await safe(conversation, async () => {
            const support = await supportCase({ code }, { platform: app.platform, userId: from.id, chatId, locale });
            // A new supporter shows on the staff card ("👥 N citizens support this").
            if (support.outcome === "supported") await requestCardRedraw(app, support.report);
          });
          if (followed.ok) {
            await ctx.reply(t("duplicate-followed", { code: formatCode(code) }), menu);
            return;
          }
          await ctx.reply(t("error-db-unavailable"));
        }
      }
      const category = categories.find((c) => c.key === draft.categoryKey);
      let choice: SummaryChoice = await askSummary(
        env,
        renderSummary(env, draft, category, locale, app.config.TZ_NAME),
      );
      while (choice === "confirm") {
        await ctx.reply(t("submitting"));
        // The name goes on the staff card: no override may disguise it ("\u202Enimda" shown as "admin").
        const name = cleanUserText([from.first_name, from.last_name].filter(Boolean).join(" "), {
          singleLine: true,
        }).trim();
        const who = {
          userId: from.id,
          chatId,
          name,
          username: cleanUserText(from.username ?? "", { singleLine: true }),
          locale,
        };
        const outcome = await conversation.external(() =>
          submitDraft(
            app,
            { api: deps.api, fetch: app.fetch, apiRoot: app.apiRoot, token: app.token },
            formKey,
            draft,
            who,
            { recountLimit: room === undefined || room <= 1 },
          ),
        );
        if (outcome.ok) {
          const submitted = t("submitted", { code: formatCode(outcome.code) });
          // Said only when the number's call-centre reports were linked just now (phone-link.ts).
          const linked = outcome.linked > 0 ? [t("link-also", { count: outcome.linked })] : [];
          await ctx.reply([submitted, ...linked].join("\n\n"), menu);
          return;
        }
        if (outcome.reason === "rate_limited") {
          await ctx.reply(t("rate-limited", { limit: app.config.REPORTS_PER_DAY }), menu);
          return;
        }
        await ctx.reply(failureText(t, outcome));
        choice = await waitSummaryChoice(env);
      }
      if (choice === "cancel") {
        await ctx.reply(t("cancel-done"), menu);
        return;
      }
      const target = await askEditTarget(
        env,
        EDITABLE_STEPS.filter((s) => s !== "attributes" || askedAttributes(categories, draft)),
      );
      if (target !== "back") {
        step = target;
        editing = true;
      }
    }
  };

  async function nearbyReport(draft: Draft): Promise<NearbyReport | null> {
    if (!draft.location) return null;
    const found = await findNearbyOpenReport(draft.categoryKey, draft.location, app.config.DUPLICATE_RADIUS_M);
    const coords = found?.location?.coordinates;
    if (!found || !coords || coords.length < 2) return null;
    return {
      code: found.code,
      status: found.status,
      distance: distanceMeters(draft.location, { lat: coords[1]!, lon: coords[0]! }),
    };
  }
}

/** Fills the draft from the message the form started from; returns the steps it answered. */
function applyPrefill(draft: Draft, prefill: Prefill | null | undefined): Set<Step> {
  const given = new Set<Step>();
  if (!prefill) return given;
  const description = cleanUserText(prefill.description).trim();
  if (descriptionProblem(description) === null) {
    draft.description = description;
    given.add("description");
  }
  if (prefill.photo) {
    draft.photos = [prefill.photo];
    given.add("photos");
  }
  return given;
}

async function runStep(
  env: StepEnv,
  step: Step,
  draft: Draft,
  categories: FormCategory[],
  locale: Locale,
): Promise<void> {
  switch (step) {
    case "category":
      draft.categoryKey = await askCategory(env, categories, locale);
      return;
    case "description":
      draft.description = await askDescription(env);
      return;
    case "attributes": {
      const category = categories.find((c) => c.key === draft.categoryKey);
      if (category && category.attributes.length > 0) draft.attributes = await askAttributes(env, category, locale);
      else delete draft.attributes;
      return;
    }
    case "location":
      Object.assign(draft, await askLocation(env));
      return;
    case "photos":
      draft.photos = await askPhotos(env);
      return;
    case "contact":
      draft.phone = await askContact(env);
      return;
  }
}

/** The draft's category has extra questions (the categories are the form's snapshot, read at its start). */
function askedAttributes(categories: FormCategory[], draft: Draft): boolean {
  return (categories.find((c) => c.key === draft.categoryKey)?.attributes.length ?? 0) > 0;
}

function failureText(t: Translate, outcome: Extract<SubmitOutcome, { ok: false }>): string {
  if (outcome.reason === "photo") return t("photo-download-failed");
  if (outcome.reason === "photo_unreadable") return t("photo-unreadable-submit");
  return t("submit-failed");
}
