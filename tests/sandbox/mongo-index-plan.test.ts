// The in-memory server's query planner (sandbox/mongo/planner.ts): a query served from an index
// must give exactly what a collection scan gives. Every filter runs against two collections with
// the same documents, one with indexes and one without, through the real driver; explain must
// name the index the planner picked.
import { Decimal128, MongoClient, ObjectId } from "mongodb";
import type { Collection, Db, Document } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryMongoServer } from "../../sandbox/mongo/server.ts";

let server: MemoryMongoServer;
let client: MongoClient;
let dbCounter = 0;

function freshDb(): Db {
  dbCounter += 1;
  return client.db(`plantest_${process.pid}_${dbCounter}`);
}

beforeAll(async () => {
  server = await MemoryMongoServer.start({ port: 0 });
  client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5_000 });
  await client.connect();
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const STATUSES = ["new", "assigned", "in_progress", "resolved", "rejected"];
/** The ObjectId of document `i` (the other documents have a number or string `_id`). */
function oid(i: number): ObjectId {
  return new ObjectId(i.toString(16).padStart(24, "0"));
}

/** A value of a different BSON type (or shape) each time: the index must keep them apart. */
function mixed(i: number): unknown {
  switch (i % 13) {
    case 0:
      return i % 7;
    case 1:
      return String(i % 7);
    case 2:
      return (i % 7) + 0.5;
    case 3:
      return null;
    case 4:
      return [i % 7, (i + 3) % 11];
    case 5:
      return new Date(T0 + (i % 7) * DAY);
    case 6:
      return i % 2 === 0;
    case 7:
      return [[i % 7]];
    case 8:
      return [];
    case 9:
      return { v: i % 7 };
    case 10:
      return [3, 12];
    case 11:
      return ["1", 1, null];
    default:
      return undefined;
  }
}

function makeDoc(i: number): Document {
  const doc: Document = { _id: i % 50 === 7 ? i : i % 50 === 9 ? `id-${i}` : oid(i) };
  const n = i % 37 === 12 ? Decimal128.fromString(String(i % 7)) : mixed(i);
  if (n !== undefined) doc.n = n;
  if (i % 11 !== 0) doc.s = i % 17 === 0 ? [STATUSES[i % 5], STATUSES[(i + 1) % 5]] : STATUSES[i % 5];
  if (i % 23 === 0) doc.s = null;
  if (i % 9 !== 0) doc.d = i % 19 === 0 ? i : new Date(T0 + (i % 40) * DAY);
  if (i % 3 === 0) doc.sub = { k: i % 5 };
  else if (i % 3 === 1) doc.sub = [{ k: i % 5 }, { k: (i + 2) % 5 }, { other: 1 }];
  if (i % 4 === 0) doc.tag = i % 8 === 0 ? `t${i % 3}` : i % 3;
  if (i % 29 === 0) doc.tag = null;
  if (i % 2 === 0) doc.u = i;
  return doc;
}

const DOCS = Array.from({ length: 400 }, (_, i) => makeDoc(i));

async function pair(): Promise<{ indexed: Collection; plain: Collection }> {
  const db = freshDb();
  const indexed = db.collection("indexed");
  const plain = db.collection("plain");
  await indexed.createIndexes([
    { key: { n: 1 } },
    { key: { s: 1, d: 1 } },
    { key: { s: 1, n: -1 } },
    { key: { "sub.k": 1 } },
    { key: { tag: 1 }, sparse: true },
    { key: { u: 1 }, unique: true, sparse: true },
    { key: { d: 1 } },
  ]);
  await indexed.insertMany(DOCS.map((d) => ({ ...d })));
  await plain.insertMany(DOCS.map((d) => ({ ...d })));
  return { indexed, plain };
}

const AT = new Date(T0 + 20 * DAY);

