// Types of emoji-font.js for the TypeScript tests (the page itself is plain JS).
export const EMOJI_FONT_PACKAGE: string;
export const EMOJI_INSTALL: string;
export function emojiFontMissing(render: (text: string) => ArrayLike<number> | null): boolean;
export function canvasRenderer(doc: Document): (text: string) => ArrayLike<number> | null;
export function emojiFontMissingOnPage(doc: Document, search: string): boolean;
