// The in-memory MongoDB server, exercised only through the real mongodb driver, mongoose and raw
// wire messages: what passes here is what the bot's code can rely on from the test double.
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  BSON,
  Binary,
  Decimal128,
  Double,
  GridFSBucket,
  Int32,
  Long,
  MongoClient,
  MongoServerError,
  ObjectId,
} from "mongodb";
import type { CommandStartedEvent, Db } from "mongodb";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryMongoServer } from "../../sandbox/mongo/server.ts";
import { Store } from "../../sandbox/mongo/store.ts";

let server: MemoryMongoServer;
let client: MongoClient;
let dbCounter = 0;
const started: CommandStartedEvent[] = [];

/** A fresh database per test, so tests never see each other's data. */
function freshDb(): Db {
  dbCounter += 1;
  return client.db(`memtest_${process.pid}_${dbCounter}`);
}

/** Code 20 from the server, possibly wrapped by the driver's "does not support retryable writes" error. */
function transactionCode(err: unknown): number | undefined {
  const e = err as { code?: number; originalError?: { code?: number; message?: string } };
  if (e.originalError) {
    expect(e.originalError.message).toBe("Transaction numbers are only allowed on a replica set member or mongos");
    return e.originalError.code;
  }
  return e.code;
}

async function expectServerError(promise: Promise<unknown>, code: number): Promise<MongoServerError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected server error ${code}`).toBeInstanceOf(MongoServerError);
  expect((err as MongoServerError).code).toBe(code);
  return err as MongoServerError;
}

beforeAll(async () => {
  server = await MemoryMongoServer.start({ port: 0 });
  client = new MongoClient(server.uri, { monitorCommands: true, serverSelectionTimeoutMS: 5_000 });
  client.on("commandStarted", (e) => started.push(e));
  await client.connect();
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

describe("handshake and admin commands", () => {
  it("answers hello/ping/buildInfo as a standalone mongod the 7.x driver accepts", async () => {
    expect(server.uri).toBe(`mongodb://127.0.0.1:${server.port}/`);
    const admin = client.db("admin");
    expect(await admin.command({ ping: 1 })).toMatchObject({ ok: 1 });
    const hello = await admin.command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.setName).toBeUndefined();
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(hello.minWireVersion).toBe(0);
    expect(hello.logicalSessionTimeoutMinutes).toBe(30);
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(hello.localTime).toBeInstanceOf(Date);
    expect(typeof hello.connectionId).toBe("number");
    expect((await admin.command({ isMaster: 1 })).ismaster).toBe(true);
    const info = await admin.command({ buildInfo: 1 });
    expect(info.version).toMatch(/^7\./);
    const params = await admin.command({ getParameter: 1, featureCompatibilityVersion: 1 });
    expect(params.featureCompatibilityVersion).toEqual({ version: "7.0" });
    expect((await admin.command({ serverStatus: 1 })).connections.current).toBeGreaterThan(0);
  });

  it("works with a plain URI and default options (no directConnection)", async () => {
    const plain = new MongoClient(server.uri);
    try {
      await plain.connect();
      await plain.db("plain_opts").collection("c").insertOne({ ok: true });
      expect(await plain.db("plain_opts").collection("c").countDocuments()).toBe(1);
    } finally {
      await plain.close();
    }
  });

  it("replies to unknown commands with CommandNotFound and keeps the connection usable", async () => {
    const err = await expectServerError(client.db("admin").command({ frobnicate: 1 }), 59);
    expect(err.codeName).toBe("CommandNotFound");
    expect(err.message).toBe("no such command: 'frobnicate'");
    expect(await client.db("admin").command({ ping: 1 })).toMatchObject({ ok: 1 });
  });

  it("refuses transactions with the standalone error (code 20), without retrying forever", async () => {
    const col = freshDb().collection("tx");
    const session = client.startSession();
    try {
      const err: unknown = await session
        .withTransaction(async () => {
          await col.insertOne({ a: 1 }, { session });
        })
        .catch((e: unknown) => e);
      // The driver rewraps code 20 for writes exactly as it does against a real standalone mongod.
      expect(err).toBeInstanceOf(MongoServerError);
      expect(transactionCode(err)).toBe(20);
    } finally {
      await session.endSession();
    }
    expect(await col.countDocuments()).toBe(0);
    const raw = await expectServerError(
      client
        .db("admin")
        .command({ find: "x", startTransaction: true, autocommit: false, txnNumber: Long.fromNumber(1) }),
      20,
    );
    expect(raw.message).toBe("Transaction numbers are only allowed on a replica set member or mongos");
  });

  it("manages databases and collections", async () => {
    const db = freshDb();
    await db.createCollection("alpha");
    await db.collection("beta").insertOne({ x: 1 });
    await expectServerError(db.createCollection("alpha"), 48);
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).toEqual(["alpha", "beta"]);
    const filtered = await db.listCollections({ name: "beta" }).toArray();
    expect(filtered).toHaveLength(1);
    expect(filtered[0]).toMatchObject({ name: "beta", type: "collection" });
    const dbs = await client.db("admin").admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain(db.databaseName);

    await client.db("admin").command({ renameCollection: `${db.databaseName}.beta`, to: `${db.databaseName}.gamma` });
    expect(await db.collection("gamma").findOne({}, { projection: { _id: 0 } })).toEqual({ x: 1 });
    expect(await db.collection("gamma").drop()).toBe(true);
    expect(await db.collection("never-existed").drop()).toBe(true);
    expect((await db.stats()).collections).toBe(1);
    await db.dropDatabase();
    const after = await client.db("admin").admin().listDatabases();
    expect(after.databases.map((d) => d.name)).not.toContain(db.databaseName);
  });
});

