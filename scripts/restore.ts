import path from "node:path";
import { BackupError, readManifest, type Manifest } from "../models/ops/backup.ts";
import { planRestore, restoreDatabase, verifyCounts, type PlanEntry } from "../models/ops/restore.ts";
import { confirm, fail, parseCli, progress, runScript, scriptConfig, type Progress } from "./lib/cli.ts";
import { connectedDb } from "../models/infra/db.ts";

const USAGE = `Usage: npm run restore -- --from <dir> [--force] [--yes] [--dry-run]

Puts a backup written by "npm run backup" back into the database of MONGODB_URI: creates each
collection with its indexes from the manifest, inserts the documents in batches, then checks
every collection's count against the manifest (exit 1 on a mismatch).

Refuses when any collection being restored already holds documents, unless --force: then those
collections are dropped first (asks for confirmation unless --yes).

Options:
  --from <dir>    the backup directory (with manifest.json); required
  --force         drop the backup's collections in the target before restoring
  --yes           do not ask before dropping
  --dry-run       print what would be restored and dropped; change nothing
  -h, --help      this text

Environment: MONGODB_URI (required).`;

function describe(plan: PlanEntry[], manifest: Manifest): string[] {
  const lines = [
    `backup of ${manifest.db} taken ${manifest.startedAt} (${manifest.consistency === "snapshot" ? "snapshot" : "no snapshot"})`,
  ];
  for (const p of plan)
    lines.push(
      `  ${p.name}: ${p.count} documents, ${p.indexes} indexes${p.existing > 0 ? ` (target holds ${p.existing} documents)` : ""}`,
    );
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseCli(USAGE, {
    from: { type: "string" },
    force: { type: "boolean" },
    yes: { type: "boolean" },
    "dry-run": { type: "boolean" },
  });
  if (!values.from) fail("--from <dir> is required (see --help)");
  const dir = path.resolve(values.from);
  const manifest = await readManifest(dir).catch((err: unknown) =>
    fail(err instanceof BackupError ? err.message : `cannot read the backup: ${String(err)}`),
  );
  const force = values.force ?? false;
  const cfg = scriptConfig();
  await runScript(cfg, async () => {
    const db = connectedDb();
    const plan = await planRestore(db, manifest);
    const occupied = plan.filter((p) => p.existing > 0);
    for (const line of describe(plan, manifest)) console.log(line);
    if (values["dry-run"]) {
      const drop = force && occupied.length > 0 ? `; would drop ${occupied.map((p) => p.name).join(", ")} first` : "";
      const refuse = !force && occupied.length > 0 ? "; would refuse: the target is not empty (use --force)" : "";
      console.log(
        `dry run: would restore ${plan.length} collections into ${db.databaseName}${drop}${refuse}; nothing changed`,
      );
      return 0;
    }
    if (occupied.length > 0) {
      const names = occupied.map((p) => `${p.name} (${p.existing})`).join(", ");
      if (!force) {
        console.error(
          `refusing: ${db.databaseName} already has documents in ${names}; pass --force to drop and replace them`,
        );
        return 1;
      }
      if (!(await confirm(`drop ${names} in ${db.databaseName} and restore the backup?`, values.yes ?? false)))
        return 1;
    }
    let bar: Progress | null = null;
    await restoreDatabase(
      db,
      dir,
      manifest,
      { force },
      {
        start: (name, total) => (bar = progress(name, total)),
        inserted: (n) => bar?.tick(n),
        end: () => bar?.done(),
      },
    );
    const mismatches = await verifyCounts(db, manifest);
    for (const m of mismatches)
      console.error(`count mismatch in ${m.name}: backup has ${m.expected}, database has ${m.actual}`);
    if (mismatches.length > 0) return 1;
    console.log(
      `restored ${plan.length} collections, ${plan.reduce((n, p) => n + p.count, 0)} documents into ${db.databaseName}; counts verified`,
    );
    return 0;
  });
}

main().catch((err: unknown) => {
  console.error(`restore failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
