import { DomainError } from "./errors.ts";
import { PLATFORMS, type Platform } from "./platform.ts";

/*
 * Ids and platforms reach these queries from updates, which are anyone's JSON: an id that is an
 * object (`{"$gt":0}`) would be an operator in the filter and match someone else. Every query keyed
 * by them checks them first (reads find nothing, writes throw) and sanitizes its filter as well.
 */

/** A messenger user id: a positive safe integer (Telegram and Bale ids fit in 52 bits). */
export function isUserId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

/** A chat id: a non-zero safe integer (groups are negative). */
export function isChatId(value: unknown): value is number {
  return Number.isSafeInteger(value) && value !== 0;
}

export function isPlatform(value: unknown): value is Platform {
  return (PLATFORMS as readonly unknown[]).includes(value);
}

/** Query option: operator objects in filter values are compared as values (a second belt after the checks). */
export const SANITIZED = { sanitizeFilter: true } as const;

/** The refusal of a write keyed by an id that no person has; its message names no value. */
export function invalidIdError(what: string): DomainError {
  return new DomainError("not_found", `${what}: not a messenger id`);
}
