import { CARD_ACTIONS, type CardAction } from "../case-card/card-buttons.ts";
import type { Locale } from "../../models/common/platform.ts";
import { ANY_WORD, FORM_ARG, FORM_KEY, OBJECT_ID, USER_ID, VISIT_NONCE, memberOf, oneOf, userIdOf } from "./fields.ts";

/**
 * Every button the bot draws, in one table: its family, the prefix its data starts with and the
 * typed fields it carries. Builders call `encode(family, fields)` and handlers `decode`/`onButton`
 * (callback-data.ts, on-button.ts); nothing else writes or reads button data.
 */

/**
 * The report form's buttons (scenes/report/steps/): category, extra questions (skip, pick a value,
 * done choosing), photos, duplicate, summary, edit.
 */
export const FORM_ACTIONS = [
  "cat",
  "atskip",
  "atpick",
  "atdone",
  "nophoto",
  "photosdone",
  "follow",
  "fileanyway",
  "ok",
  "edit",
  "cancel",
  "goto",
] as const;
export type FormAction = (typeof FORM_ACTIONS)[number];

/** A field visit's buttons (scenes/staff/visit/steps.ts). */
export const VISIT_CHOICES = ["off", "again", "done", "skip", "tell", "keep"] as const;
export type VisitChoice = (typeof VISIT_CHOICES)[number];

export const STARS = [1, 2, 3, 4, 5] as const;
/** "Was it fixed?" or 1–5 stars; stars are numbers so Fluent writes them in the reader's digits. */
export type FeedbackAnswer = "fixed" | "notfixed" | (typeof STARS)[number];

const LOCALES = ["fa", "en"] as const satisfies readonly Locale[];
const FORGET_ANSWERS = ["yes", "no"] as const;

/** What each family's data carries. */
export interface ButtonFields {
  /** The case card's buttons: `c:<report id>:<action>`. */
  card: { reportId: string; action: CardAction };
  /** Assign…'s picker, one button per official: `ca:<report id>:<user id>`. */
  assign: { reportId: string; userId: number };
  /** "Start visit" in the official's private chat: `v:<report id>`. */
  visitStart: { reportId: string };
  /** The reporter's answer to a resolution: `fb:<report id>:fixed|notfixed|r1…r5`. */
  feedback: { reportId: string; answer: FeedbackAnswer };
  /** Under a kept message: add it to a report, or file a new one (`reportId` null): `th:<kept id>:<report id>|new`. */
  thread: { keptId: string; reportId: string | null };
  /** "Not now" under "what is still wrong?": `nr:<kept id>`. */
  reasonSkip: { keptId: string };
  /** The report form's buttons, with the form's key: `r:<key>:<action>[:<arg>]`. */
  form: { key: string; action: FormAction; arg?: string };
  /** A field visit's buttons, with the visit's nonce: `vs:<nonce>:<choice>`. */
  visit: { nonce: string; choice: VisitChoice };
  /** Skip the "after" photo of a resolution (scenes/staff/input.ts): `si:skip`. */
  photoSkip: Record<never, never>;
  /** /language: `lang:fa|en`. */
  language: { locale: Locale };
  /** /forgetme's confirmation: `forget:yes|no`. */
  forget: { answer: (typeof FORGET_ANSWERS)[number] };
  /** "👍 Me too" under the "📍 Nearby" list: follow and support that case, `mt:<report id>`. */
  meToo: { reportId: string };
  /** "🔗 Link my reports" under /my: asks for the citizen's own contact (handlers/citizen/link-reports.ts), `ln:go`. */
  linkReports: Record<never, never>;
  /** "📋 <code>" under a "📥 new cases" digest in a staff group that is behind: post that case's full card now, `dg:<report id>`. */
  digestCard: { reportId: string };
}

export type Family = keyof ButtonFields;

export interface FamilySpec<T> {
  /** The data's first segment, before a colon; unique (tests/unit/callback-data.test.ts). */
  prefix: string;
  /** What follows `<prefix>:`, built from fields.ts, one group per field. */
  shape: string;
  /** The fields from the shape's groups; null for a value the shape admits but the field does not. */
  read(groups: readonly (string | undefined)[]): T | null;
  /** What follows `<prefix>:`. */
  write(fields: T): string;
}