describe("CRUD through the driver", () => {
  it("finds with filter, projection, sort, skip and limit; ObjectId and Date compare by value", async () => {
    const col = freshDb().collection("people");
    const ids = [new ObjectId(), new ObjectId(), new ObjectId()];
    await col.insertMany([
      { _id: ids[0], name: "Sara", age: 31, joined: new Date("2024-03-01"), tags: ["a", "b"] },
      { _id: ids[1], name: "Omid", age: 25, joined: new Date("2023-01-15"), tags: ["b"] },
      { _id: ids[2], name: "Lale", age: 40, joined: new Date("2025-07-30"), tags: [] },
    ]);
    // A different ObjectId instance with the same value must match.
    expect(await col.findOne({ _id: new ObjectId(ids[1]!.toHexString()) })).toMatchObject({ name: "Omid" });
    const byIn = await col.find({ _id: { $in: [new ObjectId(ids[0]!.toHexString()), ids[2]!] } }).toArray();
    expect(byIn.map((d) => d.name).sort()).toEqual(["Lale", "Sara"]);
    const byDate = await col
      .find({}, { projection: { _id: 0, name: 1 } })
      .sort({ joined: 1 })
      .toArray();
    expect(byDate).toEqual([{ name: "Omid" }, { name: "Sara" }, { name: "Lale" }]);
    expect((await col.find().sort({ $natural: -1 }).toArray()).map((d) => d.name)).toEqual(["Lale", "Omid", "Sara"]);
    const page = await col
      .find({ age: { $gte: 25 } })
      .sort({ age: -1 })
      .skip(1)
      .limit(1)
      .toArray();
    expect(page.map((d) => d.name)).toEqual(["Sara"]);
    expect(await col.countDocuments({ tags: "b" })).toBe(2);
    expect(await col.countDocuments({ joined: { $gt: new Date("2024-01-01") } })).toBe(2);
    expect(await col.find({ name: { $regex: "^s", $options: "i" } }).toArray()).toHaveLength(1);
    expect(
      await col
        .find({}, { collation: { locale: "en", strength: 2 } })
        .sort({ name: 1 })
        .toArray(),
    ).toHaveLength(3);
    const excluded = await col.findOne({ name: "Sara" }, { projection: { tags: 0, joined: 0 } });
    expect(Object.keys(excluded ?? {}).sort()).toEqual(["_id", "age", "name"]);
  });

  it("round-trips BSON types faithfully", async () => {
    const col = freshDb().collection("types");
    const big = Long.fromString("1152921504606846976");
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const { insertedId } = await col.insertOne({
      int: new Int32(7),
      double: new Double(1.5),
      long: Long.fromNumber(2 ** 40),
      bigLong: big,
      dec: Decimal128.fromString("12345.6789"),
      bin: new Binary(bytes),
      uuid: new Binary(Buffer.alloc(16, 7), 4),
      when: new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)),
      nested: { list: [1, "two", { three: 3 }], empty: {} },
      nil: null,
      flag: false,
    });
    const doc = await col.findOne({ _id: insertedId }, { promoteLongs: false });
    expect(doc?._id).toBeInstanceOf(ObjectId);
    expect(doc?.int).toBe(7);
    expect(doc?.double).toBe(1.5);
    // int64 values that fit in 53 bits are kept as JS numbers (see README "Known gaps").
    expect(Number(doc?.long)).toBe(2 ** 40);
    expect((doc?.bigLong as Long).toString()).toBe(big.toString());
    expect((doc?.dec as Decimal128).toString()).toBe("12345.6789");
    expect(Buffer.from((doc?.bin as Binary).buffer).equals(bytes)).toBe(true);
    expect((doc?.uuid as Binary).sub_type).toBe(4);
    expect((doc?.when as Date).toISOString()).toBe("2025-01-02T03:04:05.006Z");
    expect(doc?.nested).toEqual({ list: [1, "two", { three: 3 }], empty: {} });
    expect(doc?.nil).toBeNull();
    expect(doc?.flag).toBe(false);
    expect(await col.countDocuments({ bigLong: big })).toBe(1);
  });

  it("batches cursors: 101 first, getMore with batchSize, early close kills the cursor", async () => {
    const col = freshDb().collection("many");
    await col.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    started.length = 0;
    const all = await col.find({}).sort({ i: 1 }).toArray();
    expect(all).toHaveLength(250);
    expect(all[249]?.i).toBe(249);
    const getMores = started.filter((e) => e.commandName === "getMore");
    expect(getMores.length).toBeGreaterThanOrEqual(1);

    started.length = 0;
    const batched = await col.find({}, { batchSize: 40 }).toArray();
    expect(batched).toHaveLength(250);
    expect(started.filter((e) => e.commandName === "getMore")).toHaveLength(6);

    const first = await client
      .db(col.dbName)
      .command({ find: "many", filter: {}, batchSize: 10 }, { promoteLongs: false });
    expect(first.cursor.firstBatch).toHaveLength(10);
    expect(first.cursor.id).toBeInstanceOf(Long);
    expect(first.cursor.id.isZero()).toBe(false);
    const more = await client
      .db(col.dbName)
      .command({ getMore: first.cursor.id, collection: "many", batchSize: 500 }, { promoteLongs: false });
    expect(more.cursor.nextBatch).toHaveLength(240);
    expect(more.cursor.id.isZero()).toBe(true);
    await expectServerError(client.db(col.dbName).command({ getMore: first.cursor.id, collection: "many" }), 43);

    const cursor = col.find({}, { batchSize: 5 });
    await cursor.next();
    started.length = 0;
    await cursor.close();
    expect(started.map((e) => e.commandName)).toContain("killCursors");

    const limited = await client
      .db(col.dbName)
      .command({ find: "many", filter: {}, limit: 3 }, { promoteLongs: false });
    expect(limited.cursor.firstBatch).toHaveLength(3);
    expect(limited.cursor.id.isZero()).toBe(true);
  });

  it("updates: multi, upsert with $setOnInsert, replacement, arrayFilters, positional $", async () => {
    const col = freshDb().collection("updates");
    await col.insertMany([
      {
        k: "a",
        n: 1,
        items: [
          { id: 1, qty: 1 },
          { id: 2, qty: 5 },
        ],
      },
      { k: "b", n: 1, items: [] },
      { k: "c", n: 2, items: [] },
    ]);
    const many = await col.updateMany({ n: 1 }, { $inc: { n: 10 }, $set: { touched: true } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    const same = await col.updateOne({ k: "c" }, { $set: { n: 2 } });
    expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 0 });

    const up = await col.updateOne(
      { k: "d", "meta.region": 7, n: { $gt: 0 } },
      { $set: { status: "new" }, $setOnInsert: { createdBy: "upsert" }, $inc: { hits: 1 } },
      { upsert: true },
    );
    expect(up.upsertedCount).toBe(1);
    expect(up.upsertedId).toBeInstanceOf(ObjectId);
    const inserted = await col.findOne({ _id: up.upsertedId! }, { projection: { _id: 0 } });
    expect(inserted).toEqual({ k: "d", meta: { region: 7 }, status: "new", createdBy: "upsert", hits: 1 });
    const again = await col.updateOne(
      { k: "d" },
      { $set: { status: "seen" }, $setOnInsert: { createdBy: "other" } },
      { upsert: true },
    );
    expect(again).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await col.findOne({ k: "d" })).toMatchObject({ status: "seen", createdBy: "upsert" });

    const customId = await col.updateOne({ _id: "fixed-id" as never }, { $set: { v: 1 } }, { upsert: true });
    expect(customId.upsertedId).toBe("fixed-id");

    const replaced = await col.replaceOne({ k: "b" }, { k: "b", replaced: true });
    expect(replaced.modifiedCount).toBe(1);
    const b = await col.findOne({ k: "b" });
    expect(b && Object.keys(b).sort()).toEqual(["_id", "k", "replaced"]);

    await col.updateOne({ k: "a" }, { $set: { "items.$[it].qty": 0 } }, { arrayFilters: [{ "it.qty": { $gt: 2 } }] });
    await col.updateOne({ k: "a", "items.id": 1 }, { $inc: { "items.$.qty": 100 } });
    expect((await col.findOne({ k: "a" }))?.items).toEqual([
      { id: 1, qty: 101 },
      { id: 2, qty: 0 },
    ]);

    await col.updateOne({ k: "c" }, [{ $set: { doubled: { $multiply: ["$n", 2] } } }]);
    expect((await col.findOne({ k: "c" }))?.doubled).toBe(4);

    await expectServerError(col.updateOne({ k: "c" }, { $set: { _id: new ObjectId() } }), 66);
    await expectServerError(col.updateOne({ k: "c" }, { $frob: { a: 1 } } as never), 9);
  });

  it("positional $ on several fields of one element: the element the filter matched before the update, as mongod", async () => {
    const col = freshDb().collection("positional");
    const rows = () => [
      { id: "a", lock: 9, who: "x", n: 1 },
      { id: "b", lock: 1, who: "x", n: 1 },
      { id: "c", lock: 2, who: "x", n: 1 },
    ];
    await col.insertOne({ _id: "doc" as never, rows: rows() });
    // The update moves `lock` out of the filter's range: the fields after the first still go to that element.
    const after = await col.findOneAndUpdate(
      { _id: "doc" as never, rows: { $elemMatch: { lock: { $lte: 5 }, id: { $nin: ["z"] } } } },
      { $set: { "rows.$.lock": 50, "rows.$.who": "me" }, $inc: { "rows.$.n": 1 } },
      { returnDocument: "after" },
    );
    expect(after?.rows).toEqual([
      { id: "a", lock: 9, who: "x", n: 1 },
      { id: "b", lock: 50, who: "me", n: 2 },
      { id: "c", lock: 2, who: "x", n: 1 },
    ]);
    // A dotted condition on the array picks the element too.
    await col.updateOne({ _id: "doc" as never, "rows.id": "c" }, { $set: { "rows.$.who": "y", "rows.$.lock": 0 } });
    expect((await col.findOne({ _id: "doc" as never }))?.rows[2]).toEqual({ id: "c", lock: 0, who: "y", n: 1 });
    // No condition on the array: mongod's BadValue, nothing changed.
    await expectServerError(col.updateOne({ _id: "doc" as never }, { $set: { "rows.$.who": "q", "rows.$.n": 0 } }), 2);
    expect((await col.findOne({ _id: "doc" as never }))?.rows[0]).toEqual({ id: "a", lock: 9, who: "x", n: 1 });
  });

  it("deletes one or many, and findOneAndUpdate/Delete return the right documents", async () => {
    const col = freshDb().collection("fam");
    await col.insertMany([
      { g: 1, v: 3 },
      { g: 1, v: 1 },
      { g: 1, v: 2 },
      { g: 2, v: 9 },
    ]);
    expect((await col.deleteOne({ g: 1 })).deletedCount).toBe(1);
    expect(await col.countDocuments({ g: 1 })).toBe(2);

    const before = await col.findOneAndUpdate({ g: 1 }, { $set: { picked: true } }, { sort: { v: -1 } });
    expect(before).toMatchObject({ v: 2 });
    expect(before?.picked).toBeUndefined();
    const after = await col.findOneAndUpdate(
      { g: 1 },
      { $inc: { v: 10 } },
      { sort: { v: 1 }, returnDocument: "after", projection: { _id: 0, v: 1 } },
    );
    expect(after).toEqual({ v: 11 });
    const upserted = await col.findOneAndUpdate(
      { g: 3 },
      { $set: { v: 0 }, $setOnInsert: { origin: "fam" } },
      { upsert: true, returnDocument: "after", includeResultMetadata: true },
    );
    expect(upserted.value).toMatchObject({ g: 3, v: 0, origin: "fam" });
    expect(upserted.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(upserted.lastErrorObject?.upserted).toBeInstanceOf(ObjectId);
    expect(await col.findOneAndUpdate({ g: 99 }, { $set: { v: 1 } })).toBeNull();

    const removed = await col.findOneAndDelete({ g: 2 });
    expect(removed).toMatchObject({ v: 9 });
    expect((await col.deleteMany({ g: 1 })).deletedCount).toBe(2);
    expect(await col.countDocuments()).toBe(1);
    await col.insertOne({ fast: true }, { writeConcern: { w: 0 } });
    await expect.poll(() => col.countDocuments({ fast: true })).toBe(1);
  });

  it("counts, distinct, aggregates (group/sort/count/project/lookup/unwind) and $out", async () => {
    const db = freshDb();
    const reports = db.collection("reports");
    const regions = db.collection("regions");
    await regions.insertMany([
      { _id: 1 as never, name: "North" },
      { _id: 2 as never, name: "South" },
    ]);
    await reports.insertMany([
      { region: 1, status: "new", tags: ["light"] },
      { region: 1, status: "resolved", tags: ["light", "road"] },
      { region: 2, status: "new", tags: ["water"] },
      { region: 2, status: "new", tags: [] },
    ]);
    expect(await reports.estimatedDocumentCount()).toBe(4);
    expect(await reports.countDocuments({ status: "new" })).toBe(3);
    expect(await reports.countDocuments({}, { skip: 1, limit: 2 })).toBe(2);
    expect((await reports.distinct("tags")).sort()).toEqual(["light", "road", "water"]);
    expect((await reports.distinct("region", { status: "new" })).sort()).toEqual([1, 2]);

    const perRegion = await reports
      .aggregate([
        { $match: { status: "new" } },
        { $group: { _id: "$region", n: { $sum: 1 } } },
        { $lookup: { from: "regions", localField: "_id", foreignField: "_id", as: "region" } },
        { $unwind: "$region" },
        { $project: { _id: 0, name: "$region.name", n: 1 } },
        { $sort: { n: -1, name: 1 } },
      ])
      .toArray();
    expect(perRegion).toEqual([
      { n: 2, name: "South" },
      { n: 1, name: "North" },
    ]);
    expect(await reports.aggregate([{ $match: { region: 1 } }, { $count: "total" }]).toArray()).toEqual([{ total: 2 }]);
    // Aggregation must not leak changes into stored documents.
    await reports.aggregate([{ $set: { "tags.0": "changed", status: "x" } }]).toArray();
    expect(await reports.countDocuments({ status: "x" })).toBe(0);

    await reports
      .aggregate([{ $match: { status: "new" } }, { $project: { region: 1 } }, { $out: "open_reports" }])
      .toArray();
    expect(await db.collection("open_reports").countDocuments()).toBe(3);

    const explained = await reports.find({ status: "new" }).explain("executionStats");
    expect(explained.executionStats).toMatchObject({ nReturned: 3, totalDocsExamined: 4 });
  });
});

