import type { IndexesDiff, mongo } from "mongoose";
import { MODELS } from "../infra/db.ts";

/**
 * Declared indexes (schema.indexes(), unique fields included) against the collections' own
 * (listIndexes), by mongoose's diffIndexes: same keys and the options that matter, names aside.
 * The _id index is never reported.
 */

type Keys = Record<string, unknown>;

/** What this needs of a mongoose model (all of MODELS fit). */
export interface IndexedModel {
  collection: Pick<mongo.Collection, "collectionName" | "createIndex" | "dropIndex">;
  diffIndexes(options?: Record<string, unknown>): Promise<IndexesDiff>;
  listIndexes(): Promise<{ name: string; key: Keys }[]>;
}

export interface IndexSpec {
  name: string;
  key: Keys;
  options: Keys;
}

export interface CollectionIndexes {
  model: IndexedModel;
  collection: string;
  missing: IndexSpec[];
  unexpected: IndexSpec[];
}

/** mongod's default name: "status_1_resolveDueAt_1". */
function defaultName(key: Keys): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${String(dir)}`)
    .join("_");
}

export async function checkIndexes(models: readonly IndexedModel[] = MODELS): Promise<CollectionIndexes[]> {
  const out: CollectionIndexes[] = [];
  for (const model of models) {
    // indexOptionsToCreate: the missing ones come as [keys, options], ready for createIndex.
    const diff = await model.diffIndexes({ indexOptionsToCreate: true });
    const toCreate = diff.toCreate as [Keys, Keys][];
    const toDrop = diff.toDrop as string[];
    const existing = toDrop.length > 0 ? await model.listIndexes() : [];
    out.push({
      model,
      collection: model.collection.collectionName,
      missing: toCreate.map(([key, options]) => ({
        name: typeof options.name === "string" ? options.name : defaultName(key),
        key,
        options,
      })),
      unexpected: toDrop.map((name) => ({ name, key: existing.find((i) => i.name === name)?.key ?? {}, options: {} })),
    });
  }
  return out;
}

export async function createIndex(c: CollectionIndexes, spec: IndexSpec): Promise<void> {
  await c.model.collection.createIndex(
    spec.key as mongo.IndexSpecification,
    spec.options as mongo.CreateIndexesOptions,
  );
}

export async function dropIndex(c: CollectionIndexes, spec: IndexSpec): Promise<void> {
  await c.model.collection.dropIndex(spec.name);
}

/** "{ unique: true }" style summary of the options that change what an index does. */
export function describeIndex(spec: IndexSpec): string {
  const opts = Object.entries(spec.options).filter(([k]) => k !== "background" && k !== "name");
  return `${spec.name} ${JSON.stringify(spec.key)}${opts.length > 0 ? ` ${JSON.stringify(Object.fromEntries(opts))}` : ""}`;
}