export const FAMILIES: { readonly [F in Family]: FamilySpec<ButtonFields[F]> } = {
  card: {
    prefix: "c",
    shape: `(${OBJECT_ID}):(${oneOf(CARD_ACTIONS)})`,
    read: ([reportId, raw]) => {
      const action = memberOf(CARD_ACTIONS, raw);
      return reportId && action ? { reportId, action } : null;
    },
    write: (f) => `${f.reportId}:${f.action}`,
  },
  assign: {
    prefix: "ca",
    shape: `(${OBJECT_ID}):(${USER_ID})`,
    read: ([reportId, raw]) => {
      const userId = userIdOf(raw);
      return reportId && userId !== undefined ? { reportId, userId } : null;
    },
    write: (f) => `${f.reportId}:${f.userId}`,
  },
  visitStart: {
    prefix: "v",
    shape: `(${OBJECT_ID})`,
    read: ([reportId]) => (reportId ? { reportId } : null),
    write: (f) => f.reportId,
  },
  feedback: {
    prefix: "fb",
    shape: `(${OBJECT_ID}):(fixed|notfixed|r[1-5])`,
    read: ([reportId, raw]) => {
      const answer = raw === "fixed" || raw === "notfixed" ? raw : STARS.find((stars) => `r${stars}` === raw);
      return reportId && answer !== undefined ? { reportId, answer } : null;
    },
    write: (f) => `${f.reportId}:${typeof f.answer === "number" ? `r${f.answer}` : f.answer}`,
  },
  thread: {
    prefix: "th",
    shape: `(${OBJECT_ID}):(${OBJECT_ID}|new)`,
    read: ([keptId, to]) => (keptId && to ? { keptId, reportId: to === "new" ? null : to } : null),
    write: (f) => `${f.keptId}:${f.reportId ?? "new"}`,
  },
  reasonSkip: {
    prefix: "nr",
    shape: `(${OBJECT_ID})`,
    read: ([keptId]) => (keptId ? { keptId } : null),
    write: (f) => f.keptId,
  },
  form: {
    prefix: "r",
    shape: `(${FORM_KEY}):(${oneOf(FORM_ACTIONS)})(?::(${FORM_ARG}))?`,
    read: ([key, raw, arg]) => {
      const action = memberOf(FORM_ACTIONS, raw);
      if (!key || !action) return null;
      return arg === undefined ? { key, action } : { key, action, arg };
    },
    write: (f) => (f.arg ? `${f.key}:${f.action}:${f.arg}` : `${f.key}:${f.action}`),
  },
  visit: {
    prefix: "vs",
    shape: `(${VISIT_NONCE}):(${oneOf(VISIT_CHOICES)})`,
    read: ([nonce, raw]) => {
      const choice = memberOf(VISIT_CHOICES, raw);
      return nonce && choice ? { nonce, choice } : null;
    },
    write: (f) => `${f.nonce}:${f.choice}`,
  },
  photoSkip: {
    prefix: "si",
    shape: "skip",
    read: () => ({}),
    write: () => "skip",
  },
  language: {
    prefix: "lang",
    shape: `(${oneOf(LOCALES)})`,
    read: ([raw]) => {
      const locale = memberOf(LOCALES, raw);
      return locale ? { locale } : null;
    },
    write: (f) => f.locale,
  },
  meToo: {
    prefix: "mt",
    shape: `(${OBJECT_ID})`,
    read: ([reportId]) => (reportId ? { reportId } : null),
    write: (f) => f.reportId,
  },
  digestCard: {
    prefix: "dg",
    shape: `(${OBJECT_ID})`,
    read: ([reportId]) => (reportId ? { reportId } : null),
    write: (f) => f.reportId,
  },
  linkReports: {
    prefix: "ln",
    shape: "go",
    read: () => ({}),
    write: () => "go",
  },
  forget: {
    prefix: "forget",
    shape: `(${oneOf(FORGET_ANSWERS)})`,
    read: ([raw]) => {
      const answer = memberOf(FORGET_ANSWERS, raw);
      return answer ? { answer } : null;
    },
    write: (f) => f.answer,
  },
};

/**
 * A conversation's buttons carry its token (the form's key, the visit's nonce) before what they
 * ask. A press with this conversation's token is its own even when the action is one this release
 * does not draw (an older release's `r:<key>:submit`): the form tells it "already submitted" or
 * "inactive" rather than "stale button", and a step answers it like a button of another step.
 * One group: the token.
 */
export const OWNERS = {
  form: `(${FORM_KEY}):${ANY_WORD}(?::${FORM_ARG})?`,
  visit: `(${VISIT_NONCE}):[\\s\\S]*`,
} as const satisfies Partial<Record<Family, string>>;

export type OwnedFamily = keyof typeof OWNERS;
