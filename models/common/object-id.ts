import { Types } from "mongoose";

/*
 * Document ids, for code outside models/: handlers, scenes and renderers name ids and check the ones
 * that arrive in button data or outbox payloads without importing mongoose themselves.
 */

/** A document's id (reports, photos, visits). */
export type Id = Types.ObjectId;

/** 24 lowercase hex digits: how our own button data carries an id; anything else was forged or garbled. */
export function isHexId(value: string): boolean {
  return /^[0-9a-f]{24}$/.test(value);
}

/** A fresh id as hex: fixed (e.g. in a conversation's replay log) before the write that uses it. */
export function newHexId(): string {
  return new Types.ObjectId().toHexString();
}

/** The id a string names; throws on a malformed one, as the ObjectId constructor does. */
export function idOf(hex: string): Id {
  return new Types.ObjectId(hex);
}

/** The id, when the string is one the driver accepts (what a payload may carry); null otherwise. */
export function parseId(value: string): Id | null {
  return value !== "" && Types.ObjectId.isValid(value) ? new Types.ObjectId(value) : null;
}
