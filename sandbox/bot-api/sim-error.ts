/** A refused simulation request: HTTP `status` with `{ error }` (not the Bot API error shape). */
export class SimError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "SimError";
  }
}
