import { hostname } from "node:os";
import { JOB_NAMES, JOBS, isJobName, type JobName } from "../bot/cron/jobs.ts";
import { describeOutcome, runJob } from "../bot/cron/run-job.ts";
import { Outbox } from "../models/infra/outbox.ts";
import { dateOption, fail, parseCli, runScript, scriptConfig } from "./lib/cli.ts";

const USAGE = `Usage: npm run job -- <name> [--at <ISO date>]

Runs one cron job now, under the same MongoDB lease as the scheduled runs: if another instance
runs it for the same minute, or that minute's run already completed, it does nothing. Jobs only
queue outbox messages; the running bot's outbox dispatcher sends them.

Jobs:
${JOB_NAMES.map((name) => `  ${name.padEnd(20)}${JOBS[name].about}`).join("\n")}

Options:
  --at <date>         run as if it were that moment: an ISO time (e.g. 2026-11-28T05:30:00Z), or a day,
                      Jalali (e.g. 1405-09-01: a year below 1700) or Gregorian, meaning 00:00 of it in
                      TZ_NAME; default: now. The messages are queued now (stamped with the real time), so
                      the running bot sends them at once
  -h, --help          this text

Environment: MONGODB_URI (required) and the job settings from .env (see README).`;

function parse(): { name: JobName; at: string | undefined } {
  const parsed = parseCli(USAGE, { at: { type: "string" } }, { positionals: true });
  const [name, ...extra] = parsed.positionals;
  if (!name) fail(`job name missing; jobs: ${JOB_NAMES.join(", ")} (see --help)`);
  if (extra.length > 0) fail(`unexpected argument "${extra[0]}" (see --help)`);
  if (!isJobName(name)) fail(`unknown job "${name}"; jobs: ${JOB_NAMES.join(", ")}`);
  return { name, at: parsed.values.at };
}

/**
 * The jobs stamp what they queue with their `now` (= --at). Run "as if" at another moment, the
 * rows were still queued now: a future stamp would hold them back from the dispatcher (it claims
 * rows due by real time) until that moment, and make doctor report a negative age; a past one
 * would make a fresh row look stale. So this run's rows (still untouched) get the real time.
 * A row queued behind another pending one of its chat (nextAttemptAt later than `at`) keeps its
 * place in that chat's order.
 */
async function stampQueuedNow(name: JobName, slot: string, at: Date, now: Date): Promise<void> {
  if (at.getTime() === now.getTime()) return;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  await Outbox.collection.updateMany(
    {
      _id: { $regex: `^job:${escape(name)}:[^:]+:${escape(slot)}:` } as never,
      createdAt: at,
      status: "pending",
      attempts: 0,
    },
    [
      {
        $set: {
          createdAt: now,
          updatedAt: now,
          nextAttemptAt: { $cond: [{ $eq: ["$nextAttemptAt", at] }, now, "$nextAttemptAt"] },
        },
      },
    ],
  );
}

async function main(): Promise<void> {
  const { name, at: rawAt } = parse();
  const cfg = scriptConfig();
  const at = rawAt === undefined ? new Date() : dateOption("at", rawAt, cfg.TZ_NAME);
  await runScript(cfg, async () => {
    const outcome = await runJob(
      name,
      { config: cfg },
      { at, holder: `script:${hostname()}:${process.pid}`, leaseNow: new Date() },
    );
    if (outcome.ran && rawAt !== undefined) await stampQueuedNow(name, outcome.slot, at, new Date());
    for (const line of describeOutcome(outcome)) console.log(line);
    return outcome.ran || outcome.reason === "done" ? 0 : 1;
  });
}

main().catch((err: unknown) => fail(`job failed: ${err instanceof Error ? err.message : String(err)}`));
