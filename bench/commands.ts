// The commands-per-update bench (issue 17 §1): what the flows cost, counted at the wire. The flows
// themselves are in tests/support/command-counter.ts, shared with the test that pins their counts.
import { countCommandFlows, type CommandFlow, type CommandsResult } from "../tests/support/command-counter.ts";

export type { CommandFlow, CommandsResult };

/**
 * Five full citizen reports with a photo, one plain form step, a staff Take and a field visit, with
 * the caches the bot process runs with, then the desk idle for `idleSeconds`. The connection must be
 * made with `monitorCommands: true` (connectDb's option; bench/mongo.ts).
 */
export async function benchCommands(opts: { reports?: number; idleSeconds?: number } = {}): Promise<CommandsResult> {
  return countCommandFlows({ reports: opts.reports ?? 5, idleSeconds: opts.idleSeconds ?? 5, caches: "production" });
}

/** Table rows for bench/run.ts: [figure, value]. */
export function commandRows(c: CommandsResult): [string, string][] {
  const top = (f: CommandFlow) =>
    Object.entries(f.byKey)
      .slice(0, 8)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
  return [
    [
      `intake: ${c.intake.reports} reports, ${c.intake.updates} updates — per update (target ≤ 4.0)`,
      `${c.intake.perUpdate}`,
    ],
    ["intake: by collection.command per update", top(c.intake)],
    ["plain form step (description) (target ≤ 2)", `${c.formStep.perUpdate}`],
    ["plain form step: by collection.command", top(c.formStep)],
    [`staff Take: ${c.staffTake.updates} update(s) — per update`, `${c.staffTake.perUpdate}`],
    ["staff Take: by collection.command", top(c.staffTake)],
    [`field visit: ${c.fieldVisit.updates} updates — per update`, `${c.fieldVisit.perUpdate}`],
    ["field visit: by collection.command", top(c.fieldVisit)],
    ...(c.idle
      ? ([[`idle commands/s over ${c.idle.seconds} s (target ≤ 0.2)`, `${c.idle.perSecond}`]] as [string, string][])
      : []),
  ];
}
