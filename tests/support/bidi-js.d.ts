// bidi-js ships no type declarations: the two calls tests/support/bidi.ts uses.
declare module "bidi-js" {
  type Levels = { levels: Uint8Array; paragraphs: Array<{ start: number; end: number; level: number }> };
  export default function bidiFactory(): {
    getEmbeddingLevels(text: string, direction?: "ltr" | "rtl" | "auto"): Levels;
    getReorderedString(text: string, levels: Levels): string;
  };
}
