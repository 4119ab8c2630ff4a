import "dotenv/config";
import { Api, GrammyError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { ConfigError, loadConfig, type Config } from "../core/config.ts";
import { connectDb, disconnectDb, serverVersion } from "../models/infra/db.ts";
import { checkIndexes, describeIndex } from "../models/ops/index-check.ts";
import { deadOutbox, outboxHealth, stuckLeases } from "../models/ops/health.ts";
import { parkedUpdates } from "../models/infra/inbox.ts";
import type { Platform } from "../models/common/platform.ts";
import { fail, parseCli, redactUri } from "./lib/cli.ts";
import { runningSandboxFor, runtimePath, withSandboxDefaults } from "../core/sandbox-runtime.ts";

const USAGE = `Usage: npm run doctor -- [--max-outbox-age-minutes <n>]

Checks the installation and prints one line per check (✓ fine, ✗ problem, – skipped):
config, MongoDB connectivity and server version, indexes against the models, each configured
bot token (getMe), the staff and managers chats (reachable, the bot a member), the outbox backlog
and its oldest pending row, updates the inbox set aside (parked after repeated failures; the oldest
10 listed, never their content), outbox rows given up (dead: refused by the Bot API also as plain text,
or out of attempts; the latest 10 listed), and cron leases left behind by a run that died.
Exit code 0 when everything checked is fine, 1 otherwise (usable from monitoring).

Options:
  --max-outbox-age-minutes <n>   the oldest pending outbox row may wait this long (default 30)
  -h, --help                     this text

Environment: the bot's (.env): MONGODB_URI, *_BOT_TOKEN, *_API_ROOT, STAFF_CHAT_ID, MANAGERS_CHAT_ID…`;

/** true ✓, false ✗, null – (not configured, so not checked). */
type Outcome = boolean | null;
let healthy = true;

function report(ok: Outcome, label: string, detail: string): void {
  if (ok === false) healthy = false;
  console.log(`${ok === null ? "–" : ok ? "✓" : "✗"} ${label}: ${detail}`);
}

function message(err: unknown): string {
  if (err instanceof GrammyError) return `${err.error_code} ${err.description}`;
  return err instanceof Error ? err.message : String(err);
}

async function checkDatabase(cfg: Config, maxOutboxAge: number): Promise<void> {
  if (!cfg.MONGODB_URI) return report(false, "database", "MONGODB_URI is not set");
  try {
    await connectDb(cfg.MONGODB_URI, { serverSelectionTimeoutMS: 5_000 });
  } catch (err) {
    return report(false, "database", `cannot reach MongoDB at ${redactUri(cfg.MONGODB_URI)}: ${message(err)}`);
  }
  try {
    report(true, "database", `reachable, MongoDB ${await serverVersion()}`);
    const drift = (await checkIndexes()).filter((c) => c.missing.length + c.unexpected.length > 0);
    const drifted = drift.map(
      (c) =>
        `${c.collection} (${[...c.missing.map((s) => `missing ${describeIndex(s)}`), ...c.unexpected.map((s) => `unexpected ${s.name}`)].join(", ")})`,
    );
    report(
      drift.length === 0,
      "indexes",
      drift.length === 0 ? "in sync with the models" : `${drifted.join("; ")} — run npm run indexes`,
    );
    const outbox = await outboxHealth(new Date());
    const age = outbox.oldestAgeMinutes;
    report(
      age === null || age <= maxOutboxAge,
      "outbox",
      `${outbox.pending} pending${age === null ? "" : `, oldest ${age} min old (limit ${maxOutboxAge})`}`,
    );
    const parked = await parkedUpdates(DEAD_LISTED);
    report(parked.count === 0, "parked updates", parked.count === 0 ? "none" : parkedLine(parked));
    const dead = await deadOutbox(DEAD_LISTED);
    report(dead.count === 0, "dead letters", dead.count === 0 ? "none" : deadLetters(dead));
    const stuck = await stuckLeases(new Date());
    report(
      stuck.length === 0,
      "leases",
      stuck.length === 0
        ? "none stuck"
        : stuck.map((l) => `${l._id} held by ${l.holder} expired ${l.until.toISOString()}`).join("; "),
    );
  } catch (err) {
    report(false, "database", message(err));
  } finally {
    await disconnectDb();
  }
}

/** Updates the inbox gave up on (their handler failed or died INBOX_MAX_ATTEMPTS times); never their content. */
function parkedLine(parked: Awaited<ReturnType<typeof parkedUpdates>>): string {
  const listed = parked.rows.map(
    (r) => `${r.id} (received ${r.receivedAt.toISOString()}, ${r.attempts} attempts): ${r.lastError}`,
  );
  const more = parked.count - parked.rows.length;
  return `${parked.count} set aside: ${listed.join("; ")}${more > 0 ? `; …and ${more} more` : ""}`;
}

/** Dead outbox rows listed on the line (the latest); the count covers them all. */
const DEAD_LISTED = 10;

function deadLetters(dead: Awaited<ReturnType<typeof deadOutbox>>): string {
  const listed = dead.rows.map(
    (r) => `${r.id} (${r.kind}, ${r.platform}, ${r.deadAt ? r.deadAt.toISOString() : "?"}): ${r.error}`,
  );
  const more = dead.count - dead.rows.length;
  return `${dead.count} given up: ${listed.join("; ")}${more > 0 ? `; …and ${more} more` : ""}`;
}

function botsOf(cfg: Config): { platform: Platform; token: string; apiRoot: string }[] {
  const out: { platform: Platform; token: string; apiRoot: string }[] = [];
  if (cfg.TELEGRAM_BOT_TOKEN)
    out.push({ platform: "telegram", token: cfg.TELEGRAM_BOT_TOKEN, apiRoot: cfg.TELEGRAM_API_ROOT });
  if (cfg.BALE_BOT_TOKEN) out.push({ platform: "bale", token: cfg.BALE_BOT_TOKEN, apiRoot: cfg.BALE_API_ROOT });
  return out;
}

/** getMe per configured bot; returns the ones that answered, for the chat checks. */
async function checkBots(cfg: Config): Promise<Map<Platform, { api: Api; me: UserFromGetMe }>> {
  const working = new Map<Platform, { api: Api; me: UserFromGetMe }>();
  const bots = botsOf(cfg);
  if (bots.length === 0) report(null, "bots", "no bot token configured (sandbox mode)");
  for (const { platform, token, apiRoot } of bots) {
    const api = new Api(token, { apiRoot, timeoutSeconds: 10 });
    try {
      const me = await api.getMe();
      working.set(platform, { api, me });
      report(true, `${platform} bot`, `@${me.username} (id ${me.id}) at ${apiRoot}`);
    } catch (err) {
      const rejected = err instanceof GrammyError && err.error_code === 401;
      report(
        false,
        `${platform} bot`,
        rejected ? `token rejected (${message(err)})` : `no answer from ${apiRoot}: ${message(err)}`,
      );
    }
  }
  return working;
}

/** The bot must see the chat and still be in it (a bot that was removed gets "left"/"kicked"). */
async function checkChat(
  label: string,
  chatId: string | undefined,
  platform: Platform,
  bots: Map<Platform, { api: Api; me: UserFromGetMe }>,
): Promise<void> {
  if (!chatId) return report(null, label, "not configured");
  const bot = bots.get(platform);
  if (!bot) return report(false, label, `cannot check ${platform}:${chatId}: no working ${platform} bot`);
  try {
    await bot.api.getChat(chatId);
    // Typed as ChatMember, but emulators may answer just `true`: only an explicit non-member status fails.
    const member: unknown = await bot.api.getChatMember(chatId, bot.me.id);
    const status = typeof member === "object" && member !== null && "status" in member ? String(member.status) : "";
    if (status === "left" || status === "kicked")
      return report(false, label, `${platform}:${chatId}: the bot is not a member (${status})`);
    report(true, label, `${platform}:${chatId} reachable, the bot is a member${status ? ` (${status})` : ""}`);
  } catch (err) {
    report(false, label, `${platform}:${chatId} not reachable: ${message(err)}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseCli(USAGE, { "max-outbox-age-minutes": { type: "string" } });
  const rawAge = values["max-outbox-age-minutes"] ?? "30";
  if (!/^\d+$/.test(rawAge))
    fail(`--max-outbox-age-minutes must be a whole number of minutes, got "${rawAge}" (see --help)`);
  let cfg: Config;
  try {
    cfg = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    report(false, "config", err.problems.join("; "));
    process.exit(1);
  }
  const sandbox = runningSandboxFor(cfg);
  cfg = withSandboxDefaults(cfg);
  report(
    true,
    "config",
    sandbox ? `valid; the running sandbox's chats and bots from ${runtimePath(cfg.SANDBOX_DATA_DIR)}` : "valid",
  );
  await checkDatabase(cfg, Number(rawAge));
  const bots = await checkBots(cfg);
  await checkChat("staff chat", cfg.STAFF_CHAT_ID, cfg.STAFF_PLATFORM, bots);
  await checkChat("managers chat", cfg.MANAGERS_CHAT_ID, cfg.STAFF_PLATFORM, bots);
  process.exitCode = healthy ? 0 : 1;
}

main().catch((err: unknown) => fail(`doctor failed: ${message(err)}`));
