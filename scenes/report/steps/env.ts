import type { Translate } from "../../../core/i18n.ts";
import type { ConversationContext } from "../../../core/context.ts";
import type { BoundingBox } from "../../../models/geography/geo.ts";
import { ask, type AskOptions, type IntakeConversation } from "../ask.ts";

/** What every step needs: the conversation, a context to reply through, and the form's identity. */
export interface StepEnv {
  conversation: IntakeConversation;
  ctx: ConversationContext;
  formKey: string;
  t: Translate;
  menuLabels: ReadonlySet<string>;
  serviceArea: BoundingBox;
  photoMaxBytes: number;
}

/** `ask` with the form's identity filled in: a step says only its hint, keyboard and parser. */
export function askStep<T>(env: StepEnv, o: Pick<AskOptions<T>, "hintKey" | "markup" | "handle">): Promise<T> {
  return ask<T>(env.conversation, { formKey: env.formKey, t: env.t, menuLabels: env.menuLabels, ...o });
}
