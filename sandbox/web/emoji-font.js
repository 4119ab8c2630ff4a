// The bots' messages and buttons are full of emoji (📍 ✅ 🔎 ⭐). On a machine without an emoji font
// Chromium draws each as an empty box and the page looks broken; instead the page says which font to
// install. Detection: draw an emoji and a code point no font has; if they come out the same (both the
// "missing glyph" box), there is no emoji font.

/** The Debian package the hint names. */
export const EMOJI_FONT_PACKAGE = "fonts-noto-color-emoji";
export const EMOJI_INSTALL = `sudo apt install ${EMOJI_FONT_PACKAGE}`;

const PROBE = "\u{1F600}";
/** Plane 16 private use: no font on a desktop draws it, so this is the missing-glyph box. */
const NO_GLYPH = "\u{10FFFD}";

/**
 * `render(text)` → the pixels of `text` drawn the same way each time (or null when nothing can draw).
 * Missing = the emoji looks exactly like the missing glyph. Unknown (null) counts as present: no nagging.
 */
export function emojiFontMissing(render) {
  const emoji = render(PROBE);
  const none = render(NO_GLYPH);
  if (!emoji || !none || emoji.length !== none.length) return false;
  for (let i = 0; i < emoji.length; i++) if (emoji[i] !== none[i]) return false;
  return true;
}

/** Draws text on an offscreen canvas and returns its RGBA pixels. */
export function canvasRenderer(doc) {
  const size = 48;
  const canvas = doc.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) return () => null;
  return (text) => {
    ctx.clearRect(0, 0, size, size);
    ctx.font = "32px sans-serif";
    ctx.textBaseline = "top";
    ctx.fillStyle = "#000";
    ctx.fillText(text, 4, 4);
    return ctx.getImageData(0, 0, size, size).data;
  };
}

/** `?emojiFont=missing` or `=present` in the page's address decides instead (screenshots, tests). */
export function emojiFontMissingOnPage(doc, search) {
  const forced = new URLSearchParams(search).get("emojiFont");
  if (forced === "missing") return true;
  if (forced === "present") return false;
  return emojiFontMissing(canvasRenderer(doc));
}
