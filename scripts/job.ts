import { hostname } from "node:os";
import { JOB_NAMES, isJobName, type JobName } from "../bot/cron/jobs.ts";
import { describeOutcome, runJob } from "../bot/cron/run-job.ts";
import { fail, parseCli, runScript, scriptConfig } from "./lib/cli.ts";

const USAGE = `Usage: npm run job -- <name> [--at <ISO date>]

Runs one cron job now, under the same MongoDB lease as the scheduled runs: if another instance
runs it for the same minute, or that minute's run already completed, it does nothing. Jobs only
queue outbox messages; the running bot's outbox dispatcher sends them.

Jobs:
  reminders           one grouped reminder per staff chat for overdue cases
  escalations         overdue / often-reminded cases to MANAGERS_CHAT_ID
  daily-digest        new, resolved, open, overdue to each staff chat and the managers
  weekly-table        last 7 days per region and per department, to the managers
  feedback-reminders  the one "was it fixed?" reminder to citizens

Options:
  --at <ISO date>     run as if it were that moment (e.g. 2026-11-28T05:30:00Z); default: now
  -h, --help          this text

Environment: MONGODB_URI (required) and the job settings from .env (see README).`;

function parse(): { name: JobName; at: Date } {
  const parsed = parseCli(USAGE, { at: { type: "string" } }, { positionals: true });
  const [name, ...extra] = parsed.positionals;
  if (!name) fail(`job name missing; jobs: ${JOB_NAMES.join(", ")} (see --help)`);
  if (extra.length > 0) fail(`unexpected argument "${extra[0]}" (see --help)`);
  if (!isJobName(name)) fail(`unknown job "${name}"; jobs: ${JOB_NAMES.join(", ")}`);
  const at = parsed.values.at === undefined ? new Date() : new Date(parsed.values.at);
  if (Number.isNaN(at.getTime())) fail(`--at "${parsed.values.at}" is not a date (e.g. 2026-11-28T05:30:00Z)`);
  return { name, at };
}

async function main(): Promise<void> {
  const { name, at } = parse();
  const cfg = scriptConfig();
  await runScript(cfg, async () => {
    const outcome = await runJob(name, { config: cfg }, { at, holder: `script:${hostname()}:${process.pid}`, leaseNow: new Date() });
    for (const line of describeOutcome(outcome)) console.log(line);
    return outcome.ran || outcome.reason === "done" ? 0 : 1;
  });
}

main().catch((err: unknown) => fail(`job failed: ${err instanceof Error ? err.message : String(err)}`));
