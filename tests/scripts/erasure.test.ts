import mongoose, { Types } from "mongoose";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { createTestBot, STAFF_CHAT, type TestBot } from "../support/test-bot.ts";
import { fileReport, KARAJ } from "../support/intake-steps.ts";
import type { ApiCall } from "../support/fake-bot-api.ts";
import { runScript, uriFor } from "./run-script.ts";
import { Report, type ReportDoc } from "../../models/report/report.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { Citizen } from "../../models/people/citizen.ts";
import { BotState } from "../../models/infra/kv-store.ts";
import { Inbox } from "../../models/infra/inbox.ts";
import { ForgetRequest, requestForget } from "../../models/people/forget-request.ts";
import { photoIdsNamed, readPhoto, storePhoto } from "../../models/report/photos.ts";
import { tinyPhoto } from "../support/photo-bytes.ts";
import { upsertStaff, type StaffMember } from "../../models/people/staff.ts";
import { addNote, attachCitizenReply, requestInfo, resolveCase } from "../../models/report/case-actions.ts";
import { submitReport } from "../../models/report/report-submit.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { ltr } from "../../core/format.ts";
import { Category } from "../../models/geography/category.ts";

const { uri, dbName } = useTestDb({ cleanEach: true });
const retention = (args: string[]) => runScript("retention", args, { MONGODB_URI: uriFor(uri, dbName) });
const withoutProgress = (output: string) => output.replace(/^anonymising: \d+\/\d+\n/gm, "");

const MANAGERS = -1001370000099;
/** Long, unusual ids: a hit in the search below is this citizen's id, not a digit run of a date or an ObjectId. */
const SARVENAZ = 7318640259;
const KOUROSH = 6120000001;
const OMID = 7104;

const DESCRIPTION = "I am Sarvenaz from house number 12 Yas alley, the bins were not emptied";
const ADDRESS = "Golbarg street, plate 77, third floor";
const CAPTION = "Sarvenaz here: the bins behind the bakery, call 0912 123 4567 or ۰۹۱۲۱۲۳۴۵۶۷";
const SECOND_ANSWER = "ring the bell of plate 77, my mobile is 912-123-4567";
/** Her answer to the category's extra question: her own words, like the description. */
const BIN_ANSWER = "the green bin outside Sarvenaz's door";

/** Each photo's colour: four different pictures, so each stored copy has bytes of its own. */
const PHOTO_SEEDS: Record<string, number> = {
  "SARVENAZ-PHOTO-1": 0x2060c0,
  "SARVENAZ-PHOTO-2": 0xc02060,
  "SARVENAZ-ANSWER!": 0x60c020,
  "KOUROSH-PHOTO-01": 0x202020,
};

/** A real picture (stored photos are re-encoded, so made-up bytes would be refused and a marker in them lost). */
function photoBytes(marker: string): Uint8Array {
  return tinyPhoto(PHOTO_SEEDS[marker] ?? marker);
}

/** Bytes to look for, named after the photo they come from. */
interface ByteNeedle {
  name: string;
  bytes: Buffer;
}

/**
 * The last 32 bytes of a photo as GridFS holds it (the code of its own pixels, then the end
 * marker): found anywhere, the photo is still stored. Taken from the stored copy, read back before
 * the erasure, since the copy is re-encoded and shares no bytes with what was sent.
 */
async function storedNeedle(name: string, id: Types.ObjectId): Promise<ByteNeedle> {
  const stored = await readPhoto(id);
  expect(stored.byteLength).toBeGreaterThan(32);
  return { name, bytes: Buffer.from(stored.subarray(stored.byteLength - 32)) };
}

/** Her three photos (two on the first report, the answer) as needles, with Kourosh's. */
async function photoNeedles(first: string, other: string): Promise<{ hers: ByteNeedle[]; his: ByteNeedle[] }> {
  const photoOf = async (code: string, fileId: string) =>
    (await report(code)).photos.find((p) => p.fileId === fileId)!.gridfsId as Types.ObjectId;
  const answers = await photoIdsNamed([`${first}-answer.jpg`]);
  expect(answers).toHaveLength(1);
  return {
    hers: [
      await storedNeedle("SARVENAZ-PHOTO-1", await photoOf(first, "sarvenaz-photo-1")),
      await storedNeedle("SARVENAZ-PHOTO-2", await photoOf(first, "sarvenaz-photo-2")),
      await storedNeedle("SARVENAZ-ANSWER!", answers[0]!),
    ],
    his: [await storedNeedle("KOUROSH-PHOTO-01", await photoOf(other, "kourosh-photo"))],
  };
}

