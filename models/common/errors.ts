/** Domain failures the bot turns into a message for the person (never a crash). */
export class DomainError extends Error {
  constructor(
    readonly reason:
      "not_found" | "bad_transition" | "conflict" | "rate_limited" | "unknown_category" | "visit_required",
    message: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}
