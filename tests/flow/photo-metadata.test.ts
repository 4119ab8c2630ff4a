/**
 * Issue 16 §4: a stored photo carries nothing but its pixels. A phone's JPEG sent as a file keeps
 * its EXIF (the GPS position of the home, the phone model); what reaches GridFS is a fresh JPEG
 * with the orientation applied and no metadata. Bytes that are no picture are refused and stored nowhere.
 */
import { describe, expect, it } from "vitest";
import exifr from "exifr";
import mongoose from "mongoose";
import sharp from "sharp";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, STAFF_CHAT } from "../support/test-bot.ts";
import { fileReport, KARAJ } from "../support/intake-steps.ts";
import { NEAR_KARAJ } from "../support/visit-steps.ts";
import { Report } from "../../models/report/report.ts";
import { Region } from "../../models/geography/region.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { readPhoto, storeCleanPhoto } from "../../models/report/photos.ts";
import { CommandCounter } from "../support/command-counter.ts";
import { checkPhoto, cleanPhoto, MAX_INPUT_PIXELS, UnreadablePhotoError } from "../../models/report/photo-clean.ts";

useTestDb({ cleanEach: true });

const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const WIDE = { width: 60, height: 40 };

/**
 * A phone photo as it leaves the phone: 60×40 stored pixels, left half red and right half blue,
 * EXIF Orientation 6 (show it turned 90° clockwise), the phone's make and model and the GPS fix of
 * where it was taken.
 */
