// Bot API errors in Telegram's own shape and wording: `{ ok: false, error_code, description,
// parameters? }`, HTTP status = error_code. The texts below are the ones the official server
// (tdlib/telegram-bot-api + TDLib) returns, so code that matches on them is exercised for real.

export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

export class BotApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
    this.name = "BotApiError";
  }

  toJSON(): { ok: false; error_code: number; description: string; parameters?: ResponseParameters } {
    return {
      ok: false,
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export const badRequest = (what: string): BotApiError => new BotApiError(400, `Bad Request: ${what}`);
export const forbidden = (what: string): BotApiError => new BotApiError(403, `Forbidden: ${what}`);
export const tooManyRequests = (retryAfter: number): BotApiError =>
  new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });

/** The wordings used in more than one place (single-use ones stay next to their check). */
export const TG = {
  unauthorized: () => new BotApiError(401, "Unauthorized"),
  notFound: () => new BotApiError(404, "Not Found"),
  internal: () => new BotApiError(500, "Internal Server Error"),
  chatIdEmpty: () => badRequest("chat_id is empty"),
  chatNotFound: () => badRequest("chat not found"),
  textEmpty: () => badRequest("message text is empty"),
  textTooLong: () => badRequest("message is too long"),
  captionTooLong: () => badRequest("message caption is too long"),
  notModified: () =>
    badRequest(
      "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    ),
  messageNotFound: (what: "message to edit" | "message to delete" | "message to be replied" | "message to get") =>
    badRequest(`${what} not found`),
  cantEdit: () => badRequest("message can't be edited"),
  wrongFileId: () => badRequest("wrong file identifier/HTTP URL specified"),
  invalidFileId: () => badRequest("invalid file_id"),
  fileTypeMismatch: () => badRequest("type of file mismatch"),
  queryTooOld: () => badRequest("query is too old and response timeout expired or query ID is invalid"),
  botBlocked: () => forbidden("bot was blocked by the user"),
  cantInitiate: () => forbidden("bot can't initiate conversation with a user"),
  required: (name: string) => badRequest(`parameter "${name}" is required`),
} as const;