const FILTERS: Document[] = [
  { n: 1 },
  { n: "1" },
  { n: 1.0 },
  { n: 3.5 },
  { n: true },
  { n: { $eq: 2 } },
  { n: { $in: [1, "1", 2, null] } },
  { n: { $in: [] } },
  { n: null },
  { n: { $eq: null } },
  { n: { $gt: 3 } },
  { n: { $gte: 2, $lt: 5 } },
  { n: { $gt: 5, $lt: 10 } },
  { n: { $lt: "5" } },
  { n: { $gt: new Date(T0) } },
  { n: { $gt: 2, $lt: "9" } },
  { n: { $not: { $gt: 3 } } },
  { n: { $ne: 1 } },
  { n: [1, 4] },
  { n: { $elemMatch: { $gt: 2 } } },
  { n: { v: 3 } },
  { n: { $exists: false } },
  { d: { $lte: AT } },
  { d: { $gt: 5 } },
  { d: { $gte: new Date(T0 + 5 * DAY), $lt: AT } },
  { s: "new" },
  { s: "new", d: { $lte: AT } },
  { s: { $in: ["new", "assigned"] }, d: { $gt: AT } },
  { s: { $in: ["new", "in_progress"] }, n: { $gte: 2 } },
  { s: null },
  { s: "resolved", n: 1 },
  { "sub.k": 2 },
  { "sub.k": { $gt: 1, $lt: 3 } },
  { "sub.k": null },
  { "sub.k": { $in: [0, 4] }, n: { $exists: true } },
  { tag: null },
  { tag: { $exists: false } },
  { tag: "t1" },
  { tag: 2 },
  { tag: { $in: ["t0", null] } },
  { tag: { $in: ["t0", 1] } },
  { u: 10 },
  { u: { $gte: 100, $lt: 140 } },
  { u: null },
  { $or: [{ s: "new" }, { n: { $gt: 5 } }] },
  { $or: [{ s: "new" }, { nope: 1 }] },
  { $or: [{ u: 4 }, { u: 8 }, { tag: "t2" }] },
  { $and: [{ s: "assigned" }, { n: { $lt: 3 } }] },
  { s: "in_progress", $or: [{ n: 1 }, { d: { $lt: AT } }] },
  {
    $or: [
      { s: { $in: ["new", "assigned"] }, d: { $lte: AT } },
      { s: "in_progress", n: { $gte: 3 } },
    ],
  },
  { _id: { $in: [oid(1), oid(2), oid(300), 7, 57, "id-9", "id-59", "7"] } },
  { _id: { $gt: oid(350) } },
  { _id: oid(12) },
  { _id: 7 },
];

/** One line per filter for the failure message. */
function show(filter: Document): string {
  return JSON.stringify(filter);
}

