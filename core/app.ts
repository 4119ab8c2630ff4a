import type { I18n } from "@grammyjs/i18n";
import type { Api } from "grammy";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import type { Platform } from "../models/common/platform.ts";
import type { RegionRouter } from "../models/geography/routing.ts";

/** Everything a handler may need besides the update, built once per bot by the composition root. */
export interface AppDeps {
  config: Config;
  platform: Platform;
  logger: Logger;
  i18n: I18n;
  /** Bot API root and token: file downloads need them (`<apiRoot>/file/bot<token>/<path>`). */
  apiRoot: string;
  token: string;
  /** Plain fetch for file downloads (tests hand in the fake Bot API's). */
  fetch: typeof fetch;
  /** The fetch of this bot's Api clients (bot, conversations, outbox): throttled, shared per token. */
  apiFetch: typeof fetch;
  now: () => Date;
  /** Region routing with its polygon cache (one per process). */
  router: RegionRouter;
  /** Every running bot's Api by platform: a card on Bale is edited by the Bale bot even when a Telegram citizen's answer triggers it. */
  apis: Partial<Record<Platform, Api>>;
  /** Tells this process's outbox dispatcher a row was just queued (a card redraw), so it goes now rather than at the next poll. */
  wakeOutbox: () => void;
}
