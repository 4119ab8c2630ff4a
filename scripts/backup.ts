import path from "node:path";
import { backupDatabase } from "../models/ops/backup.ts";
import { parseCli, progress, runScript, scriptConfig, type Progress } from "./lib/cli.ts";
import { connectedDb } from "../models/infra/db.ts";

const USAGE = `Usage: npm run backup -- [--out <dir>]

Writes every collection of the database (GridFS photos included: photos.files, photos.chunks)
to <dir>/<collection>.jsonl, one canonical Extended JSON document per line (ObjectId, Date,
Binary and Long keep their exact types), plus <dir>/manifest.json with the database name, the
time, the document count and the index specs of every collection. No mongodump needed; memory
stays constant whatever the size. Restore with: npm run restore -- --from <dir>

Consistency: on a replica set every collection is read from one snapshot (one point in time,
its cluster time recorded in the manifest). On a standalone server there are no snapshots:
writes made while the backup runs may be partially included — stop the bot first for an exact copy.

Options:
  --out <dir>   where to write (created if missing); default: backup-<UTC timestamp>/
  -h, --help    this text

Not yet: --archive (a single .tar.gz); pack the directory with tar -czf if you need one file.

Environment: MONGODB_URI (required).`;

function defaultDir(now: Date): string {
  return `backup-${now.toISOString().replace(/[:.]/g, "-")}`;
}

async function main(): Promise<void> {
  const { values } = parseCli(USAGE, { out: { type: "string" } });
  const dir = path.resolve(values.out ?? defaultDir(new Date()));
  const cfg = scriptConfig();
  await runScript(cfg, async () => {
    const db = connectedDb();
    let bar: Progress | null = null;
    const manifest = await backupDatabase(db, dir, {
      start: (name, total) => (bar = progress(name, total)),
      doc: () => bar?.tick(),
      end: () => bar?.done(),
    });
    const docs = manifest.collections.reduce((n, c) => n + c.count, 0);
    console.log(`backed up ${manifest.db}: ${manifest.collections.length} collections, ${docs} documents → ${dir}`);
    if (manifest.consistency === "none")
      console.log("standalone server: no snapshot read; writes during the backup may be partially included");
  });
}

main().catch((err: unknown) => {
  console.error(`backup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
