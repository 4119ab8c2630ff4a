// Server-side errors, shaped like mongod's so the driver and mongoose react to them as they would
// to a real server (err.code, err.codeName, keyPattern/keyValue on duplicate keys).
import type { Doc } from "./doc.ts";

const CODE_NAMES: Record<number, string> = {
  1: "InternalError",
  2: "BadValue",
  9: "FailedToParse",
  14: "TypeMismatch",
  20: "IllegalOperation",
  26: "NamespaceNotFound",
  27: "IndexNotFound",
  40: "ConflictingUpdateOperators",
  43: "CursorNotFound",
  48: "NamespaceExists",
  59: "CommandNotFound",
  66: "ImmutableField",
  67: "CannotCreateIndex",
  72: "InvalidOptions",
  73: "InvalidNamespace",
  85: "IndexOptionsConflict",
  86: "IndexKeySpecsConflict",
  115: "CommandNotSupported",
  291: "NoQueryExecutionPlans",
  11000: "DuplicateKey",
};

export function codeName(code: number): string {
  return CODE_NAMES[code] ?? `Location${code}`;
}

export class MongoCommandError extends Error {
  readonly code: number;
  /** Extra top-level reply fields (keyPattern, keyValue, ...). */
  readonly extra: Doc;

  constructor(code: number, message: string, extra: Doc = {}) {
    super(message);
    this.name = "MongoCommandError";
    this.code = code;
    this.extra = extra;
  }

  /** The `{ok: 0, ...}` command reply. */
  toReply(): Doc {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: codeName(this.code), ...this.extra };
  }

  /** The entry for a write command's `writeErrors` array. */
  toWriteError(index: number): Doc {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

export const badValue = (msg: string): MongoCommandError => new MongoCommandError(2, msg);

/** Wraps anything thrown while running a command (mingo assertions, bugs) into a command error. */
export function toCommandError(err: unknown): MongoCommandError {
  if (err instanceof MongoCommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  // mingo reports invalid queries/pipelines by throwing plain Errors: for a client that is bad input.
  return new MongoCommandError(2, message);
}

export function namespaceNotFound(ns: string): MongoCommandError {
  return new MongoCommandError(26, `ns does not exist: ${ns}`);
}
