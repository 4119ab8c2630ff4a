import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import mongoose, { Types } from "mongoose";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import sharp from "sharp";
import { storeCleanPhoto, type StoredPhoto } from "../../models/report/photos.ts";
import { tinyPhoto } from "../support/photo-bytes.ts";
import { submitReport } from "../../models/report/report-submit.ts";
import type { Manifest } from "../../models/ops/backup.ts";
import { useTestDb } from "../support/test-db.ts";
import { runScript, uriFor } from "./run-script.ts";

const { uri, dbName } = useTestDb({ cleanEach: true });
const { EJSON } = mongoose.mongo.BSON;
const T0 = new Date("2026-03-01T09:00:00Z");
const targets: string[] = [];
let dir = "";

/** A database name nobody uses yet; dropped after the file. */
function newDbName(): string {
  const name = `${dbName}_r${targets.length}`;
  targets.push(name);
  return name;
}

function db(name: string): mongoose.mongo.Db {
  return mongoose.connection.getClient().db(name);
}

const backup = (args: string[]) => runScript("backup", args, { MONGODB_URI: uriFor(uri, dbName) });
const restore = (target: string, args: string[]) => runScript("restore", args, { MONGODB_URI: uriFor(uri, target) });

/** Every document of every collection, canonical EJSON, in _id order. */
async function dump(name: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const c of await db(name).listCollections({}, { nameOnly: true }).toArray()) {
    const docs = await db(name).collection(c.name).find({}).sort({ _id: 1 }).toArray();
    out[c.name] = docs.map((d) => EJSON.stringify(d, { relaxed: false }));
  }
  return out;
}

async function photoBytes(name: string, id: Types.ObjectId): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of new mongoose.mongo.GridFSBucket(db(name), { bucketName: "photos" }).openDownloadStream(id))
    chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A picture of noise, w × w pixels: it compresses badly, so even its JPEG is large. */
async function noisePhoto(w: number): Promise<Buffer> {
  const raw = Buffer.alloc(w * w * 3);
  let x = 12345;
  for (let i = 0; i < raw.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    raw[i] = x >>> 24;
  }
  return sharp(raw, { raw: { width: w, height: w, channels: 3 } })
    .png()
    .toBuffer();
}

async function fileReport(n: number, photos: Uint8Array[]): Promise<Types.ObjectId[]> {
  const stored: StoredPhoto[] = [];
  for (const [i, bytes] of photos.entries())
    stored.push(
      await storeCleanPhoto(bytes, {
        filename: `p${n}-${i}.jpg`,
        source: { platform: "telegram", fileUniqueId: `u${n}-${i}` },
      }),
    );
  const ids = stored.map((p) => p.id);
  await submitReport({
    submissionKey: `backup-${n}`,
    platform: "telegram",
    citizen: {
      userId: 500 + n,
      chatId: 500 + n,
      name: "Sara",
      username: "sara_k",
      phone: "+989121234567",
      locale: "fa",
    },
    categoryKey: "water",
    description: `لوله آب شکسته است ${n}`,
    location: { lat: 35.83, lon: 50.99 },
    address: "خیابان آزادی",
    venueTitle: "",
    photos: stored.map((p, i) => ({
      fileId: `f${n}-${i}`,
      fileUniqueId: `u${n}-${i}`,
      gridfsId: p.id,
      mime: p.contentType,
      size: p.size,
    })),
    route: { regionKey: "", chat: { platform: "telegram", chatId: -100500 }, needsLocationCheck: false },
    now: T0,
  });
  return ids;
}

beforeEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(path.join(tmpdir(), "c137-backup-"));
});

