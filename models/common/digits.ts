/**
 * Persian (۰-۹) and Arabic-Indic (٠-٩) digits as ASCII 0-9, in any mix: a number, code, phone or
 * date typed on a Persian keyboard (or copied from a Persian message) is the same one typed in Latin.
 */
export function latinDigits(s: string): string {
  return s.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (c) => String(c.charCodeAt(0) & 0xf));
}
