import { GrammyError, HttpError } from "grammy";

/**
 * What may be stored (a row's lastError) or logged about a failure: the Bot API's code and
 * description, grammY's network message (it names the method only), else the error's class and
 * code. Never an error's free message: a validation or driver error can quote the data it choked
 * on (a citizen's text), and a request error the payload.
 */
export function errorSummary(err: unknown): string {
  if (err instanceof GrammyError) return `${err.error_code} ${err.description}`;
  if (err instanceof HttpError) return err.message;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return `${err.name}${typeof code === "string" || typeof code === "number" ? ` ${code}` : ""}`;
  }
  return typeof err;
}
