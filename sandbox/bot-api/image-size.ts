// Width and height from an image's header (PNG, JPEG, GIF, WebP), for PhotoSize dimensions.
// No decoding: the emulator never resizes, it only reports what the file says.

export interface Dimensions {
  width: number;
  height: number;
  mime: string;
}

function jpeg(b: Buffer): Dimensions | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1] ?? 0;
    // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7), mime: "image/jpeg" };
    }
    i += 2 + b.readUInt16BE(i + 2);
  }
  return undefined;
}

function webp(b: Buffer): Dimensions | undefined {
  const chunk = b.toString("latin1", 12, 16);
  const mime = "image/webp";
  if (chunk === "VP8 " && b.length >= 30)
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff, mime };
  if (chunk === "VP8L" && b.length >= 25) {
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1, mime };
  }
  if (chunk === "VP8X" && b.length >= 30)
    return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1, mime };
  return undefined;
}

export function imageSize(b: Buffer): Dimensions | undefined {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47)
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), mime: "image/png" };
  if (b.length >= 10 && b.toString("latin1", 0, 4) === "GIF8")
    return { width: b.readUInt16LE(6), height: b.readUInt16LE(8), mime: "image/gif" };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpeg(b);
  if (b.length >= 16 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP") return webp(b);
  return undefined;
}
