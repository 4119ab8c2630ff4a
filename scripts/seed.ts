import { readFileSync } from "node:fs";
import { applySeed, knownDepartmentKeys, planSeed, validateSeedFile, type KindPlan } from "../models/ops/seed-data.ts";
import { confirm, fail, parseCli, progress, runScript, scriptConfig } from "./lib/cli.ts";

const DEFAULT_FILE = "data-seed/karaj.json";

const USAGE = `Usage: npm run seed -- [--file ${DEFAULT_FILE}] [--dry-run] [--yes]

Upserts departments, categories and regions from a JSON file, by key. The whole file is validated
first; every problem is listed with its path in the file and nothing is written. Running it again
changes nothing. Fields a file leaves out (e.g. a region's chat) keep their database value.

File: {"departments": [{key, name: {fa, en}, chat?: {platform, chatId}}],
       "categories":  [{key, title: {fa, en}, department, slaHours, order?, active?}],
       "regions":     [{key, name: {fa, en}, boundary: GeoJSON Polygon|MultiPolygon ([lon, lat]), chat?}]}

Options:
  --file <path>   the seed file (default: ${DEFAULT_FILE}, the example Karaj-like city)
  --dry-run       list what would be inserted and updated; write nothing
  --yes           update existing documents without asking (inserting never asks)
  -h, --help      this text

Environment: MONGODB_URI (required).`;

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    fail(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    fail(`${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function describe(plans: readonly KindPlan[]): void {
  for (const p of plans) {
    for (const item of p.inserts) console.log(`insert ${p.kind}/${item.key}`);
    for (const u of p.updates) console.log(`update ${p.kind}/${u.item.key}: ${u.fields.join(", ")}`);
  }
}

const summary = (p: KindPlan, dryRun: boolean) =>
  dryRun
    ? `${p.kind}: ${p.inserts.length} to insert, ${p.updates.length} to update, ${p.unchanged} unchanged`
    : `${p.kind}: ${p.inserts.length} inserted, ${p.updates.length} updated, ${p.unchanged} unchanged`;

async function main(): Promise<void> {
  const { values } = parseCli(USAGE, {
    file: { type: "string" },
    "dry-run": { type: "boolean" },
    yes: { type: "boolean" },
  });
  const file = values.file ?? DEFAULT_FILE;
  const raw = readJson(file);
  const dryRun = values["dry-run"] ?? false;
  await runScript(scriptConfig(), async () => {
    const checked = validateSeedFile(raw, await knownDepartmentKeys());
    if (!checked.ok) {
      console.error(`${file}: ${checked.problems.length} problem(s); nothing written`);
      for (const p of checked.problems) console.error(`  ${p}`);
      return 1;
    }
    const plans = await planSeed(checked.data);
    describe(plans);
    if (dryRun) {
      for (const p of plans) console.log(summary(p, true));
      console.log("dry run: nothing written");
      return 0;
    }
    const updates = plans.reduce((n, p) => n + p.updates.length, 0);
    if (
      updates > 0 &&
      !(await confirm(`overwrite ${updates} existing document(s) with the file's values?`, values.yes ?? false))
    ) {
      console.error("nothing written");
      return 1;
    }
    const writes = plans.reduce((n, p) => n + p.inserts.length + p.updates.length, 0);
    if (writes > 0) {
      const bar = progress("seed", writes);
      await applySeed(plans, () => bar.tick());
      bar.done();
    }
    for (const p of plans) console.log(summary(p, false));
    return 0;
  });
}

main().catch((err: unknown) => fail(`seed failed: ${err instanceof Error ? err.message : String(err)}`));