/** Everything that identifies Sarvenaz, in every form it may have been written. */
const TEXT_NEEDLES = [
  "Sarvenaz",
  "sarvenaz_k",
  "sarvenaz-photo", // the messenger's file ids: with them the bot could fetch the photos again
  "9121234567",
  "912 123 4567",
  "912-123-4567",
  "۹۱۲۱۲۳۴۵۶۷",
  "۹۱۲ ۱۲۳ ۴۵۶۷",
  "house number 12",
  "Yas alley",
  "Golbarg",
  "plate 77",
  "behind the bakery",
  "green bin",
  String(SARVENAZ), // as a number and as a string alike in Extended JSON text
];
/** Kourosh's own data: the same search must keep finding it (the search works, and his data stays). */
const KOUROSH_TEXT = ["Kourosh", "kourosh_m", "9351112233", "overflowing bins at the park gate", String(KOUROSH)];

interface Hit {
  collection: string;
  needle: string;
  excerpt: string;
}

function binaries(value: unknown, out: Buffer[]): Buffer[] {
  if (value instanceof mongoose.mongo.Binary) out.push(Buffer.from(value.buffer));
  else if (Buffer.isBuffer(value)) out.push(value);
  else if (Array.isArray(value)) for (const v of value) binaries(v, out);
  else if (value && typeof value === "object" && !(value instanceof Date) && !(value instanceof Types.ObjectId))
    for (const v of Object.values(value)) binaries(v, out);
  return out;
}

/** Every document of every collection (GridFS files and chunks included) as Extended JSON text and as raw bytes. */
async function search(textNeedles: string[], byteNeedles: ByteNeedle[]): Promise<Hit[]> {
  const db = mongoose.connection.db!;
  const hits: Hit[] = [];
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) {
      const text = mongoose.mongo.BSON.EJSON.stringify(doc, { relaxed: true }).toLowerCase();
      for (const needle of textNeedles) {
        const at = text.indexOf(needle.toLowerCase());
        if (at >= 0) hits.push({ collection: name, needle, excerpt: text.slice(Math.max(0, at - 80), at + 80) });
      }
      for (const bytes of binaries(doc, []))
        for (const needle of byteNeedles)
          if (bytes.includes(needle.bytes)) hits.push({ collection: name, needle: needle.name, excerpt: "(bytes)" });
    }
  }
  return hits;
}

const collectionsHit = (hits: Hit[], needle: string) =>
  [...new Set(hits.filter((h) => h.needle === needle).map((h) => h.collection))].sort();
const callText = (c: ApiCall) => JSON.stringify(c.payload).toLowerCase();

/** What the statistics read from a history: kind, status, date, who (kind) and the machine-written feedback notes. */
const historyFacts = (r: ReportDoc) =>
  r.history.map((h) => [h.kind, h.to, h.at.getTime(), h.by.kind, h.kind === "feedback" ? h.note : ""]);

async function report(code: string): Promise<ReportDoc> {
  const r = await Report.findOne({ code }).lean<ReportDoc>();
  if (!r) throw new Error(`no report ${code}`);
  return r;
}

/**
 * Sarvenaz leaves a trace in every place the desk keeps one: two reports (phone, two photos, a typed
 * address), answers to "ask citizen" (one with a photo and her number in the caption, one still
 * waiting in the outbox), a rating, a message to her that the Bot API refused (dead, alerted to the
 * managers), then /forgetme. Kourosh files a report with a photo and his phone too.
 */