describe("index-backed queries answer exactly as a collection scan", () => {
  it("find, sort/skip/limit, count and distinct give the same documents in the same order", async () => {
    const { indexed, plain } = await pair();
    for (const filter of FILTERS) {
      const want = await plain.find(filter).toArray();
      expect(await indexed.find(filter).toArray(), show(filter)).toEqual(want);
      expect(await indexed.countDocuments(filter), show(filter)).toBe(want.length);
      const shaped = { sort: { u: -1 as const, _id: 1 as const }, skip: 2, limit: 5 };
      expect(await indexed.find(filter, shaped).toArray(), show(filter)).toEqual(
        await plain.find(filter, shaped).toArray(),
      );
      expect(await indexed.find(filter, { skip: 1, limit: 3 }).toArray(), show(filter)).toEqual(want.slice(1, 4));
      const count = await indexed.db.command({ count: "indexed", query: filter });
      expect(count.n, show(filter)).toBe(want.length);
      expect(await indexed.distinct("s", filter), show(filter)).toEqual(await plain.distinct("s", filter));
      expect(await indexed.aggregate([{ $match: filter }, { $project: { _id: 1 } }]).toArray(), show(filter)).toEqual(
        want.map((d) => ({ _id: d._id })),
      );
    }
  });

  it("the filters that matter do use an index (not every one is a scan in disguise)", async () => {
    const { indexed } = await pair();
    const answered = await Promise.all(FILTERS.map((f) => indexed.find(f).explain("executionStats")));
    const stages = answered.map((e) => (e.queryPlanner as Document).winningPlan.stage as string);
    expect(stages.filter((s) => s === "FETCH").length).toBeGreaterThan(FILTERS.length / 2);
  });

  it("updates, deletes and findAndModify by filter hit the same documents, and the indexes follow", async () => {
    const { indexed, plain } = await pair();
    const both = async (run: (c: Collection) => Promise<unknown>): Promise<void> => {
      const [a, b] = [await run(indexed), await run(plain)];
      expect(a).toEqual(b);
    };
    await both((c) => c.updateMany({ s: "new", d: { $lte: AT } }, { $set: { s: "assigned", n: 99 } }));
    await both((c) => c.updateMany({ n: { $in: [1, "1"] } }, { $inc: { hits: 1 }, $set: { tag: "moved" } }));
    await both((c) => c.updateOne({ "sub.k": { $gt: 2 } }, { $set: { "sub.k": 40 } }));
    await both((c) => c.deleteMany({ $or: [{ tag: "t0" }, { u: { $gte: 300 } }] }));
    await both((c) => c.deleteOne({ s: "rejected", n: { $lt: 3 } }));
    await both((c) => c.findOneAndUpdate({ s: "assigned" }, { $set: { u: 10_001 } }, { sort: { d: -1, _id: 1 } }));
    await both((c) => c.findOneAndDelete({ d: { $gt: AT } }, { sort: { d: 1, _id: 1 } }));
    await both((c) =>
      c.updateOne({ u: 777_777 }, { $set: { s: "new", n: 5 }, $setOnInsert: { _id: "upserted" } }, { upsert: true }),
    );
    const lateId = new ObjectId();
    await both((c) => c.insertOne({ _id: lateId, s: "new", n: 5, d: AT, tag: "late" }));
    await both((c) =>
      c
        .find({})
        .toArray()
        .then((docs) => docs.map((d) => d._id)),
    );
    for (const filter of [...FILTERS, { n: 99 }, { tag: "moved" }, { "sub.k": 40 }, { u: 10_001 }, { tag: "late" }]) {
      expect(await indexed.find(filter).toArray(), show(filter)).toEqual(await plain.find(filter).toArray());
    }
    const moved = await indexed.find({ n: 99 }).explain("executionStats");
    expect(moved.queryPlanner.winningPlan.inputStage.indexName).toBe("n_1");
    expect(moved.executionStats.nReturned).toBeGreaterThan(0);
  });

  it("an index created over existing data and a dropped index both give scan answers", async () => {
    const { plain } = await pair();
    const late = plain.db.collection("late");
    await late.insertMany(DOCS.map((d) => ({ ...d })));
    await late.createIndex({ d: 1, n: 1 });
    for (const filter of [{ d: { $lte: AT } }, { d: new Date(T0 + 3 * DAY), n: { $gt: 1 } }]) {
      expect(await late.find(filter).toArray()).toEqual(await plain.find(filter).toArray());
    }
    expect((await late.find({ d: { $lte: AT } }).explain()).queryPlanner.winningPlan.inputStage.indexName).toBe(
      "d_1_n_1",
    );
    await late.dropIndex("d_1_n_1");
    expect((await late.find({ d: { $lte: AT } }).explain()).queryPlanner.winningPlan.stage).toBe("COLLSCAN");
    expect(await late.find({ d: { $lte: AT } }).toArray()).toEqual(await plain.find({ d: { $lte: AT } }).toArray());
  });
});

