import {
  checkIndexes,
  createIndex,
  describeIndex,
  dropIndex,
  type CollectionIndexes,
  type IndexSpec,
} from "../models/ops/index-check.ts";
import { confirm, fail, parseCli, progress, runScript, scriptConfig } from "./lib/cli.ts";

const USAGE = `Usage: npm run indexes -- [--apply] [--drop-unexpected] [--dry-run] [--yes]

Compares the indexes the models declare with the database's and lists missing and unexpected ones
(the bot creates its indexes at start; this finds drift and indexes added by hand).
Exit code: 0 in sync, 1 when something is missing or unexpected and was not fixed.

Options:
  --apply             create the missing indexes
  --drop-unexpected   drop the indexes no model declares (asks first unless --yes)
  --dry-run           with --apply / --drop-unexpected: say what would be done, change nothing
  --yes               drop without asking
  -h, --help          this text

Environment: MONGODB_URI (required).`;

type Step = { c: CollectionIndexes; spec: IndexSpec };

/** Runs `act` on each step with a progress count; returns how many were done. */
async function perform(
  label: string,
  steps: Step[],
  act: (c: CollectionIndexes, spec: IndexSpec) => Promise<void>,
  verb: string,
): Promise<number> {
  const bar = progress(label, steps.length);
  for (const { c, spec } of steps) {
    await act(c, spec);
    console.log(`${c.collection}: ${verb} ${spec.name}`);
    bar.tick();
  }
  bar.done();
  return steps.length;
}

async function main(): Promise<void> {
  const { values } = parseCli(USAGE, {
    apply: { type: "boolean" },
    "drop-unexpected": { type: "boolean" },
    "dry-run": { type: "boolean" },
    yes: { type: "boolean" },
  });
  const dryRun = values["dry-run"] ?? false;
  await runScript(scriptConfig(), async () => {
    const report = await checkIndexes();
    for (const c of report) {
      if (c.missing.length === 0 && c.unexpected.length === 0) console.log(`${c.collection}: in sync`);
      for (const spec of c.missing) console.log(`${c.collection}: missing ${describeIndex(spec)}`);
      for (const spec of c.unexpected) console.log(`${c.collection}: unexpected ${describeIndex(spec)}`);
    }
    const missing = report.flatMap((c) => c.missing.map((spec) => ({ c, spec })));
    const unexpected = report.flatMap((c) => c.unexpected.map((spec) => ({ c, spec })));
    let dropped = 0;
    let created = 0;
    if (values["drop-unexpected"] && unexpected.length > 0) {
      if (dryRun) for (const { c, spec } of unexpected) console.log(`${c.collection}: would drop ${spec.name}`);
      else if (await confirm(`drop ${unexpected.length} unexpected index(es)?`, values.yes ?? false))
        dropped = await perform("dropping", unexpected, dropIndex, "dropped");
    }
    // Dropped first: a declared index whose options changed is unexpected under its old definition.
    if (values.apply && missing.length > 0) {
      if (dryRun) for (const { c, spec } of missing) console.log(`${c.collection}: would create ${spec.name}`);
      else created = await perform("creating", missing, createIndex, "created");
    }
    const left = { missing: missing.length - created, unexpected: unexpected.length - dropped };
    if (left.missing === 0 && left.unexpected === 0) {
      console.log("indexes in sync");
      return 0;
    }
    console.log(
      `not in sync: ${left.missing} missing, ${left.unexpected} unexpected${dryRun ? " (dry run: nothing changed)" : ""}`,
    );
    return 1;
  });
}

main().catch((err: unknown) => fail(`indexes failed: ${err instanceof Error ? err.message : String(err)}`));
