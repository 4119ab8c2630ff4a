import "dotenv/config";
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, type Config } from "../bot/config.ts";
import { JOB_NAMES, isJobName, type JobName } from "../bot/cron/jobs.ts";
import { describeOutcome, runJob } from "../bot/cron/run-job.ts";
import { connectDb, disconnectDb } from "../models/db.ts";

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

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function parse(): { name: JobName; at: Date } {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { at: { type: "string" }, help: { type: "boolean", short: "h" } } });
  } catch (err) {
    fail(`${err instanceof Error ? err.message : String(err)} (see --help)`);
  }
  if (parsed.values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const [name, ...extra] = parsed.positionals;
  if (!name) fail(`job name missing; jobs: ${JOB_NAMES.join(", ")} (see --help)`);
  if (extra.length > 0) fail(`unexpected argument "${extra[0]}" (see --help)`);
  if (!isJobName(name)) fail(`unknown job "${name}"; jobs: ${JOB_NAMES.join(", ")}`);
  const at = parsed.values.at === undefined ? new Date() : new Date(parsed.values.at);
  if (Number.isNaN(at.getTime())) fail(`--at "${parsed.values.at}" is not a date (e.g. 2026-11-28T05:30:00Z)`);
  return { name, at };
}

function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.problems.map((p) => `config error: ${p}`).join("\n"));
    throw err;
  }
}

async function main(): Promise<void> {
  const { name, at } = parse();
  const cfg = config();
  if (!cfg.MONGODB_URI) fail("MONGODB_URI is not set: point it at the bot's MongoDB (in .env or the environment)");
  try {
    await connectDb(cfg.MONGODB_URI, { serverSelectionTimeoutMS: 5_000 });
  } catch (err) {
    fail(`cannot reach MongoDB at ${cfg.MONGODB_URI.replace(/\/\/[^@/]*@/, "//***@")}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const outcome = await runJob(name, { config: cfg }, { at, holder: `script:${hostname()}:${process.pid}`, leaseNow: new Date() });
    for (const line of describeOutcome(outcome)) console.log(line);
    process.exitCode = outcome.ran || outcome.reason === "done" ? 0 : 1;
  } finally {
    await disconnectDb();
  }
}

main().catch((err: unknown) => fail(`job failed: ${err instanceof Error ? err.message : String(err)}`));
