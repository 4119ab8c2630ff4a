import path from "node:path";
import {
  MIGRATIONS_DIR,
  label,
  loadMigrations,
  pendingMigrations,
  runMigrations,
} from "../models/ops/migrations/index.ts";
import { fail, parseCli, progress, runScript, scriptConfig } from "./lib/cli.ts";
import { connectedDb } from "../models/infra/db.ts";

const USAGE = `Usage: npm run migrate -- [--to N] [--dry-run]

Applies the numbered schema migrations (models/ops/migrations/NNN-name.ts) not yet recorded in the
"migrations" collection, in order. One that fails stops the run and is not recorded (fix it and
run again); those before it stay applied. An applied migration never runs again.

Options:
  --to <N>        apply only up to migration number N
  --dry-run       list the pending migrations; apply nothing
  --dir <folder>  where the migrations are (default: models/ops/migrations)
  -h, --help      this text

Environment: MONGODB_URI (required).`;

async function main(): Promise<void> {
  const { values } = parseCli(USAGE, {
    to: { type: "string" },
    "dry-run": { type: "boolean" },
    dir: { type: "string" },
  });
  const to = values.to === undefined ? undefined : Number(values.to);
  if (to !== undefined && !(Number.isInteger(to) && to > 0))
    fail(`--to "${values.to}" is not a migration number (e.g. --to 3)`);
  const dir = values.dir === undefined ? MIGRATIONS_DIR : path.resolve(values.dir);
  const all = await loadMigrations(dir).catch((err: unknown) =>
    fail(`cannot load migrations from ${dir}: ${err instanceof Error ? err.message : String(err)}`),
  );
  await runScript(scriptConfig(), async () => {
    const db = connectedDb();
    const pending = await pendingMigrations(db, all, to);
    if (pending.length === 0) {
      console.log(`nothing to apply (${all.length} migration(s) known${to === undefined ? "" : `, up to ${to}`})`);
      return 0;
    }
    if (values["dry-run"]) {
      for (const m of pending) console.log(`pending ${label(m)}`);
      console.log("dry run: nothing applied");
      return 0;
    }
    const bar = progress("migrate", pending.length);
    const result = await runMigrations(db, pending, (m, summary) => {
      console.log(`applied ${label(m)}${summary ? `: ${summary}` : ""}`);
      bar.tick();
    });
    bar.done();
    if (!result.ok) {
      console.error(
        `migration ${label(result.failed)} failed: ${result.error} (not recorded; later migrations not run)`,
      );
      return 1;
    }
    return 0;
  });
}

main().catch((err: unknown) => fail(`migrate failed: ${err instanceof Error ? err.message : String(err)}`));
