import { crc32, deflateSync } from "node:zlib";

/**
 * A real, decodable picture for tests that send "a photo": stored photos are re-encoded
 * (models/report/photo-clean.ts), so made-up bytes are refused as unreadable. Synchronous (a PNG
 * written by hand, 4×3 pixels of one colour) so fixtures can build it inline; the seed picks the
 * colour, so two seeds give two different pictures.
 */
export function tinyPhoto(seed: number | string = 0, size = { width: 4, height: 3 }): Uint8Array {
  const n = typeof seed === "number" ? seed : [...seed].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const rgb = [n & 0xff, (n >>> 8) & 0xff, ((n >>> 16) & 0xff) ^ 0x80];
  const row = Buffer.from([0, ...Array.from({ length: size.width }, () => rgb).flat()]);
  const pixels = Buffer.concat(Array.from({ length: size.height }, () => row));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size.width, 0);
  header.writeUInt32BE(size.height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.byteLength);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