describe("unique indexes", () => {
  it("rejects duplicates with E11000, keyPattern and keyValue; _id is always unique", async () => {
    const col = freshDb().collection("users");
    await col.createIndex({ email: 1 }, { unique: true });
    await col.insertOne({ email: "a@x.ir" });
    const err = await expectServerError(col.insertOne({ email: "a@x.ir" }), 11000);
    expect(err.message).toBe(
      `E11000 duplicate key error collection: ${col.dbName}.users index: email_1 dup key: { email: "a@x.ir" }`,
    );
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: "a@x.ir" });

    const id = new ObjectId();
    await col.insertOne({ _id: id, email: "b@x.ir" });
    const idErr = await expectServerError(col.insertOne({ _id: id, email: "c@x.ir" }), 11000);
    expect(idErr.message).toContain(`index: _id_ dup key: { _id: ObjectId('${id.toHexString()}') }`);

    // Updates and upserts are checked too, and a failed update leaves the document alone.
    await expectServerError(col.updateOne({ _id: id }, { $set: { email: "a@x.ir" } }), 11000);
    expect(await col.findOne({ _id: id })).toMatchObject({ email: "b@x.ir" });
    await expectServerError(col.findOneAndUpdate({ nope: 1 }, { $set: { email: "a@x.ir" } }, { upsert: true }), 11000);
    // Non-sparse unique index: a missing field counts as null, so only one document may lack it.
    await col.insertOne({ name: "no email" });
    const nullErr = await expectServerError(col.insertOne({ name: "also none" }), 11000);
    expect(nullErr.keyValue).toEqual({ email: null });
    // Changing the value frees the old key.
    await col.updateOne({ email: "a@x.ir" }, { $set: { email: "z@x.ir" } });
    await col.insertOne({ email: "a@x.ir" });
    expect(await col.countDocuments()).toBe(4);
  });

  it("enforces compound, sparse and partial unique indexes; ordered vs unordered batches", async () => {
    const col = freshDb().collection("staff");
    await col.createIndexes([
      { key: { platform: 1, userId: 1 }, unique: true },
      { key: { code: 1 }, unique: true, sparse: true },
      { key: { phone: 1 }, unique: true, partialFilterExpression: { active: true } },
    ]);
    await col.insertMany([
      { platform: "tg", userId: 1 },
      { platform: "bale", userId: 1 },
      { platform: "tg", userId: 2 },
    ]);
    const compound = await expectServerError(col.insertOne({ platform: "tg", userId: 1 }), 11000);
    expect(compound.keyPattern).toEqual({ platform: 1, userId: 1 });
    expect(compound.keyValue).toEqual({ platform: "tg", userId: 1 });
    // Sparse: documents without `code` do not collide; the two inserts above already lack it.
    await col.insertOne({ platform: "tg", userId: 3, code: "X1" });
    await expectServerError(col.insertOne({ platform: "tg", userId: 4, code: "X1" }), 11000);
    // Partial: only active documents are indexed.
    await col.insertMany([
      { platform: "p", userId: 1, phone: "0912", active: false },
      { platform: "p", userId: 2, phone: "0912", active: true },
    ]);
    await expectServerError(col.insertOne({ platform: "p", userId: 3, phone: "0912", active: true }), 11000);

    const ordered = await col
      .insertMany(
        [
          { platform: "o", userId: 1 },
          { platform: "o", userId: 1 },
          { platform: "o", userId: 2 },
        ],
        { ordered: true },
      )
      .catch((e: unknown) => e as MongoServerError & { insertedCount: number; writeErrors: unknown[] });
    expect(ordered).toMatchObject({ code: 11000, insertedCount: 1 });
    expect(await col.countDocuments({ platform: "o" })).toBe(1);
    const unordered = await col
      .insertMany(
        [
          { platform: "u", userId: 1 },
          { platform: "u", userId: 1 },
          { platform: "u", userId: 2 },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e as MongoServerError & { insertedCount: number });
    expect(unordered).toMatchObject({ code: 11000, insertedCount: 2 });
    expect(await col.countDocuments({ platform: "u" })).toBe(2);

    // A compound unique index treats missing fields as null: two documents lacking both collide.
    await col.insertOne({ dup: 1 });
    const missing = await expectServerError(col.insertOne({ dup: 1 }), 11000);
    expect(missing.keyValue).toEqual({ platform: null, userId: null });

    // Building a unique index over existing duplicates fails and leaves no index behind.
    const plain = freshDb().collection("plain");
    await plain.insertMany([{ dup: 1 }, { dup: 1 }]);
    await expectServerError(plain.createIndex({ dup: 1 }, { unique: true }), 11000);
    expect((await plain.listIndexes().toArray()).map((i) => i.name)).toEqual(["_id_"]);
  });

  it("lists, re-creates idempotently and drops indexes", async () => {
    const col = freshDb().collection("idx");
    expect(await col.createIndex({ a: 1 }, { name: "a_idx", expireAfterSeconds: 3600 })).toBe("a_idx");
    expect(await col.createIndex({ a: 1 }, { name: "a_idx", expireAfterSeconds: 3600 })).toBe("a_idx");
    await expectServerError(col.createIndex({ a: 1 }, { name: "a_idx", expireAfterSeconds: 60 }), 85);
    await expectServerError(col.createIndex({ b: 1 }, { name: "a_idx" }), 86);
    const listed = await col.listIndexes().toArray();
    expect(listed).toEqual([
      { v: 2, key: { _id: 1 }, name: "_id_" },
      { v: 2, key: { a: 1 }, name: "a_idx", expireAfterSeconds: 3600 },
    ]);
    await col.dropIndex("a_idx");
    await expectServerError(col.dropIndex("a_idx"), 27);
    await expectServerError(freshDb().collection("none").listIndexes().toArray(), 26);
  });
});

