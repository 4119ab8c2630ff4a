// getUpdates and the webhook methods. This emulator only serves getUpdates: setWebhook is
// validated and recorded (getWebhookInfo shows it, getUpdates then answers 409 as Telegram does),
// but updates are never pushed to the URL.
import { BotApiError, badRequest } from "../errors.ts";
import type { MethodContext, MethodHandler } from "./context.ts";

const WEBHOOK_PORTS = new Set(["", "80", "88", "443", "8443"]);

function dropPending(ctx: MethodContext): void {
  if (ctx.params.bool("drop_pending_updates")) ctx.p.updates.clear();
}

function allowedUpdates(ctx: MethodContext): string[] | undefined {
  const allowed = ctx.params.json("allowed_updates", () => badRequest("can't parse allowed_updates JSON object"));
  return Array.isArray(allowed) ? allowed.filter((t): t is string => typeof t === "string") : undefined;
}

export const pollingMethods: Record<string, MethodHandler> = {
  async getUpdates(ctx) {
    if (ctx.p.webhook)
      throw new BotApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    const allowed = allowedUpdates(ctx);
    // "If not specified, the previous setting will be used."
    if (allowed) ctx.p.updates.allowed = allowed;
    return ctx.p.updates.poll({
      offset: ctx.params.int("offset"),
      limit: Math.min(100, Math.max(1, ctx.params.int("limit") ?? 100)),
      timeoutSeconds: Math.max(0, ctx.params.int("timeout") ?? 0),
      signal: ctx.signal,
    });
  },

  setWebhook(ctx) {
    const url = ctx.params.str("url") ?? "";
    if (url === "") {
      ctx.p.webhook = undefined;
      dropPending(ctx);
      return true;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest("bad webhook: Failed to resolve host: Name or service not known");
    }
    if (parsed.protocol !== "https:") throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    if (!WEBHOOK_PORTS.has(parsed.port))
      throw badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
    const allowed = allowedUpdates(ctx);
    dropPending(ctx);
    ctx.p.webhook = {
      url,
      has_custom_certificate: false,
      max_connections: Math.min(100, Math.max(1, ctx.params.int("max_connections") ?? 40)),
      ...(allowed ? { allowed_updates: allowed } : {}),
      ...(ctx.params.has("ip_address") ? { ip_address: ctx.params.str("ip_address") } : {}),
      ...(ctx.params.has("secret_token") ? { secret_token: ctx.params.str("secret_token") } : {}),
    };
    return true;
  },

  deleteWebhook(ctx) {
    ctx.p.webhook = undefined;
    dropPending(ctx);
    return true;
  },

  getWebhookInfo(ctx) {
    const w = ctx.p.webhook;
    return {
      url: w?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: ctx.p.updates.pendingCount,
      ...(w ? { max_connections: w.max_connections } : {}),
      ...(w?.allowed_updates ? { allowed_updates: w.allowed_updates } : {}),
      ...(w?.ip_address ? { ip_address: w.ip_address } : {}),
    };
  },
};
