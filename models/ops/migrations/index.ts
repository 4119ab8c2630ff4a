import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { mongo } from "mongoose";

/**
 * Numbered schema migrations: files `NNN-name.ts` in this folder, each exporting
 * `{ id, name, up(db) }`, applied in id order and recorded in the `migrations` collection
 * (id, name, appliedAt). A migration is recorded only after it succeeded, so a failed one runs
 * again next time: each must be idempotent.
 */
export interface Migration {
  id: number;
  name: string;
  /** Returns an optional one-line summary ("backfilled 12 reports"). */
  up(db: mongo.Db): Promise<string | void>;
}

export const MIGRATIONS_DIR = path.dirname(fileURLToPath(import.meta.url));
const FILE = /^(\d{3})-([a-z0-9-]+)\.(ts|js)$/;

function isMigration(m: unknown): m is Migration {
  const x = m as Partial<Migration> | null;
  return typeof x?.id === "number" && typeof x.name === "string" && typeof x.up === "function";
}

/** The migrations of `dir`, sorted; a file whose exports or number do not fit is an error. */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const found: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const match = FILE.exec(file);
    if (!match || file.endsWith(".d.ts")) continue;
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as Record<string, unknown>;
    const m = isMigration(mod.default) ? mod.default : mod;
    if (!isMigration(m)) throw new Error(`${file} must export id (number), name and up(db)`);
    if (m.id !== Number(match[1]) || m.name !== match[2])
      throw new Error(
        `${file} exports id ${m.id} and name "${m.name}"; expected ${Number(match[1])} and "${match[2]}"`,
      );
    if (found.some((f) => f.id === m.id)) throw new Error(`two migrations numbered ${m.id}`);
    found.push({ id: m.id, name: m.name, up: m.up });
  }
  return found;
}

export const label = (m: Pick<Migration, "id" | "name">) => `${String(m.id).padStart(3, "0")}-${m.name}`;

interface Applied {
  id: number;
  name: string;
  appliedAt: Date;
}

const applied = (db: mongo.Db) => db.collection<Applied>("migrations");

/** Not yet applied, up to `to` (inclusive) when given, in order. */
export async function pendingMigrations(db: mongo.Db, all: readonly Migration[], to?: number): Promise<Migration[]> {
  const done = new Set(
    (
      await applied(db)
        .find({}, { projection: { id: 1 } })
        .toArray()
    ).map((a) => a.id),
  );
  return all.filter((m) => !done.has(m.id) && (to === undefined || m.id <= to));
}

export type RunResult = { applied: { migration: Migration; summary: string }[] } & (
  { ok: true } | { ok: false; failed: Migration; error: string }
);

/** Applies `pending` one by one; stops at the first failure, which is not recorded. */
export async function runMigrations(
  db: mongo.Db,
  pending: readonly Migration[],
  onApplied: (m: Migration, summary: string) => void = () => undefined,
): Promise<RunResult> {
  const done: { migration: Migration; summary: string }[] = [];
  for (const m of pending) {
    let summary: string;
    try {
      summary = (await m.up(db)) ?? "";
    } catch (err) {
      return { ok: false, applied: done, failed: m, error: err instanceof Error ? err.message : String(err) };
    }
    // Recorded after success; the unique index makes a concurrent second run fail instead of doubling.
    await applied(db).createIndex({ id: 1 }, { unique: true });
    await applied(db).insertOne({ id: m.id, name: m.name, appliedAt: new Date() });
    done.push({ migration: m, summary });
    onApplied(m, summary);
  }
  return { ok: true, applied: done };
}