describe("geo queries", () => {
  // Tehran-ish points, [lng, lat].
  const azadi = [51.3379, 35.6997];
  const milad = [51.3753, 35.7448];
  const tajrish = [51.4339, 35.8049];
  const isfahan = [51.6776, 32.6546];

  async function seeded(): Promise<Db> {
    const db = freshDb();
    const col = db.collection("places");
    expect(await col.createIndex({ location: "2dsphere" })).toBe("location_2dsphere");
    await col.insertMany([
      { name: "azadi", category: "road", status: "new", location: { type: "Point", coordinates: azadi } },
      { name: "milad", category: "road", status: "done", location: { type: "Point", coordinates: milad } },
      { name: "tajrish", category: "light", status: "new", location: { type: "Point", coordinates: tajrish } },
      { name: "isfahan", category: "road", status: "new", location: { type: "Point", coordinates: isfahan } },
      { name: "nowhere", category: "road", status: "new" },
    ]);
    return db;
  }

  it("lists the 2dsphere index and sorts $near results by distance within $maxDistance", async () => {
    const col = (await seeded()).collection("places");
    const indexes = await col.listIndexes().toArray();
    expect(indexes.find((i) => i.name === "location_2dsphere")).toMatchObject({
      key: { location: "2dsphere" },
      "2dsphereIndexVersion": 3,
    });
    const near = await col
      .find({ location: { $near: { $geometry: { type: "Point", coordinates: azadi }, $maxDistance: 20_000 } } })
      .toArray();
    expect(near.map((d) => d.name)).toEqual(["azadi", "milad", "tajrish"]);
    const ring = await col
      .find({
        location: {
          $nearSphere: { $geometry: { type: "Point", coordinates: azadi }, $minDistance: 1_000, $maxDistance: 500_000 },
        },
      })
      .toArray();
    expect(ring.map((d) => d.name)).toEqual(["milad", "tajrish", "isfahan"]);
    const combined = await col
      .find({
        category: "road",
        status: { $in: ["new", "assigned"] },
        location: { $near: { $geometry: { type: "Point", coordinates: tajrish } } },
      })
      .toArray();
    expect(combined.map((d) => d.name)).toEqual(["azadi", "isfahan"]);
  });

  it("requires a geo index for $near, as mongod does", async () => {
    const col = freshDb().collection("noindex");
    await col.insertOne({ location: { type: "Point", coordinates: azadi } });
    await expectServerError(
      col.find({ location: { $near: { $geometry: { type: "Point", coordinates: azadi } } } }).toArray(),
      291,
    );
  });

  it("supports $geoWithin with $centerSphere, $box, $polygon and a GeoJSON Polygon", async () => {
    const col = (await seeded()).collection("places");
    const names = async (filter: object): Promise<string[]> =>
      (await col.find(filter).toArray()).map((d) => d.name as string).sort();
    // 10 km around Azadi tower, radius in radians.
    expect(await names({ location: { $geoWithin: { $centerSphere: [azadi, 10 / 6378.1] } } })).toEqual([
      "azadi",
      "milad",
    ]);
    expect(
      await names({
        location: {
          $geoWithin: {
            $box: [
              [51.3, 35.6],
              [51.4, 35.76],
            ],
          },
        },
      }),
    ).toEqual(["azadi", "milad"]);
    expect(
      await names({
        location: {
          $geoWithin: {
            $polygon: [
              [51.3, 35.6],
              [51.5, 35.6],
              [51.5, 35.9],
              [51.3, 35.9],
            ],
          },
        },
      }),
    ).toEqual(["azadi", "milad", "tajrish"]);
    const polygon = {
      type: "Polygon",
      coordinates: [
        [
          [51.4, 35.7],
          [51.5, 35.7],
          [51.5, 35.9],
          [51.4, 35.9],
          [51.4, 35.7],
        ],
      ],
    };
    expect(await names({ location: { $geoWithin: { $geometry: polygon } } })).toEqual(["tajrish"]);
    expect(
      await names({ status: "new", $or: [{ location: { $geoWithin: { $geometry: polygon } } }, { name: "isfahan" }] }),
    ).toEqual(["isfahan", "tajrish"]);
    expect(await names({ location: { $geoIntersects: { $geometry: polygon } } })).toEqual(["tajrish"]);
    expect(await col.countDocuments({ location: { $geoWithin: { $centerSphere: [azadi, 10 / 6378.1] } } })).toBe(2);
  });

  it("handles legacy coordinate pairs and the $geoNear aggregation stage", async () => {
    const db = await seeded();
    const legacy = db.collection("legacy");
    await legacy.createIndex({ pos: "2d" });
    await legacy.insertMany([
      { n: 1, pos: [0, 0] },
      { n: 2, pos: [3, 4] },
      { n: 3, pos: [10, 10] },
    ]);
    const near = await legacy.find({ pos: { $near: [0, 0], $maxDistance: 6 } }).toArray();
    expect(near.map((d) => d.n)).toEqual([1, 2]);
    expect(
      (
        await legacy
          .find({
            pos: {
              $geoWithin: {
                $box: [
                  [1, 1],
                  [11, 11],
                ],
              },
            },
          })
          .toArray()
      ).map((d) => d.n),
    ).toEqual([2, 3]);

    const places = db.collection("places");
    const stage = await places
      .aggregate([
        {
          $geoNear: {
            near: { type: "Point", coordinates: azadi },
            distanceField: "dist",
            maxDistance: 20_000,
            query: { category: "road" },
          },
        },
        { $project: { _id: 0, name: 1, dist: { $round: ["$dist", 0] } } },
      ])
      .toArray();
    expect(stage.map((d) => d.name)).toEqual(["azadi", "milad"]);
    expect(stage[0]?.dist).toBe(0);
    // Haversine with R = 6378.1 km: Azadi → Milad tower is about 5.9 km.
    expect(stage[1]?.dist).toBeGreaterThan(5_800);
    expect(stage[1]?.dist).toBeLessThan(6_100);
  });

  it("refuses documents a 2dsphere index cannot read (code 16755)", async () => {
    const col = (await seeded()).collection("places");
    await expectServerError(col.insertOne({ location: { type: "Point", coordinates: [] } }), 16755);
    await expectServerError(col.insertOne({ location: { type: "Point", coordinates: [35.7, 191] } }), 16755);
    await expectServerError(col.updateOne({ name: "azadi" }, { $set: { location: { coordinates: [1, 2] } } }), 16755);
    expect(await col.countDocuments({ name: "azadi", "location.type": "Point" })).toBe(1);
  });
});

