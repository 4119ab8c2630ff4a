import type { Translate } from "../../../bot/i18n.ts";
import type { ConversationContext } from "../../../bot/context.ts";
import type { BoundingBox } from "../../../models/geo.ts";
import type { IntakeConversation } from "../ask.ts";

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
