import type { IncomingMessage } from "node:http";

/**
 * Reads at most `limit` bytes of a request body. Past the limit it stops keeping chunks and answers
 * null at once; the rest of the body is discarded, not buffered, until the caller's 413 (sent with
 * connection: close) ends it. Shared by the webhook and the Open311 POST.
 */
export function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  if (Number(req.headers["content-length"] ?? 0) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData).off("end", onEnd);
      req.resume();
      resolve(null);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on("data", onData).on("end", onEnd).on("error", reject);
  });
}