describe("GridFS", () => {
  it("uploads 3 MB, downloads it byte-equal, finds and deletes the file", async () => {
    const db = freshDb();
    const bucket = new GridFSBucket(db, { bucketName: "photos" });
    const data = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 8)) & 0xff;
    const upload = bucket.openUploadStream("pothole.jpg", { metadata: { reportId: "R-1" } });
    upload.end(data);
    await once(upload, "finish");
    const files = await bucket.find({ filename: "pothole.jpg" }).toArray();
    expect(files).toHaveLength(1);
    expect(files[0]?.length).toBe(data.length);
    expect(files[0]?.metadata).toEqual({ reportId: "R-1" });
    expect(await db.collection("photos.chunks").countDocuments({ files_id: upload.id })).toBe(
      Math.ceil(data.length / (255 * 1024)),
    );

    const chunks: Buffer[] = [];
    for await (const chunk of bucket.openDownloadStream(upload.id)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    const partial: Buffer[] = [];
    for await (const chunk of bucket.openDownloadStream(upload.id, { start: 300_000, end: 300_010 }))
      partial.push(chunk as Buffer);
    expect(Buffer.concat(partial).equals(data.subarray(300_000, 300_010))).toBe(true);

    await bucket.delete(upload.id);
    expect(await bucket.find({}).toArray()).toHaveLength(0);
    expect(await db.collection("photos.chunks").countDocuments()).toBe(0);
  });
});