async function desk(tb: TestBot) {
  // An admin's extra question on garbage reports: which bin.
  await Category.updateOne(
    { key: "garbage" },
    {
      $set: {
        attributes: [
          {
            code: "bin",
            datatype: "string",
            required: false,
            order: 1,
            description: { fa: "کدام سطل؟", en: "Which bin?" },
          },
        ],
      },
    },
  );
  const omid: StaffMember = await upsertStaff({
    platform: "telegram",
    userId: OMID,
    name: "Omid",
    role: "official",
    regions: ["r1"],
    departments: ["cleaning", "general", "parks"],
  });
  const sara = tb.citizen(SARVENAZ, { firstName: "Sarvenaz", username: "sarvenaz_k", viaInbox: true });
  const first = await fileReport(tb, sara, {
    category: "زباله و نظافت",
    description: DESCRIPTION,
    attributes: [BIN_ANSWER],
    location: KARAJ,
    photos: [
      { fileId: "sarvenaz-photo-1", bytes: photoBytes("SARVENAZ-PHOTO-1") },
      { fileId: "sarvenaz-photo-2", bytes: photoBytes("SARVENAZ-PHOTO-2") },
    ],
    phone: "+989121234567",
  });
  const second = await fileReport(tb, sara, {
    category: "سایر موارد",
    description: "Garbage left in the stairwell for a week",
    location: { address: ADDRESS },
  });
  const kourosh = tb.citizen(KOUROSH, { firstName: "Kourosh", username: "kourosh_m" });
  const other = await fileReport(tb, kourosh, {
    category: "فضای سبز و درختان",
    description: "Kourosh reports overflowing bins at the park gate",
    location: KARAJ,
    photos: [{ fileId: "kourosh-photo", bytes: photoBytes("KOUROSH-PHOTO-01") }],
    phone: "+989351112233",
  });
  await tb.dispatcher.drainOnce();

  // ❓ on the first card; she answers with a photo captioned with her number.
  const staff = tb.member(OMID, STAFF_CHAT, { firstName: "Omid" });
  await staff.callback(`c:${(await report(first))._id.toHexString()}:ask`);
  await staff.text("Which bins exactly?");
  await tb.dispatcher.drainOnce();
  tb.api.addFile("sarvenaz-answer", photoBytes("SARVENAZ-ANSWER!"));
  await sara.photo("sarvenaz-answer", photoBytes("SARVENAZ-ANSWER!").byteLength, { caption: CAPTION });
  expect(sara.lastReply()).toContain("پاسخ شما");
  await tb.dispatcher.drainOnce();
  expect(
    tb.api
      .callsOf("sendPhoto")
      .some((c) => c.payload.chat_id === STAFF_CHAT && String(c.payload.caption).includes("behind the bakery")),
  ).toBe(true);

  // Resolved, "fixed", five stars.
  await resolveCase((await report(first))._id, omid, "Bins emptied", null, tb.clock.now);
  await tb.dispatcher.drainOnce();
  await sara.press("رفع شد ✅");
  await sara.press("۵⭐");
  expect((await report(first)).feedback).toMatchObject({ fixed: true, rating: 5 });

  // A note to her that the Bot API refuses twice (HTML, then plain): dead, and the managers alerted.
  await addNote((await report(second))._id, omid, "We will check tomorrow", true, tb.clock.now);
  tb.api.fail("sendMessage", { error_code: 400, description: "Bad Request: chat not found" }, 2);
  await tb.dispatcher.drainOnce();
  await tb.dispatcher.drainOnce();
  expect(await Outbox.countDocuments({ chatId: SARVENAZ, status: "dead" })).toBe(1);
  expect(await Outbox.countDocuments({ kind: "outbox_dead_alert", chatId: MANAGERS, status: "sent" })).toBe(1);

  // A second question; her answer is still in the outbox, not posted yet.
  await staff.callback(`c:${(await report(second))._id.toHexString()}:ask`);
  await staff.text("Which entrance?");
  await tb.dispatcher.drainOnce();
  await sara.text(SECOND_ANSWER);
  expect(await Outbox.countDocuments({ kind: "staff_citizen_reply", status: "pending" })).toBe(1);

  await sara.text("/forgetme");
  await sara.press("🗑 بله، اطلاعاتم حذف شود");
  expect(await ForgetRequest.countDocuments({ status: "pending" })).toBe(1);
  return { first, second, other };
}