afterAll(async () => {
  for (const name of targets)
    await db(name)
      .dropDatabase()
      .catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("npm run backup / restore (child processes)", { timeout: 120_000 }, () => {
  it("round trip into a new database: every document and every photo byte comes back, with the indexes", async () => {
    // Noise stays large as a JPEG: over 255 KB, it spans two GridFS chunks (255 KB each).
    const big = await noisePhoto(700);
    const photoIds = [...(await fileReport(1, [big, tinyPhoto(1)])), ...(await fileReport(2, [tinyPhoto(2)]))];
    const bigFile = await db(dbName).collection("photos.files").findOne({ _id: photoIds[0] });
    expect(bigFile!.length).toBeGreaterThan(255 * 1024);
    expect(await db(dbName).collection("photos.chunks").countDocuments({ files_id: photoIds[0] })).toBe(2);
    await fileReport(3, []);
    // Types plain JSON would lose: Long, Binary, Decimal128, a nested Date.
    await db(dbName)
      .collection("misc")
      .insertOne({
        _id: new Types.ObjectId(),
        n: mongoose.mongo.BSON.Long.fromString("9007199254740993"),
        bin: new mongoose.mongo.BSON.Binary(Buffer.from([0, 1, 2]), 0x80),
        uuid: new mongoose.mongo.BSON.UUID(),
        d: mongoose.mongo.BSON.Decimal128.fromString("1.10"),
        at: { when: T0 },
      });

    const out = path.join(dir, "b");
    const b = await backup(["--out", out]);
    expect(b.output).toContain(`backed up ${dbName}:`);
    expect(b.code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(out, "manifest.json"), "utf8")) as Manifest;
    const names = manifest.collections.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(["reports", "outboxes", "categories", "regions", "photos.files", "photos.chunks", "misc"]),
    );
    expect(manifest).toMatchObject({ format: 1, db: dbName });
    expect(manifest.collections.find((c) => c.name === "reports")?.count).toBe(3);
    expect(manifest.collections.find((c) => c.name === "photos.files")?.count).toBe(3);
    expect((await readdir(out)).sort()).toEqual([...names.map((n) => `${n}.jsonl`), "manifest.json"].sort());

    const target = newDbName();
    const r = await restore(target, ["--from", out]);
    expect(r.output).toContain(`counts verified`);
    expect(r.code).toBe(0);

    expect(await dump(target)).toEqual(await dump(dbName));
    for (const id of photoIds) expect((await photoBytes(target, id)).equals(await photoBytes(dbName, id))).toBe(true);
    const indexes = async (name: string) =>
      (await db(name).collection("reports").listIndexes().toArray()).map((i) => EJSON.stringify(i)).sort();
    expect(await indexes(target)).toEqual(await indexes(dbName));
  });

  it("refuses a target with documents unless --force; --force without --yes and no terminal refuses too; --force --yes replaces", async () => {
    await fileReport(1, [tinyPhoto(1)]);
    const out = path.join(dir, "b");
    expect((await backup(["--out", out])).code).toBe(0);
    // The source database itself holds the backed-up documents (plus a change made after the backup).
    await fileReport(2, []);

    const refused = await restore(dbName, ["--from", out]);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/refusing: .* already has documents in .*reports \(2\)/);
    expect(await db(dbName).collection("reports").countDocuments()).toBe(2);

    const unconfirmed = await restore(dbName, ["--from", out, "--force"]);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.output).toContain("refusing without a terminal; pass --yes to confirm");
    expect(await db(dbName).collection("reports").countDocuments()).toBe(2);

    const forced = await restore(dbName, ["--from", out, "--force", "--yes"]);
    expect(forced.code).toBe(0);
    expect(await db(dbName).collection("reports").countDocuments()).toBe(1);
  });

  it("--dry-run prints the plan and restores nothing", async () => {
    await fileReport(1, []);
    const out = path.join(dir, "b");
    expect((await backup(["--out", out])).code).toBe(0);
    const target = newDbName();
    const dry = await restore(target, ["--from", out, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.output).toMatch(/ {2}reports: 1 documents, \d+ indexes/);
    expect(dry.output).toContain(`dry run: would restore`);
    // Connecting may create the models' empty collections (mongoose autoCreate); no documents arrive.
    const counts = await Promise.all(
      (await db(target).listCollections().toArray()).map((c) => db(target).collection(c.name).countDocuments()),
    );
    expect(counts.every((n) => n === 0)).toBe(true);

    const dryForced = await restore(dbName, ["--from", out, "--dry-run", "--force"]);
    expect(dryForced.output).toMatch(/would drop .*reports/);
    expect(await db(dbName).collection("reports").countDocuments()).toBe(1);
  });

  it("--help, bad arguments, a missing backup, no MONGODB_URI: one clear line each", async () => {
    const help = await backup(["--help"]);
    expect(help.code).toBe(0);
    expect(help.output.split("\n")[0]).toBe("Usage: npm run backup -- [--out <dir>]");
    expect(help.output).toContain("writes made while the backup runs may be partially included");
    const rHelp = await restore(dbName, ["-h"]);
    expect(rHelp.code).toBe(0);
    expect(rHelp.output.split("\n")[0]).toBe("Usage: npm run restore -- --from <dir> [--force] [--yes] [--dry-run]");

    expect(await backup(["--bogus"])).toEqual({ code: 1, output: "Unknown option '--bogus' (see --help)\n" });
    expect(await restore(dbName, [])).toEqual({ code: 1, output: "--from <dir> is required (see --help)\n" });
    const missing = await restore(dbName, ["--from", path.join(dir, "nope")]);
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/manifest\.json not found: --from must be a directory written by npm run backup\n$/);
    expect(await runScript("backup", ["--out", path.join(dir, "x")], {})).toEqual({
      code: 1,
      output:
        "MONGODB_URI is not set: point it at the bot's MongoDB (in .env or the environment; the sandbox prints its URI)\n",
    });
  });
});
