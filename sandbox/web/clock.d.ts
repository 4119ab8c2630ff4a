// Types of clock.js for the TypeScript tests (the page itself is plain JS).
export function formatTime(unixSeconds: number | string | undefined, locale: "fa" | "en", timeZone?: string): string;
export function servedTimeZone(doc: Document): string | undefined;
