import sharp from "sharp";

/**
 * Decompression-bomb cap: a few MB of file can declare billions of pixels. 50 MP still takes a
 * 48 MP phone photo (8064 × 6048); libvips refuses anything larger before decoding it.
 */
export const MAX_INPUT_PIXELS = 50_000_000;

/**
 * What is decoded at all. SVG, PDF, RAW and the rest are not photos, and a vector or document
 * loader is more surface than a photo desk needs.
 */
const PHOTO_FORMATS: ReadonlySet<string> = new Set(["jpeg", "png", "webp", "heif", "gif", "tiff"]);

/**
 * JPEG at 85 with libjpeg-turbo's defaults, not mozjpeg: mozjpeg made files ~20% smaller but took
 * ~8× as long here (3.2 s instead of 0.4 s for 12 MP), and it runs while the citizen waits on Submit.
 */
const JPEG_QUALITY = 85;

export type UnreadableReason = "not_a_photo" | "too_many_pixels";

/** The bytes are not a photo this desk can decode (not an image, damaged, an unknown format, too many pixels). */
export class UnreadablePhotoError extends Error {
  constructor(
    readonly reason: UnreadableReason,
    options?: { cause?: unknown },
  ) {
    super(
      reason === "too_many_pixels" ? `photo over ${MAX_INPUT_PIXELS} pixels` : "bytes are not a readable photo",
      options,
    );
    this.name = "UnreadablePhotoError";
  }
}

export interface CleanedPhoto {
  data: Buffer;
  /** Always JPEG: every reader (card albums, closure photo, export) names and serves them as .jpg. */
  contentType: "image/jpeg";
  width: number;
  height: number;
}

const options = { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" } as const;

function unreadable(err: unknown): UnreadablePhotoError {
  if (err instanceof UnreadablePhotoError) return err;
  const pixels = err instanceof Error && /pixel limit/i.test(err.message);
  return new UnreadablePhotoError(pixels ? "too_many_pixels" : "not_a_photo", { cause: err });
}

/**
 * Header only (cheap, nothing decoded): throws UnreadablePhotoError for what `cleanPhoto` would
 * refuse by its format or size, so a form can say so while the person is still choosing photos.
 */
export async function checkPhoto(input: Uint8Array): Promise<void> {
  try {
    const meta = await sharp(input, options).metadata();
    if (!PHOTO_FORMATS.has(meta.format)) throw new UnreadablePhotoError("not_a_photo");
    // sharp's libheif decodes AVIF only: an HEVC HEIC (an iPhone's file) reads its header, then fails.
    if (meta.format === "heif" && meta.compression !== "av1") throw new UnreadablePhotoError("not_a_photo");
  } catch (err) {
    throw unreadable(err);
  }
}

/**
 * The photo decoded and encoded again as a fresh JPEG: EXIF (GPS position, phone model, times),
 * XMP, IPTC, ICC and comments are gone (sharp writes none unless asked), the EXIF orientation is
 * applied to the pixels (so the picture stands as taken), transparency is flattened onto white.
 * Only the first frame of an animation is kept. Throws UnreadablePhotoError; never returns the input.
 */
export async function cleanPhoto(input: Uint8Array): Promise<CleanedPhoto> {
  await checkPhoto(input);
  try {
    const { data, info } = await sharp(input, options)
      .autoOrient()
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: JPEG_QUALITY })
      .toBuffer({ resolveWithObject: true });
    return { data, contentType: "image/jpeg", width: info.width, height: info.height };
  } catch (err) {
    throw unreadable(err);
  }
}
