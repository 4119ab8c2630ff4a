import { applyRetention, planRetention, type ErasureCounts, type RetentionPlan } from "../models/ops/retention.ts";
import { confirm, fail, parseCli, progress, runScript, scriptConfig } from "./lib/cli.ts";

const USAGE = `Usage: npm run retention -- [--days N] [--dry-run] [--yes]

Anonymises citizens' personal data (name, username, phone, user and chat id, followers, their
names in the history and their free-text replies) on reports closed more than N days ago.

Works the /forgetme queue first, erasing every copy of each such citizen:
  reports     every report of theirs, open ones too: reporter, description, typed address, venue
              title, answers to staff questions and photos go; a marker (erasedAt) says so
  outbox      rows to their chats (any status) lose the chat id and text (chat 0, a new row id);
              waiting ones are stopped; rows to staff about their reports lose their words
  gridfs      their report photos and the photos they sent as answers (files and chunks)
  bot_state   a half-filled form;  inbox  their unfinished updates;  citizens  their record
  cards       their case cards in staff chats are queued to be redrawn without them
It prints what it erased per collection. A done request keeps no user id, only the counts.

Kept, so the statistics do not change: platform, category, department, region, the reported
point, dates, statuses, ratings, history kinds and dates. Running it again changes nothing.

Options:
  --days N     closed more than N days ago (default: RETENTION_DAYS, 365)
  --dry-run    print what would change; change nothing
  --yes        do not ask for confirmation (scripts, cron)
  -h, --help   this text

Environment: MONGODB_URI (required), RETENTION_DAYS.`;

function parseDays(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) fail(`--days "${raw}" is not a whole number of days ≥ 1 (see --help)`);
  return Number(raw);
}

function describeErasure(e: ErasureCounts, requests: number): string {
  return (
    `erased: reports ${e.reports} (texts), outbox ${e.outbox}, gridfs ${e.gridfsFiles} files, bot_state ${e.botState}, ` +
    `inbox ${e.inbox}, citizens ${e.citizens}, cards ${e.cardRedraws} queued for redraw, forget_requests ${requests} done`
  );
}

function describePlan(plan: RetentionPlan, days: number): string {
  const forgetReports = plan.forgetRequests.reduce((n, r) => n + r.reports, 0);
  return (
    `${plan.closedReports} reports to anonymise (closed > ${days} days, before ${plan.cutoff.toISOString()}), ` +
    `${plan.forgetRequests.length} forget requests (${forgetReports} reports)`
  );
}

async function main(): Promise<void> {
  const { values } = parseCli(USAGE, {
    days: { type: "string" },
    "dry-run": { type: "boolean" },
    yes: { type: "boolean" },
  });
  const cfg = scriptConfig();
  const days = parseDays(values.days, cfg.RETENTION_DAYS);
  await runScript(cfg, async () => {
    const now = new Date();
    const plan = await planRetention({ days, now });
    if (values["dry-run"]) {
      console.log(`dry run: ${describePlan(plan, days)}; nothing changed`);
      for (const r of plan.forgetRequests) console.log(`  forget ${r.platform}:${r.userId} (${r.reports} reports)`);
      return 0;
    }
    const total = plan.closedReports + plan.forgetRequests.reduce((n, r) => n + r.reports, 0);
    if (total === 0 && plan.forgetRequests.length === 0) {
      console.log(`0 reports anonymised (closed > ${days} days), 0 forget requests done (0 reports)`);
      return 0;
    }
    if (!(await confirm(`Anonymise: ${describePlan(plan, days)}?`, values.yes ?? false))) {
      console.log("nothing changed");
      return 1;
    }
    const bar = progress("anonymising", total);
    const res = await applyRetention({ days, now, tick: () => bar.tick() });
    bar.done();
    console.log(
      `${res.closedReports} reports anonymised (closed > ${days} days), ${res.forgetRequests} forget requests done (${res.forgetReports} reports)`,
    );
    if (res.forgetRequests > 0) console.log(describeErasure(res.erased, res.forgetRequests));
    return 0;
  });
}

main().catch((err: unknown) => fail(`retention failed: ${err instanceof Error ? err.message : String(err)}`));