describe("explain shows the plan the planner used", () => {
  async function plan(filter: Document): Promise<Document> {
    const { indexed } = await pair();
    return indexed.find(filter).explain("executionStats");
  }

  it("names the index of an equality, a range and a compound prefix, with what it read", async () => {
    const eq = await plan({ n: 2 });
    expect(eq.queryPlanner.winningPlan).toMatchObject({
      stage: "FETCH",
      inputStage: { stage: "IXSCAN", indexName: "n_1", keyPattern: { n: 1 }, isMultiKey: true },
    });
    expect(eq.executionStats.totalDocsExamined).toBeLessThan(DOCS.length);
    expect(eq.executionStats.totalKeysExamined).toBeGreaterThanOrEqual(eq.executionStats.nReturned);

    const compound = await plan({ s: "new", d: { $lte: AT } });
    expect(compound.queryPlanner.winningPlan.inputStage.indexName).toBe("s_1_d_1");
    // Equality on s and the range on d are both bounds: every document read is a match.
    expect(compound.executionStats.totalDocsExamined).toBe(compound.executionStats.nReturned);

    const unique = await plan({ u: 10 });
    expect(unique.queryPlanner.winningPlan.inputStage).toMatchObject({ indexName: "u_1", isUnique: true });
    expect(unique.executionStats).toMatchObject({ nReturned: 1, totalDocsExamined: 1, totalKeysExamined: 1 });
  });

  it("an $or is an OR of index scans only when every branch has one", async () => {
    const served = await plan({ $or: [{ s: "new" }, { "sub.k": 4 }] });
    expect(served.queryPlanner.winningPlan.stage).toBe("FETCH");
    expect(served.queryPlanner.winningPlan.inputStage.stage).toBe("OR");
    expect(
      (served.queryPlanner.winningPlan.inputStage.inputStages as Document[]).map((s) => s.indexName as string),
    ).toEqual([expect.stringMatching(/^s_1_/), "sub.k_1"]);

    const unserved = await plan({ $or: [{ s: "new" }, { nope: 1 }] });
    expect(unserved.queryPlanner.winningPlan.stage).toBe("COLLSCAN");
    expect(unserved.executionStats.totalDocsExamined).toBe(DOCS.length);
  });

  it("a sparse index is never used for a filter that matches missing fields; _id lookups use _id", async () => {
    expect((await plan({ tag: null })).queryPlanner.winningPlan.stage).toBe("COLLSCAN");
    expect((await plan({ tag: { $in: ["t0", null] } })).queryPlanner.winningPlan.stage).toBe("COLLSCAN");
    expect((await plan({ tag: "t1" })).queryPlanner.winningPlan.inputStage.indexName).toBe("tag_1");
    expect((await plan({ _id: oid(5) })).queryPlanner.winningPlan.stage).toBe("IDHACK");
    const ids = await plan({ _id: { $in: [oid(1), oid(2), 7] } });
    expect(ids.queryPlanner.winningPlan.inputStage.indexName).toBe("_id_");
    expect(ids.executionStats).toMatchObject({ nReturned: 3, totalDocsExamined: 3 });
    const { indexed } = await pair();
    const mixedIds: Document = { _id: { $in: [oid(1), "7", 7, 7.0, "id-9", oid(7)] } };
    const found = await indexed.find(mixedIds).toArray();
    // 7 and 7.0 are one value, "7" another; document 7 has the number _id, so oid(7) is nobody's.
    expect(found.map((d) => d._id as unknown)).toEqual([oid(1), 7, "id-9"]);
  });

  it("a non-simple collation or no usable predicate is a collection scan", async () => {
    const { indexed, plain } = await pair();
    const collated = await indexed.find({ s: "NEW" }, { collation: { locale: "en", strength: 2 } }).toArray();
    expect(collated).toEqual(await plain.find({ s: "NEW" }, { collation: { locale: "en", strength: 2 } }).toArray());
    const explained = await indexed
      .find({ s: "NEW" }, { collation: { locale: "en", strength: 2 } })
      .explain("executionStats");
    expect(explained.queryPlanner.winningPlan.stage).toBe("COLLSCAN");
    expect((await plan({ n: { $ne: 1 } })).queryPlanner.winningPlan.stage).toBe("COLLSCAN");
    expect((await plan({ n: /1/ })).queryPlanner.winningPlan.stage).toBe("COLLSCAN");
  });
});