async function phoneJpeg(): Promise<Buffer> {
  const { width, height } = WIDE;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw.set(x < width / 2 ? RED : BLUE, (y * width + x) * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .withExif({
      IFD0: { Make: "Apple", Model: "iPhone 13" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "35/1 49/1 5772/100",
        GPSLongitudeRef: "E",
        GPSLongitude: "50/1 59/1 2940/100",
      },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** The pixel at (x, y) as RGB. */
async function pixel(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}

/** Near enough for JPEG: each channel within 40 of the expected colour. */
function expectColour(actual: number[], expected: number[]): void {
  actual.forEach((c, i) => expect(Math.abs(c - expected[i]!), `channel ${i} of ${actual.join(",")}`).toBeLessThan(40));
}

/** What a clean stored photo is: no EXIF of any kind, the turn applied to the pixels. */
async function expectClean(stored: Buffer): Promise<void> {
  expect(await exifr.parse(stored, true)).toBeUndefined();
  for (const tag of ["latitude", "longitude", "GPSLatitude", "Make", "Model", "Orientation"]) {
    const found: unknown = await exifr.parse(stored, [tag]);
    expect(found, tag).toBeUndefined();
  }
  const meta = await sharp(stored).metadata();
  expect(meta).toMatchObject({ format: "jpeg", width: WIDE.height, height: WIDE.width });
  expect(meta.exif).toBeUndefined();
  expect(meta.orientation).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  // Turned 90° clockwise: the left (red) half is now on top, the right (blue) half below.
  expectColour(await pixel(stored, WIDE.height / 2, 5), RED);
  expectColour(await pixel(stored, WIDE.height / 2, WIDE.width - 5), BLUE);
}

async function gridFsFiles() {
  return mongoose.connection.db!.collection("photos.files").find({}).toArray();
}

describe("stored photos carry no metadata", () => {
  it("the fixture really carries GPS, make, model and orientation (else the test below proves nothing)", async () => {
    const original = await phoneJpeg();
    const tags = (await exifr.parse(original, true)) as Record<string, unknown>;
    expect(tags).toMatchObject({ Make: "Apple", Model: "iPhone 13", Orientation: "Rotate 90 CW" });
    expect(tags.latitude).toBeCloseTo(KARAJ.lat, 3);
    expect(tags.longitude).toBeCloseTo(KARAJ.lon, 3);
    expect(await sharp(original).metadata()).toMatchObject({ width: 60, height: 40, orientation: 6 });
  });

  it("a JPEG with GPS sent as a file during a report: GridFS holds a re-encoded copy, turned upright, no EXIF; the staff chat gets that copy", async () => {
    const tb = createTestBot();
    const sara = tb.citizen(5301, { firstName: "Sara" });
    const original = await phoneJpeg();
    tb.api.addFile("phone-file", original);

    await sara.text("/new");
    await sara.press("نشت آب و فاضلاب");
    await sara.text("لوله آب جلوی مدرسه شکسته است");
    await sara.location(KARAJ.lat, KARAJ.lon);
    await sara.document("phone-file", "image/jpeg", original.byteLength);
    expect(sara.lastReply()).toContain("عکس ۱ از ۳ دریافت شد");
    await sara.press("✅ تمام");
    await sara.text("رد شدن");
    await sara.press("✅ ثبت");
    expect(sara.lastReply()).toContain("کد رهگیری");

    const r = (await Report.findOne({ "citizen.userId": 5301 }).lean())!;
    expect(r.photos).toHaveLength(1);
    const stored = await readPhoto(r.photos[0]!.gridfsId!);
    expect(stored.equals(original)).toBe(false);
    await expectClean(stored);
    const [file] = await gridFsFiles();
    expect(file).toMatchObject({ length: stored.byteLength, metadata: { contentType: "image/jpeg" } });

    // The staff chat is sent the stored copy, not the messenger's original.
    tb.api.clearCalls();
    await tb.dispatcher.drainOnce();
    const album = tb.api.callsOf("sendPhoto").find((c) => Number(c.payload.chat_id) === STAFF_CHAT)!;
    const sent = Buffer.from(Object.values(album.files)[0]!);
    expect(sent.equals(stored)).toBe(true);
  });

  it("a field visit's photo is cleaned the same way", async () => {
    const REGION_CHAT = -1002000000001;
    const OMID = 900;
    await Region.updateOne({ key: "r1" }, { $set: { chat: { platform: "telegram", chatId: REGION_CHAT } } });
    await upsertStaff({ platform: "telegram", userId: OMID, name: "Omid", role: "official", regions: ["r1"] });
    const tb = createTestBot();
    const code = await fileReport(tb, tb.citizen(5302, { firstName: "Sara" }), { location: KARAJ });
    await tb.dispatcher.drainOnce();
    const omid = tb.member(OMID, REGION_CHAT, { firstName: "Omid" });
    const dm = tb.citizen(OMID, { firstName: "Omid" });

    await omid.press("📍 ثبت بازدید");
    await dm.press("▶️ شروع بازدید");
    await dm.location(NEAR_KARAJ.lat, NEAR_KARAJ.lon, { livePeriod: 900 });
    const original = await phoneJpeg();
    tb.api.addFile("site-phone", original);
    await dm.photo("site-phone", original.byteLength);
    expect(dm.lastReply()).toContain("📷 عکس ۱ از حداکثر ۵ رسید");
    await dm.press("✔️ تمام");
    await dm.press("بدون یادداشت");
    await dm.press("خیر");
    expect(dm.lastReply()).toContain("ثبت شد");

    const r = (await Report.findOne({ code }).lean())!;
    expect(r.visits[0]!.photos).toHaveLength(1);
    await expectClean(await readPhoto(r.visits[0]!.photos[0]!));
  });

  it("a file that is no picture (damaged, or not an image at all) is refused at the photo step with a clear message; the form goes on and nothing is stored", async () => {
    const tb = createTestBot();
    const sim = tb.citizen(5303);
    // Claims to be a JPEG: the JPEG start marker, then anything.
    tb.api.addFile("broken", Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(400, 7)]));
    tb.api.addFile("text", Buffer.from("just some text, named photo.png"));
    tb.api.addFile("vector", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'));

    await sim.text("/new");
    await sim.press("فضای سبز و درختان");
    await sim.text("درخت بزرگ روی پیاده‌رو افتاده است");
    await sim.location(KARAJ.lat, KARAJ.lon);
    const refused =
      "این فایل به‌صورت تصویر باز نشد (شاید خراب است یا قالبش را نمی‌شناسیم). لطفاً آن را به‌صورت عکس بفرستید یا عکس دیگری بفرستید.";
    await sim.document("broken", "image/jpeg", 404);
    expect(sim.lastReply()).toBe(refused);
    await sim.document("text", "image/png", 30);
    expect(sim.lastReply()).toBe(refused);
    await sim.document("vector", "image/svg+xml", 60);
    expect(sim.lastReply()).toBe(refused);
    // Still at the photo step, still offered the skip button.
    const last = tb.api.callsOf("sendMessage").at(-1)!;
    expect(JSON.stringify(last.payload.reply_markup)).toContain("⏭ بدون عکس");
    await sim.press("⏭ بدون عکس");
    expect(sim.lastReply()).toContain("شماره تلفن");
    await sim.text("رد شدن");
    expect(sim.lastReply()).toContain("عکس‌ها: —");
    await sim.press("✅ ثبت");
    expect(sim.lastReply()).toContain("کد رهگیری");

    const r = (await Report.findOne({ "citizen.userId": 5303 }).lean())!;
    expect(r.photos).toEqual([]);
    expect(await gridFsFiles()).toEqual([]);
  });
});

describe("cleanPhoto", () => {
  it("turns PNG (transparency too) into an opaque JPEG; refuses what is no photo and a decompression bomb before decoding it", async () => {
    const png = await sharp({
      create: { width: 8, height: 6, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const cleaned = await cleanPhoto(png);
    expect(cleaned).toMatchObject({ contentType: "image/jpeg", width: 8, height: 6 });
    expect(await sharp(cleaned.data).metadata()).toMatchObject({ format: "jpeg", hasAlpha: false });
    // Transparent pixels become white, not black.
    expectColour(await pixel(cleaned.data, 4, 3), [255, 255, 255]);

    // 10 000 × 10 000 of one colour compresses to a few kB of PNG: over the cap, refused on its header.
    const bomb = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: "#000" } })
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true });
    expect(bomb.info.width * bomb.info.height).toBeGreaterThan(MAX_INPUT_PIXELS);
    await expect(checkPhoto(bomb.data)).rejects.toMatchObject({ reason: "too_many_pixels" });
    await expect(cleanPhoto(bomb.data)).rejects.toBeInstanceOf(UnreadablePhotoError);

    // A truncated JPEG passes the header check but not the decoding: nothing comes back.
    const whole = await phoneJpeg();
    const scanStart = whole.indexOf(Buffer.from([0xff, 0xda])); // SOS: the headers end, the pixels begin
    const truncated = whole.subarray(0, scanStart + 20);
    await expect(checkPhoto(truncated)).resolves.toBeUndefined();
    await expect(cleanPhoto(truncated)).rejects.toMatchObject({ reason: "not_a_photo" });
  });
});

describe("reading a stored photo", () => {
  it("a photo of several GridFS chunks reads back whole, in one query, as GridFS's own download gives it; a file with its first chunk gone (a delete under way) is not found", async () => {
    // Noise compresses badly: a 700×700 JPEG of it is several 255 KiB chunks.
    const noise = Buffer.from(Array.from({ length: 700 * 700 * 3 }, (_, i) => (i * 2654435761) % 251));
    const jpeg = await sharp(noise, { raw: { width: 700, height: 700, channels: 3 } })
      .jpeg({ quality: 100 })
      .toBuffer();
    const stored = await storeCleanPhoto(jpeg, {
      filename: "big.jpg",
      source: { platform: "telegram", fileUniqueId: "big" },
    });
    const chunks = mongoose.connection.db!.collection("photos.chunks");
    expect(await chunks.countDocuments({ files_id: stored.id })).toBeGreaterThan(1);
    const bucket = new mongoose.mongo.GridFSBucket(mongoose.connection.db!, { bucketName: "photos" });
    const viaGridFs: Buffer[] = [];
    for await (const c of bucket.openDownloadStream(stored.id)) viaGridFs.push(c as Buffer);
    const counter = new CommandCounter().start();
    const bytes = await readPhoto(stored.id);
    expect(counter.stop().byKey).toEqual({ "photos.chunks.find": 1 });
    expect(bytes.byteLength).toBe(stored.size);
    expect(bytes.equals(Buffer.concat(viaGridFs))).toBe(true);

    await chunks.deleteOne({ files_id: stored.id, n: 0 });
    await expect(readPhoto(stored.id)).rejects.toThrow(/not found/i);
    await expect(readPhoto(new mongoose.Types.ObjectId())).rejects.toThrow(/not found/i);
  });
});