describe("mongoose 9", () => {
  it("creates models with unique and 2dsphere indexes and runs the queries the bot uses", async () => {
    const conn = mongoose.createConnection(server.uri, {
      dbName: `mongoose_${process.pid}`,
      serverSelectionTimeoutMS: 5_000,
    });
    try {
      await conn.asPromise();
      const schema = new mongoose.Schema({
        code: { type: String, required: true, unique: true },
        category: { type: String, index: true },
        status: { type: String, default: "new" },
        votes: { type: Number, default: 0 },
        location: {
          type: { type: String, enum: ["Point"], required: true },
          coordinates: { type: [Number], required: true },
        },
        createdAt: { type: Date, default: () => new Date() },
      });
      schema.index({ location: "2dsphere" });
      const Report = conn.model("Report", schema);
      await Report.init();
      await Report.syncIndexes();
      const indexNames = (await Report.listIndexes()).map((i: { name: string }) => i.name).sort();
      expect(indexNames).toEqual(["_id_", "category_1", "code_1", "location_2dsphere"]);
      // syncIndexes is stable: nothing to drop or build the second time.
      expect(await Report.diffIndexes()).toEqual({ toDrop: [], toCreate: [] });

      const a = await Report.create({
        code: "R-1",
        category: "road",
        location: { type: "Point", coordinates: [51.3379, 35.6997] },
      });
      await Report.create([
        {
          code: "R-2",
          category: "road",
          status: "resolved",
          location: { type: "Point", coordinates: [51.3753, 35.7448] },
        },
        { code: "R-3", category: "light", location: { type: "Point", coordinates: [51.4339, 35.8049] } },
      ]);
      expect(a._id).toBeInstanceOf(mongoose.Types.ObjectId);
      expect((await Report.findById(a._id).lean())?.code).toBe("R-1");

      const dup = await Report.create({ code: "R-1", location: { type: "Point", coordinates: [0, 0] } }).catch(
        (e: unknown) => e,
      );
      expect((dup as { code?: number }).code).toBe(11000);
      expect((dup as { keyValue?: unknown }).keyValue).toEqual({ code: "R-1" });

      const upserted = await Report.findOneAndUpdate(
        { code: "R-4" },
        { $set: { category: "water" }, $setOnInsert: { location: { type: "Point", coordinates: [51.4, 35.7] } } },
        { upsert: true, new: true },
      ).lean();
      expect(upserted).toMatchObject({ code: "R-4", category: "water", status: "new", votes: 0 });
      const bumped = await Report.findOneAndUpdate({ code: "R-4" }, { $inc: { votes: 1 } }, { new: true }).lean();
      expect(bumped?.votes).toBe(1);

      expect(await Report.countDocuments({ category: "road" })).toBe(2);
      expect(await Report.estimatedDocumentCount()).toBe(4);
      expect((await Report.distinct("category")).sort()).toEqual(["light", "road", "water"]);
      const byStatus = await Report.aggregate<{ _id: string; n: number }>([
        { $group: { _id: "$status", n: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ]);
      expect(byStatus).toEqual([
        { _id: "new", n: 3 },
        { _id: "resolved", n: 1 },
      ]);
      const nearby = await Report.find({
        status: { $in: ["new", "assigned"] },
        location: { $near: { $geometry: { type: "Point", coordinates: [51.3379, 35.6997] }, $maxDistance: 10_000 } },
      }).lean();
      expect(nearby.map((r) => r.code)).toEqual(["R-1", "R-4"]);
      const sorted = await Report.find().sort({ createdAt: -1, code: 1 }).select("code").lean();
      expect(sorted).toHaveLength(4);

      await Report.updateMany({ category: "road" }, { $set: { status: "assigned" } });
      expect(await Report.countDocuments({ status: "assigned" })).toBe(2);
      expect((await Report.deleteOne({ code: "R-3" })).deletedCount).toBe(1);
      const txErr = await conn
        .transaction(async (session) => {
          await Report.create([{ code: "T-1", location: { type: "Point", coordinates: [0, 0] } }], { session });
        })
        .catch((e: unknown) => e);
      expect(transactionCode(txErr)).toBe(20);
      expect(await Report.countDocuments({ code: "T-1" })).toBe(0);
    } finally {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    }
  });
});

describe("outages and persistence", () => {
  it("stop() drops connections and restart() serves the same data on the same port; the driver reconnects", async () => {
    const own = await MemoryMongoServer.start({ port: 0 });
    const driver = new MongoClient(own.uri, { serverSelectionTimeoutMS: 1_500, heartbeatFrequencyMS: 500 });
    try {
      const col = driver.db("outage").collection("c");
      await col.insertOne({ before: true });
      const port = own.port;
      await own.stop();
      await expect(col.findOne({})).rejects.toThrow(/ECONNREFUSED|Server selection timed out/);
      await own.restart();
      expect(own.port).toBe(port);
      expect(await col.findOne({}, { projection: { _id: 0 } })).toEqual({ before: true });
      await col.insertOne({ after: true });
      expect(await col.countDocuments()).toBe(2);
      own.reset();
      expect(await col.countDocuments()).toBe(0);
      expect((await driver.db("admin").admin().listDatabases()).databases).toEqual([]);
    } finally {
      await driver.close();
      await own.stop();
    }
  });

  it("persistPath: a new server started on the same file sees the data and indexes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "memory-mongo-"));
    const file = path.join(dir, "nested", "mongo.json");
    try {
      const first = await MemoryMongoServer.start({ port: 0, persistPath: file });
      const c1 = new MongoClient(first.uri);
      const id = new ObjectId();
      const when = new Date("2025-05-05T05:05:05.005Z");
      await c1.db("keep").collection("users").createIndex({ email: 1 }, { unique: true });
      await c1
        .db("keep")
        .collection("users")
        .insertOne({
          _id: id,
          email: "p@x.ir",
          when,
          big: Long.fromString("9007199254740993"),
          bin: new Binary(Buffer.from("hi")),
        });
      await c1.close();
      await first.stop();
      const text = readFileSync(file, "utf8");
      expect(text).toContain("$oid");

      const second = await MemoryMongoServer.start({ port: 0, persistPath: file });
      const c2 = new MongoClient(second.uri);
      try {
        const doc = await c2.db("keep").collection("users").findOne({ _id: id }, { promoteLongs: false });
        expect(doc?.email).toBe("p@x.ir");
        expect(doc?.when).toEqual(when);
        expect((doc?.big as Long).toString()).toBe("9007199254740993");
        expect(Buffer.from((doc?.bin as Binary).buffer).toString()).toBe("hi");
        await expectServerError(c2.db("keep").collection("users").insertOne({ email: "p@x.ir" }), 11000);
        // Writes are saved shortly afterwards without a stop().
        await c2.db("keep").collection("users").insertOne({ email: "q@x.ir" });
        await expect.poll(() => readFileSync(file, "utf8").includes("q@x.ir"), { timeout: 3_000 }).toBe(true);
      } finally {
        await c2.close();
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("TTL indexes", () => {
  it("the TTL pass removes documents older than expireAfterSeconds (mongod runs it every 60 s)", () => {
    const store = new Store();
    const { collection } = store.ensureCollection("ttl", "sessions");
    collection.createIndex({ key: { touchedAt: 1 }, name: "touchedAt_1", expireAfterSeconds: 60 });
    const now = Date.UTC(2025, 0, 1);
    collection.insert({ _id: "old", touchedAt: new Date(now - 61_000) });
    collection.insert({ _id: "fresh", touchedAt: new Date(now - 10_000) });
    collection.insert({ _id: "no-date", touchedAt: "yesterday" });
    expect(store.expireAll(now)).toBe(1);
    expect(collection.all().map((d) => d._id)).toEqual(["fresh", "no-date"]);
  });
});

describe("raw wire protocol", () => {
  /** Sends raw messages on one socket and collects `count` replies. */
  async function exchange(messages: Buffer[], count: number): Promise<Buffer[]> {
    const socket = tcpConnect(server.port, "127.0.0.1");
    await once(socket, "connect");
    const replies: Buffer[] = [];
    let pending = Buffer.alloc(0);
    const done = new Promise<void>((resolve, reject) => {
      socket.on("error", reject);
      socket.on("data", (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
          const len = pending.readInt32LE(0);
          replies.push(pending.subarray(0, len));
          pending = pending.subarray(len);
        }
        if (replies.length >= count) resolve();
      });
    });
    for (const m of messages) socket.write(m);
    await done;
    socket.destroy();
    return replies;
  }

  function header(length: number, requestId: number, opCode: number): Buffer {
    const h = Buffer.alloc(16);
    h.writeInt32LE(length, 0);
    h.writeInt32LE(requestId, 4);
    h.writeInt32LE(0, 8);
    h.writeInt32LE(opCode, 12);
    return h;
  }

  function opMsg(
    requestId: number,
    body: object,
    opts: { flags?: number; sequence?: [string, object[]]; checksum?: boolean } = {},
  ): Buffer {
    const parts = [Buffer.alloc(4), Buffer.from([0]), Buffer.from(BSON.serialize(body))];
    parts[0]!.writeUInt32LE(opts.flags ?? 0, 0);
    if (opts.sequence) {
      const [id, docs] = opts.sequence;
      const payload = Buffer.concat([Buffer.from(`${id}\0`), ...docs.map((d) => Buffer.from(BSON.serialize(d)))]);
      const size = Buffer.alloc(4);
      size.writeInt32LE(payload.length + 4, 0);
      parts.push(Buffer.from([1]), size, payload);
    }
    if (opts.checksum) parts.push(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    const bodyBytes = Buffer.concat(parts);
    return Buffer.concat([header(16 + bodyBytes.length, requestId, 2013), bodyBytes]);
  }

  function replyDoc(reply: Buffer): Record<string, unknown> {
    const opCode = reply.readInt32LE(12);
    return BSON.deserialize(reply.subarray(opCode === 1 ? 36 : 21));
  }

  it("answers legacy OP_QUERY isMaster with OP_REPLY", async () => {
    const query = Buffer.concat([
      Buffer.alloc(4),
      Buffer.from("admin.$cmd\0"),
      Buffer.alloc(4),
      Buffer.from([0xff, 0xff, 0xff, 0xff]),
      Buffer.from(BSON.serialize({ isMaster: 1, helloOk: true })),
    ]);
    const [reply] = await exchange([Buffer.concat([header(16 + query.length, 7, 2004), query])], 1);
    expect(reply!.readInt32LE(12)).toBe(1);
    expect(reply!.readInt32LE(8)).toBe(7);
    expect(reply!.readInt32LE(32)).toBe(1);
    expect(replyDoc(reply!)).toMatchObject({ ismaster: true, helloOk: true, ok: 1 });
  });

  it("handles document sequences, checksums, moreToCome and errors on one socket", async () => {
    const db = `raw_${process.pid}`;
    const replies = await exchange(
      [
        opMsg(1, { insert: "seq", $db: db }, { sequence: ["documents", [{ _id: 1 }, { _id: 2 }]] }),
        opMsg(2, { insert: "seq", $db: db, documents: [{ _id: 3 }] }, { flags: 2 }), // moreToCome: no reply
        opMsg(3, { bogus: 1, $db: db }),
        opMsg(4, { count: "seq", $db: db }, { flags: 1, checksum: true }),
      ],
      3,
    );
    expect(replies.map((r) => r.readInt32LE(8))).toEqual([1, 3, 4]);
    expect(replyDoc(replies[0]!)).toMatchObject({ n: 2, ok: 1 });
    expect(replyDoc(replies[1]!)).toMatchObject({ ok: 0, code: 59, codeName: "CommandNotFound" });
    expect(replyDoc(replies[2]!)).toMatchObject({ n: 3, ok: 1 });
  });
});
