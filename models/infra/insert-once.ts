/*
 * "Insert, false on duplicate key": writes keyed by a deterministic or unique id, where a second
 * writer (a retry, a redelivery, a concurrent instance) must find the first one's row instead of
 * failing. The one place that knows MongoDB's duplicate-key code.
 */

const DUPLICATE_KEY = 11000;

export function isDuplicateKey(err: unknown): boolean {
  return typeof err === "object" && err !== null && "code" in err && (err as { code: unknown }).code === DUPLICATE_KEY;
}

/** Runs an inserting write (create, upsert); false when a unique key was taken already. Any other error is thrown. */
export async function insertUnlessDuplicate(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * Runs an unordered batch insert; the indexes of the documents whose key was taken already (the
 * others are written). Thrown as it came when any document failed for another reason.
 */
export async function insertManyUnlessDuplicate(write: () => Promise<unknown>): Promise<Set<number>> {
  const duplicates = new Set<number>();
  try {
    await write();
  } catch (err) {
    const writeErrors = bulkWriteErrors(err);
    if (!writeErrors || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
    for (const e of writeErrors) duplicates.add(e.index);
  }
  return duplicates;
}

/** The per-document errors of an unordered insertMany (the driver's MongoBulkWriteError), or null for any other error. */
function bulkWriteErrors(err: unknown): { index: number; code: number }[] | null {
  if (typeof err !== "object" || err === null || !("writeErrors" in err)) return null;
  const list = (err as { writeErrors: unknown }).writeErrors;
  return (Array.isArray(list) ? list : [list]).map((e: { index?: number; code?: number }) => ({
    index: e.index ?? -1,
    code: e.code ?? 0,
  }));
}
