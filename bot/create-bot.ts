import { Bot, type ApiClientOptions } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { conversations, createConversation } from "@grammyjs/conversations";
import { API_TIMEOUT_SECONDS, setupApi } from "./api-setup.ts";
import { sequentialize } from "@grammyjs/runner";
import type { AppDeps } from "../core/app.ts";
import type { BotContext, ConversationContext } from "../core/context.ts";
import { appContext } from "./middleware/app-context.ts";
import { errorBoundary } from "./middleware/error-boundary.ts";
import { logUpdate } from "./middleware/log-update.ts";
import { floodGuard } from "./middleware/flood-guard.ts";
import { leadingMarks } from "./middleware/leading-marks.ts";
import { describeError } from "../core/logger.ts";
import { conversationStorage } from "./conversation-storage.ts";
import { citizenHandlers } from "../handlers/citizen/index.ts";
import { cancelHandlers } from "../handlers/cancel.ts";
import { forgetMeHandlers } from "../handlers/citizen/forget-me.ts";
import { menuLabels } from "../views/main-menu.ts";
import { createReportIntake, REPORT_CONVERSATION } from "../scenes/report/intake.ts";
import { createStaffInput, STAFF_INPUT_CONVERSATION } from "../scenes/staff/input.ts";
import { staffHandlers } from "../handlers/staff/index.ts";
import { createFieldVisit, VISIT_ABANDONED_MS, VISIT_CONVERSATION } from "../scenes/staff/visit/field-visit.ts";

export interface CreateBotOptions {
  app: AppDeps;
  /** Extra grammY client options (the fetch comes from `app.apiFetch`). */
  client?: ApiClientOptions;
  /** Skips getMe (tests, and instances that already know who they are). */
  botInfo?: UserFromGetMe;
}

export function createBot({ app, client, botInfo }: CreateBotOptions): Bot<BotContext> {
  // Conversations copy these client options into their own Api: the throttled fetch goes with them.
  const bot = new Bot<BotContext>(app.token, {
    client: { apiRoot: app.apiRoot, fetch: app.apiFetch as never, timeoutSeconds: API_TIMEOUT_SECONDS, ...client },
    ...(botInfo ? { botInfo } : {}),
  });
  const apiSetup = { platform: app.platform, retry: true };
  setupApi(bot.api, apiSetup);
  const labels = menuLabels(app.i18n);

  // Keyed like the conversation storage: one chat's updates in order, chats in parallel.
  // (A forged id that is not a number gets no key; the inbox's edge check refuses such updates anyway.)
  bot.use(
    sequentialize<BotContext>((ctx) => {
      const id = (ctx.chat ?? ctx.from)?.id;
      return typeof id === "number" ? String(id) : undefined;
    }),
  );
  // A command copied out of a Persian message starts with a direction mark: the command handlers must see it.
  bot.use(leadingMarks);
  // Before anything that touches the database: one person's flood costs the rest nothing.
  if (app.config.FLOOD_LIMIT_PER_MINUTE > 0) bot.use(floodGuard(app, { limit: app.config.FLOOD_LIMIT_PER_MINUTE }));
  bot.use(logUpdate(app));
  // Set once, here: the error boundary below needs it even when appContext fails on the database.
  bot.use(async (ctx, next) => {
    ctx.app = app;
    await next();
  });
  bot.use(errorBoundary);
  bot.use(appContext(app));
  bot.use(
    conversations<BotContext, ConversationContext>({
      storage: conversationStorage(app.platform),
      // Inside a conversation ctx.api is a fresh Api: install the same transformers there too.
      plugins: [
        async (ctx, next) => {
          setupApi(ctx.api, apiSetup);
          await next();
        },
      ],
    }),
  );
  bot.use(cancelHandlers);
  // Before the conversations: /forgetme (and its buttons) work in the middle of a form too.
  bot.chatType("private").use(forgetMeHandlers);
  bot.use(
    createConversation(createReportIntake({ app, api: bot.api, menuLabels: new Set(labels.keys()) }), {
      id: REPORT_CONVERSATION,
    }),
  );
  bot.use(
    createConversation(createStaffInput({ app, api: bot.api }), {
      id: STAFF_INPUT_CONVERSATION,
    }),
  );
  // A visit is minutes of work on site: one left open for hours is abandoned, and the official's
  // next message is handled as if no visit had been started.
  bot.use(
    createConversation(createFieldVisit({ app, api: bot.api }), {
      id: VISIT_CONVERSATION,
      maxMillisecondsToWait: VISIT_ABANDONED_MS,
    }),
  );
  bot.use(staffHandlers);
  bot.use(citizenHandlers(labels));

  bot.catch((err) => {
    app.logger.error({ err: describeError(err.error), updateId: err.ctx.update.update_id }, "unhandled bot error");
  });
  return bot;
}
