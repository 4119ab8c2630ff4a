import { applyRetention, planRetention, type RetentionPlan } from "../models/retention.ts";
import { confirm, fail, parseCli, progress, runScript, scriptConfig } from "./lib/cli.ts";

const USAGE = `Usage: npm run retention -- [--days N] [--dry-run] [--yes]

Anonymises citizens' personal data (name, username, phone, user and chat id, followers, their
names in the history and their free-text replies) on reports closed more than N days ago, and
works the /forgetme queue: every report of such a citizen (open ones too) is anonymised, their
pending messages are dropped and their citizen record deleted. Platform, category, region,
department, dates, statuses, ratings and history kinds stay, so the statistics do not change.
Running it again changes nothing.

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

function describePlan(plan: RetentionPlan, days: number): string {
  const forgetReports = plan.forgetRequests.reduce((n, r) => n + r.reports, 0);
  return `${plan.closedReports} reports to anonymise (closed > ${days} days, before ${plan.cutoff.toISOString()}), ${plan.forgetRequests.length} forget requests (${forgetReports} reports)`;
}

async function main(): Promise<void> {
  const { values } = parseCli(USAGE, { days: { type: "string" }, "dry-run": { type: "boolean" }, yes: { type: "boolean" } });
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
    console.log(`${res.closedReports} reports anonymised (closed > ${days} days), ${res.forgetRequests} forget requests done (${res.forgetReports} reports)`);
    return 0;
  });
}

main().catch((err: unknown) => fail(`retention failed: ${err instanceof Error ? err.message : String(err)}`));
