import cron, { type ScheduledTask } from "node-cron";
import type { Config } from "../../core/config.ts";
import type { Logger } from "../../core/logger.ts";
import { JOB_NAMES, JOBS, type JobDeps, type JobName } from "./jobs.ts";
import { describeOutcome, runJob } from "./run-job.ts";

/** When each job runs (cron expressions in TZ_NAME), from the jobs table. */
export function jobSchedule(config: Config): Record<JobName, string> {
  return Object.fromEntries(JOB_NAMES.map((name) => [name, JOBS[name].schedule(config)])) as Record<JobName, string>;
}

export interface SchedulerOptions {
  deps: JobDeps;
  logger: Logger;
  /** This instance's id on the leases. */
  holder: string;
  /** Real time for lease expiry. */
  clock?: () => Date;
  /** A run queued messages: this process's outbox dispatcher sends them now, not at its next idle poll. */
  onQueued?: () => void;
}

export interface Scheduler {
  stop(): Promise<void>;
}

/** One scheduled run: the job for the tick's minute under its lease; failures are logged, never thrown into node-cron. */
export async function cronTick(opts: SchedulerOptions, job: JobName, at: Date): Promise<void> {
  const leaseNow = (opts.clock ?? (() => new Date()))();
  try {
    const outcome = await runJob(job, opts.deps, { at, holder: opts.holder, leaseNow });
    for (const line of describeOutcome(outcome)) opts.logger.info({ job }, line);
    if (outcome.ran && outcome.result.queued.length > 0) opts.onQueued?.();
  } catch (err) {
    opts.logger.error({ err, job }, "cron job failed; the next tick tries again");
  }
}

/**
 * Schedules every job with node-cron. Every instance schedules them all; on each tick the job's
 * lease for that minute decides which instance runs it, so each run happens once.
 */
export function startScheduler(opts: SchedulerOptions): Scheduler {
  const { deps, logger } = opts;
  const running = new Set<Promise<void>>();
  const schedule = jobSchedule(deps.config);
  const tasks: ScheduledTask[] = JOB_NAMES.map((job) =>
    cron.schedule(
      schedule[job],
      (ctx) => {
        const run = cronTick(opts, job, ctx.date);
        running.add(run);
        return run.finally(() => running.delete(run));
      },
      { timezone: deps.config.TZ_NAME, name: `citizen137-${job}`, noOverlap: true },
    ),
  );
  logger.info({ schedule, timezone: deps.config.TZ_NAME }, "cron jobs scheduled");
  return {
    async stop() {
      for (const task of tasks) await task.destroy();
      // Let a job in progress finish its writes before the database closes.
      await Promise.allSettled([...running]);
    },
  };
}
