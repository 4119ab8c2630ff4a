// Server-side cursors. A query's whole result is computed up front (everything is in memory) and
// handed out in batches: 101 documents by default for the first batch, then getMore's batchSize,
// each batch also capped by size so a reply stays under the 16 MiB BSON limit.
import { Long, calculateObjectSize } from "bson";
import { MongoCommandError } from "./errors.ts";
import type { Doc } from "./doc.ts";

const DEFAULT_FIRST_BATCH = 101;
/** Leaves headroom under maxBsonObjectSize (16 MiB) for the reply envelope. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
/** mongod's cursorTimeoutMillis default. */
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  position: number;
  lastUsed: number;
}

export class CursorRegistry {
  private readonly cursors = new Map<number, OpenCursor>();
  // Start somewhere arbitrary so ids from a previous server instance are unlikely to be valid here.
  private nextId = 1 + Math.floor(Math.random() * 1_000_000) * 1000;

  get size(): number {
    return this.cursors.size;
  }

  clear(): void {
    this.cursors.clear();
  }

  /** Builds the `{cursor: {id, ns, firstBatch}}` reply, registering a cursor if documents remain. */
  open(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): Doc {
    this.reap();
    const first = takeBatch(docs, 0, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0;
    if (!singleBatch && first.length < docs.length) {
      id = this.nextId++;
      this.cursors.set(id, { ns, docs, position: first.length, lastUsed: Date.now() });
    }
    return { cursor: { firstBatch: first, id: Long.fromNumber(id), ns }, ok: 1 };
  }

  getMore(id: number, ns: string, batchSize: number | undefined): Doc {
    const cursor = this.cursors.get(id);
    if (!cursor) throw new MongoCommandError(43, `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw new MongoCommandError(
        13,
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    const batch = takeBatch(cursor.docs, cursor.position, batchSize ?? Number.MAX_SAFE_INTEGER);
    cursor.position += batch.length;
    cursor.lastUsed = Date.now();
    let replyId = id;
    if (cursor.position >= cursor.docs.length) {
      this.cursors.delete(id);
      replyId = 0;
    }
    return { cursor: { nextBatch: batch, id: Long.fromNumber(replyId), ns }, ok: 1 };
  }

  kill(ids: number[]): Doc {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.cursors.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  private reap(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [id, cursor] of this.cursors) if (cursor.lastUsed < cutoff) this.cursors.delete(id);
  }
}

function takeBatch(docs: Doc[], from: number, count: number): Doc[] {
  const batch: Doc[] = [];
  let bytes = 0;
  for (let i = from; i < docs.length && batch.length < count; i++) {
    const doc = docs[i] as Doc;
    const size = calculateObjectSize(doc);
    // Always return at least one document, otherwise a huge document would stall the cursor.
    if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
    batch.push(doc);
    bytes += size;
  }
  return batch;
}
