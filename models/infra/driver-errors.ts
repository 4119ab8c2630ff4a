import mongoose from "mongoose";

/**
 * An error the MongoDB server itself returned (any subclass: write, bulk write, write concern…),
 * as opposed to a network or client-side failure. The logger keeps its code name and drops its
 * message, which may quote the document's values.
 */
export function isMongoServerError(err: unknown): err is Error & { codeName?: unknown } {
  return err instanceof mongoose.mongo.MongoServerError;
}
