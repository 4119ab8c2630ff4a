import { CALLBACK_DATA_MAX_BYTES } from "../../core/platforms.ts";
import { FAMILIES, OWNERS, type ButtonFields, type Family, type OwnedFamily } from "./families.ts";

/** A decoded button: its family and its fields. */
export type DecodedOf<F extends Family> = { [K in Family]: { family: K } & ButtonFields[K] }[F];
export type Decoded = DecodedOf<Family>;

const NAMES = Object.keys(FAMILIES) as Family[];
const BY_PREFIX = new Map<string, Family>(NAMES.map((family) => [FAMILIES[family].prefix, family]));
const PATTERNS = Object.fromEntries(
  NAMES.map((family) => [family, new RegExp(`^${FAMILIES[family].prefix}:(?:${FAMILIES[family].shape})$`)]),
) as Record<Family, RegExp>;
const OWNER_PATTERNS = Object.fromEntries(
  (Object.keys(OWNERS) as OwnedFamily[]).map((family) => [
    family,
    new RegExp(`^${FAMILIES[family].prefix}:(?:${OWNERS[family]})$`),
  ]),
) as Record<OwnedFamily, RegExp>;

const bytes = new TextEncoder();
/**
 * Data worth matching: a string within Telegram's limit. Checked at run time although the type says
 * string: an update handed straight to the bot (not through bot/intake's edge check) may carry an
 * object or a number there.
 */
const readable = (data: string | undefined): data is string =>
  typeof data === "string" && bytes.encode(data).length <= CALLBACK_DATA_MAX_BYTES;

/** The callback_data of a button. */
export function encode<F extends Family>(family: F, fields: ButtonFields[F]): string {
  const spec = FAMILIES[family];
  return `${spec.prefix}:${spec.write(fields)}`;
}

/**
 * What a press asks, if it is one of the bot's buttons with every field valid; null for anything
 * else (forged, from an older release, cut short): the press then gets the stale-button answer.
 */
export function decode(data: string | undefined): Decoded | null {
  if (!readable(data)) return null;
  const colon = data.indexOf(":");
  const family = colon > 0 ? BY_PREFIX.get(data.slice(0, colon)) : undefined;
  return family ? tagged(family, decodeAs(family, data)) : null;
}

/** The fields of a press of one family; null when the data is not a valid button of it. */
export function decodeAs<F extends Family>(family: F, data: string | undefined): ButtonFields[F] | null {
  if (!readable(data)) return null;
  const m = PATTERNS[family].exec(data);
  return m ? FAMILIES[family].read(m.slice(1)) : null;
}

/**
 * The family's valid data, for grammY's `callbackQuery(...)` (on-button.ts): data it does not match
 * goes on to the next handler, in the end the stale-button answer (handlers/citizen/stale-buttons.ts).
 */
export function buttonPattern(family: Family): RegExp {
  return PATTERNS[family];
}

/** The conversation token (form key, visit nonce) of a press, whatever its action (see OWNERS). */
export function ownerOf(family: OwnedFamily, data: string | undefined): string | null {
  if (!readable(data)) return null;
  return OWNER_PATTERNS[family].exec(data)?.[1] ?? null;
}

function tagged<F extends Family>(family: F, fields: ButtonFields[F] | null): DecodedOf<F> | null {
  // The same type spelled twice: TypeScript does not see through a mapped type indexed by a type parameter.
  return fields ? ({ family, ...fields } as DecodedOf<F>) : null;
}