describe(
  "/forgetme + npm run retention erase every copy of the citizen (scripts/retention.ts as a child process)",
  { timeout: 240_000 },
  () => {
    it("leaves no name, username, phone (any spelling), free text, caption, chat id or photo byte of hers in any collection or GridFS; Kourosh keeps everything", async () => {
      const tb = createTestBot({ MANAGERS_CHAT_ID: String(MANAGERS) });
      const { first, second, other } = await desk(tb);
      const { hers: herPhotos, his: hisPhotos } = await photoNeedles(first, other);

      // Before: the search finds her everywhere the issue saw her.
      const before = await search(TEXT_NEEDLES, [...herPhotos, ...hisPhotos]);
      expect(collectionsHit(before, "9121234567")).toContain("reports");
      expect(collectionsHit(before, "912 123 4567")).toEqual(["outboxes", "reports"]);
      expect(collectionsHit(before, "behind the bakery")).toEqual(["outboxes", "reports"]);
      expect(collectionsHit(before, "plate 77")).toEqual(["outboxes", "reports"]);
      expect(collectionsHit(before, "green bin")).toEqual(["reports"]);
      expect(collectionsHit(before, String(SARVENAZ))).toEqual(
        expect.arrayContaining(["bot_state", "citizens", "forget_requests", "outboxes", "reports"]),
      );
      expect(collectionsHit(before, "sarvenaz-photo")).toEqual(["photos.files", "reports"]);
      // Each photo's needle is in its own GridFS chunk and nowhere else: finding none later means that photo is gone.
      for (const { name } of [...herPhotos, ...hisPhotos]) {
        expect(collectionsHit(before, name), name).toEqual(["photos.chunks"]);
        expect(
          before.filter((h) => h.needle === name),
          name,
        ).toHaveLength(1);
      }

      const kouroshReport = await report(other);
      const kouroshPhoto = kouroshReport.photos[0]!.gridfsId as Types.ObjectId;
      const kouroshStored = await readPhoto(kouroshPhoto);
      const kouroshCitizen = await Citizen.findOne({ userId: KOUROSH }).lean();
      const kouroshRows = await Outbox.find({ chatId: KOUROSH }).sort({ _id: 1 }).lean();
      const ids = [(await report(first))._id.toHexString(), (await report(second))._id.toHexString()];
      // What the erasure must rewrite: every row to her chat, the dead-letter alert about one, and the two answers posted (or waiting) for the staff.
      const outboxRows =
        (await Outbox.countDocuments({ chatId: SARVENAZ })) +
        (await Outbox.countDocuments({ kind: "outbox_dead_alert", _id: new RegExp(`:${SARVENAZ}:dead-alert:`) })) +
        (await Outbox.countDocuments({ kind: "staff_citizen_reply", "payload.reportId": { $in: ids } }));
      const historyBefore = historyFacts(await report(first));
      const stateRows = await BotState.countDocuments({ _id: new RegExp(`:${SARVENAZ}$`) });
      expect(stateRows).toBeGreaterThan(0);
      tb.api.clearCalls();

      const run = await retention(["--yes"]);
      expect({ code: run.code, output: withoutProgress(run.output) }).toEqual({
        code: 0,
        output: `0 reports anonymised (closed > 365 days), 1 forget requests done (2 reports)\nerased: reports 2 (texts), outbox ${outboxRows}, gridfs 3 files, bot_state ${stateRows}, inbox 0, citizens 1, cards 2 queued for redraw, forget_requests 1 done\n`,
      });

      // Whatever goes out after the erasure carries nothing of hers (the waiting answer was stopped, not posted).
      tb.clock.now = new Date(); // the script ran on the real clock
      await tb.dispatcher.drainOnce();
      expect(tb.api.calls.filter((c) => TEXT_NEEDLES.some((n) => callText(c).includes(n.toLowerCase())))).toEqual([]);

      // No collection, no GridFS file or chunk, holds anything of hers.
      const after = await search([...TEXT_NEEDLES, ...KOUROSH_TEXT], [...herPhotos, ...hisPhotos]);
      const his = new Set([...KOUROSH_TEXT, ...hisPhotos.map((n) => n.name)]);
      expect(after.filter((h) => !his.has(h.needle))).toEqual([]);

      // Her cases stay for the statistics: category, place, dates, status and rating; the texts are a marker fact.
      const r1 = await report(first);
      expect(r1).toMatchObject({
        status: "resolved",
        categoryKey: "garbage",
        regionKey: "r1",
        hasCoordinates: true,
        description: "",
        address: "",
        venueTitle: "",
        attributes: [],
        photos: [],
        feedback: { fixed: true, rating: 5 },
        erasedAt: expect.any(Date),
      });
      expect(r1.location!.coordinates).toEqual([KARAJ.lon, KARAJ.lat]);
      expect(historyFacts(r1)).toEqual(historyBefore);
      expect(r1.history.filter((h) => h.by.kind === "citizen").map((h) => [h.by.id, h.by.name])).toEqual(
        r1.history.filter((h) => h.by.kind === "citizen").map(() => [0, ""]),
      );
      const r2 = await report(second);
      expect(r2).toMatchObject({
        status: "new",
        categoryKey: "other",
        description: "",
        address: "",
        erasedAt: expect.any(Date),
        infoRequest: null,
      });
      // The rows that were about her: no chat id, no text; the answer still waiting was stopped.
      expect(await Outbox.countDocuments({ status: "pending", "payload.reportId": { $in: ids } })).toBe(0);
      expect(
        await Outbox.countDocuments({ kind: "staff_citizen_reply", status: "failed", lastError: "forgotten" }),
      ).toBe(1);
      expect(await Outbox.countDocuments({ chatId: 0, _id: /^erased:/ })).toBe(
        await Outbox.countDocuments({ _id: /^erased:/, kind: { $ne: "outbox_dead_alert" } }),
      );
      // The request is done and no longer names her.
      expect(
        await ForgetRequest.find({}, { _id: 0, platform: 1, userId: 1, status: 1, reportIds: 1, chatIds: 1 }).lean(),
      ).toEqual([{ platform: "telegram", userId: 0, status: "done", reportIds: [], chatIds: [] }]);
      expect(await Inbox.countDocuments({ chatId: SARVENAZ })).toBe(0);

      // Kourosh: his report, photo, citizen record and messages as they were; the search still finds him.
      expect(await report(other)).toEqual(kouroshReport);
      expect((await readPhoto(kouroshPhoto)).equals(kouroshStored)).toBe(true);
      expect(await Citizen.findOne({ userId: KOUROSH }).lean()).toEqual(kouroshCitizen);
      expect(await Outbox.find({ chatId: KOUROSH }).sort({ _id: 1 }).lean()).toEqual(kouroshRows);
      for (const n of KOUROSH_TEXT) expect(collectionsHit(after, n), n).toContain("reports");
      expect(collectionsHit(after, "KOUROSH-PHOTO-01")).toEqual(["photos.chunks"]);

      // A second run finds nothing left to do.
      const again = await retention(["--yes"]);
      expect(again).toEqual({
        code: 0,
        output: "0 reports anonymised (closed > 365 days), 0 forget requests done (0 reports)\n",
      });
    });

    it("redraws her cards already posted in the staff chat without her name, phone or words: in place, or anew where the edit is refused", async () => {
      const tb = createTestBot({ MANAGERS_CHAT_ID: String(MANAGERS) });
      const { first, second, other } = await desk(tb);
      const [oldFirst, oldSecond] = [await report(first), await report(second)].map((r) => r.card!.messageId) as [
        number,
        number,
      ];
      expect(oldFirst > 0 && oldSecond > 0).toBe(true);
      const kouroshCard = (await report(other)).card!.messageId;
      const posted = tb.api.log.filter(
        (c) =>
          c.method === "sendMessage" &&
          c.payload.chat_id === STAFF_CHAT &&
          [oldFirst, oldSecond].includes(c.messageId ?? 0),
      );
      expect(posted.map((c) => String(c.payload.text)).join("\n")).toContain("Sarvenaz");
      tb.api.clearCalls();

      expect((await retention(["--yes"])).code).toBe(0);
      // The first redraw (rows go in id order) finds its card too old to edit.
      tb.api.fail("editMessageText", { error_code: 400, description: "Bad Request: message can't be edited" });
      tb.clock.now = new Date(); // the script ran on the real clock
      await tb.dispatcher.drainOnce();

      // The first card: posted anew (its id recorded) and the old one overwritten by the "superseded" line.
      const r1 = await report(first);
      const fresh = tb.api.callsOf("sendMessage").filter((c) => c.payload.chat_id === STAFF_CHAT);
      expect(fresh.map((c) => c.messageId)).toEqual([r1.card!.messageId]);
      expect(r1.card!.superseded).toContain(oldFirst);
      // The card itself, redrawn (how the erased fields read is the card renderer's choice; that none of hers is left is checked below).
      expect(String(fresh[0]!.payload.text)).toContain(`<b>${ltr(formatCode(first))}</b>`);
      expect(String(fresh[0]!.payload.text)).toContain("زباله و نظافت");
      expect(fresh[0]!.payload.reply_markup).toEqual({ inline_keyboard: [] }); // resolved: no buttons
      // The second card: edited in place, its buttons kept (the case is open).
      const edits = tb.api.callsOf("editMessageText");
      expect(
        edits.map((c) => [
          c.payload.chat_id,
          c.payload.message_id,
          c.payload.text === "⤵️ این کارت قدیمی است؛ کارت جدیدتر را در پایین ببینید.",
        ]),
      ).toEqual([
        [STAFF_CHAT, oldFirst, true],
        [STAFF_CHAT, oldSecond, false],
      ]);
      expect(String(edits[1]!.payload.text)).toContain(`<b>${ltr(formatCode(second))}</b>`);
      expect(JSON.stringify(edits[1]!.payload.reply_markup)).toContain(
        `c:${(await report(second))._id.toHexString()}:`,
      );
      expect(edits.some((c) => c.payload.message_id === kouroshCard)).toBe(false);
      for (const c of [...fresh, ...edits])
        expect(TEXT_NEEDLES.filter((n) => callText(c).includes(n.toLowerCase()))).toEqual([]);
      // The erasure's own redraws (the staff's presses while setting up the desk redrew cards too, through the outbox).
      expect(
        await Outbox.countDocuments({ kind: "staff_card_redraw", status: "sent", _id: { $regex: ":erased:" } }),
      ).toBe(2);
    });

    it("a run interrupted after it rewrote her reports is finished by the next one: the scope saved on the request still finds her rows and photos", async () => {
      const now = new Date();
      const omid: StaffMember = await upsertStaff({
        platform: "telegram",
        userId: OMID,
        name: "Omid",
        role: "official",
        regions: ["r1"],
      });
      const { report: r } = await submitReport({
        submissionKey: "erasure-resume",
        platform: "telegram",
        citizen: {
          userId: SARVENAZ,
          chatId: SARVENAZ,
          name: "Sarvenaz",
          username: "sarvenaz_k",
          phone: "+989121234567",
          locale: "fa",
        },
        categoryKey: "garbage",
        description: DESCRIPTION,
        location: KARAJ,
        address: "",
        venueTitle: "",
        photos: [],
        route: { regionKey: "r1", chat: { platform: "telegram", chatId: STAFF_CHAT }, needsLocationCheck: false },
        now,
      });
      await requestInfo(r._id, omid, "Which bins?", now);
      const photo = await storePhoto(photoBytes("SARVENAZ-ANSWER!"), {
        filename: `${r.code}-answer.jpg`,
        source: { platform: "telegram", fileUniqueId: "sarvenaz-answer-u" },
      });
      const herPhotos = [await storedNeedle("SARVENAZ-ANSWER!", photo)];
      await attachCitizenReply(r._id, CAPTION, photo, now);
      await requestForget("telegram", SARVENAZ, now);
      // The first run saved its scope and rewrote the report, then died: the report no longer names her.
      await ForgetRequest.updateOne({}, { $set: { reportIds: [r._id], chatIds: [SARVENAZ] } });
      await Report.updateOne(
        { _id: r._id },
        {
          $set: {
            "citizen.userId": 0,
            "citizen.chatId": 0,
            "citizen.name": "",
            "citizen.username": "",
            "citizen.phone": "",
            description: "",
            history: [],
            erasedAt: now,
            anonymizedAt: now,
          },
        },
      );
      await Citizen.deleteMany({});
      expect((await search(TEXT_NEEDLES, herPhotos)).map((h) => h.collection).sort()).toEqual(
        expect.arrayContaining(["outboxes", "photos.chunks"]),
      );

      const run = await retention(["--yes"]);
      expect(withoutProgress(run.output)).toMatch(
        /^0 reports anonymised \(closed > 365 days\), 1 forget requests done \(0 reports\)\nerased: reports 0 \(texts\), outbox [1-9]\d*, gridfs 1 files, /,
      );
      expect(await search(TEXT_NEEDLES, herPhotos)).toEqual([]);
    });
  },
);
