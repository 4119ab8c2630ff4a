import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import mongoose from "mongoose";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { startProcess, until, type Child } from "../support/child-process.ts";
import { SimClient } from "../../sandbox/bot-api/sim-client.ts";
import type { TranscriptItem } from "../../sandbox/bot-api/transcript.ts";
import { runScript } from "../scripts/run-script.ts";
import { ltr } from "../../core/format.ts";

const children: Child[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.child.kill("SIGKILL");
});

const STAFF = -1001370000001;
const URL_LINE = /^Citizen 137 sandbox: open (http:\/\/127\.0\.0\.1:\d+\/) in your browser/;
/** The block the sandbox prints for admin scripts, to paste into another terminal. */
const EXPORT_LINE =
  /^ {2}export (MONGODB_URI=mongodb:\/\/127\.0\.0\.1:\d+\/citizen137 STAFF_PLATFORM=telegram STAFF_CHAT_ID=-1001370000001 MANAGERS_CHAT_ID=-1001370000002)$/m;

/** The variables of the printed export line, as a shell would set them. */
function exported(output: string): Record<string, string> {
  const vars = EXPORT_LINE.exec(output)?.[1];
  if (!vars) throw new Error(`no export line in:\n${output}`);
  return Object.fromEntries(vars.split(" ").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
}

/** `npm start` with no token, as the README says (the bot entry without npm in between, so SIGTERM reaches it). */
async function startSandbox(env: Record<string, string>): Promise<{ run: Child; url: string }> {
  const run = startProcess(process.execPath, ["--import", "tsx", "bot/main.ts"], {
    env: { HTTP_PORT: "0", LOG_LEVEL: "warn", ...env },
  });
  children.push(run);
  await until(() => URL_LINE.test(run.output()), "the sandbox URL", 60_000);
  const url = URL_LINE.exec(run.output())![1]!;
  // The bots answer once /readyz says so.
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${url}readyz`)).ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { run, url };
}

type Markup = { inline_keyboard?: { text: string; callback_data?: string }[][] };
const buttonData = (item: TranscriptItem, label: string) =>
  (item.reply_markup as Markup | undefined)?.inline_keyboard?.flat().find((b) => b.text === label)?.callback_data;

describe("npm start with no token: the sandbox", () => {
  // The whole story over HTTP against a real process: generous time for a loaded CI machine.
  it(
    "prints the URL first, serves the page, and plays the whole story over HTTP: report with photo and location, staff take, visit on site and resolve, citizen rates",
    { timeout: 120_000 },
    async () => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "sandbox-"));
      const { run, url } = await startSandbox({ SANDBOX_DATA_DIR: dataDir });
      expect(run.output().split("\n")[0]).toMatch(URL_LINE);
      expect(run.output().split("\n")[2]).toMatch(EXPORT_LINE);
      expect(run.output().split("\n")[3]).toMatch(/^\(reports are kept in .*sandbox-mongo\.json between runs; /);
      expect(await (await fetch(url)).text()).toContain("<html");

      const sim = new SimClient(url.replace(/\/$/, ""));
      await sim.user("telegram", { id: 5001, first_name: "Sara", language_code: "fa" });
      for (const id of [900, 901, 902])
        await sim.user("telegram", { id, first_name: ["Omid", "Mina", "Azar"][id - 900]!, language_code: "fa" });
      await sim.chat("telegram", { id: STAFF, type: "supergroup", title: "Staff", members: [900, 901, 902] });
      const sara = { from: 5001, chat: 5001 };
      let seq = (await sim.transcript("telegram")).seq;
      const said = async (chat: number, match: (i: TranscriptItem) => boolean) => {
        const item = await sim.waitFor("telegram", (i) => i.from === "bot" && match(i), {
          chat,
          since: seq,
          timeoutMs: 20_000,
        });
        seq = item.seq;
        return item;
      };
      const press = async (chat: number, from: number, item: TranscriptItem, label: string) => {
        const data = buttonData(item, label);
        if (!data) throw new Error(`no button ${label} on ${item.text ?? item.caption}`);
        await sim.press("telegram", { from, chat, message_id: item.message_id, data });
      };

      await sim.send("telegram", { ...sara, text: "/new" });
      const categories = await said(5001, (i) => (i.text ?? "").includes("چه نوع مشکلی"));
      await press(5001, 5001, categories, "نشت آب و فاضلاب");
      await said(5001, (i) => (i.text ?? "").includes("شرح دهید"));
      await sim.send("telegram", { ...sara, text: "لوله آب جلوی مدرسه شکسته است" });
      await said(5001, (i) => (i.text ?? "").includes("محل مشکل کجاست"));
      await sim.send("telegram", { ...sara, location: { latitude: 35.8327, longitude: 50.9915 } });
      await said(5001, (i) => (i.text ?? "").includes("حداکثر ۳ عکس"));
      // A real JPEG: stored photos are decoded and re-encoded (models/report/photo-clean.ts).
      const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#3366cc" } })
        .jpeg()
        .toBuffer();
      const file = await sim.file("telegram", jpeg, "image/jpeg", "pipe.jpg");
      await sim.send("telegram", { ...sara, photo: file.file_id });
      const received = await said(5001, (i) => (i.text ?? "").includes("عکس ۱ از ۳"));
      await press(5001, 5001, received, "✅ تمام");
      await said(5001, (i) => (i.text ?? "").includes("شماره تلفن"));
      await sim.send("telegram", { ...sara, text: "رد شدن" });
      const summary = await said(5001, (i) => (i.text ?? "").includes("لطفاً گزارش خود را بررسی کنید"));
      await press(5001, 5001, summary, "✅ ثبت");
      const done = await said(5001, (i) => (i.text ?? "").includes("کد رهگیری"));
      const code = /(\d{4}-\d{4})/.exec(done.text!)![1]!;

      // The case card reaches the staff chat with its photo; Omid takes it and resolves it.
      const card = await sim.waitFor(
        "telegram",
        (i) => i.from === "bot" && (i.text ?? "").includes(`پرونده <b>${ltr(code)}</b>`),
        { chat: STAFF, timeoutMs: 20_000 },
      );
      const photos = (await sim.transcript("telegram", { chat: STAFF })).items.filter((i) => i.photo);
      expect(photos).toHaveLength(1);
      // What the staff chat got is compared with what GridFS holds once the database is opened, below.
      const staffPhoto = Buffer.from(await sim.fileBytes("telegram", photos[0]!.photo!.file_id));
      await press(STAFF, 900, card, "🙋 برعهده می‌گیرم");

      // A water leak needs an on-site visit before Resolve. Omid never opened a private chat with
      // the bot, so Telegram refuses the invitation (403) and the bot tells him how.
      await press(STAFF, 900, card, "📍 ثبت بازدید");
      const openFirst = await sim.waitFor(
        "telegram",
        (i) =>
          i.kind === "callback_answer" &&
          i.user_id === 900 &&
          (i.alert?.text ?? "").replace(/\u200e/g, "").includes("گفتگو با @citizen137_bot را باز کنید"),
        { chat: STAFF, since: seq, timeoutMs: 20_000 },
      );
      expect(openFirst.alert!.show_alert).toBe(true);
      await sim.send("telegram", { from: 900, text: "/start" });
      await said(900, () => true);
      // Now the card's "Record visit" invites him in private; "Start visit" begins it there.
      await press(STAFF, 900, card, "📍 ثبت بازدید");
      const invite = await said(900, (i) => (i.text ?? "").includes(`📍 بازدید میدانی پرونده ${ltr(code)}`));
      await press(900, 900, invite, "▶️ شروع بازدید");
      const askLocation = await said(900, (i) => (i.text ?? "").includes("موقعیت فعلی خود را بفرستید"));
      expect(
        (askLocation.reply_markup as { keyboard?: { request_location?: boolean }[][] }).keyboard?.[0]?.[0]
          ?.request_location,
      ).toBe(true);
      // A live location (Telegram's "Share My Live Location") ≈ 22 m north of the report's point.
      const live = await sim.send("telegram", {
        from: 900,
        location: { latitude: 35.8329, longitude: 50.9915, live_period: 900 },
      });
      await said(900, (i) => i.text === "✅ در محل: ۲۲ متر تا نقطه گزارش (مجاز ۱۵۰ متر).");
      await said(900, (i) => (i.text ?? "").includes("یک یا چند عکس تازه از محل"));
      // The live location moves on site (an edited_message): the bot takes it in silence.
      await sim.edit("telegram", {
        from: 900,
        message_id: live.message.message_id,
        location: { latitude: 35.8328, longitude: 50.9916 },
      });
      const site = await sim.file(
        "telegram",
        await sharp({ create: { width: 30, height: 40, channels: 3, background: "#cc6633" } })
          .jpeg()
          .toBuffer(),
        "image/jpeg",
        "site.jpg",
      );
      await sim.send("telegram", { from: 900, photo: site.file_id });
      const photoIn = await said(900, (i) => (i.text ?? "").includes("📷 عکس ۱ از حداکثر ۵"));
      await press(900, 900, photoIn, "✔️ تمام");
      const askNote = await said(900, (i) => (i.text ?? "").includes("یادداشت داخلی"));
      await press(900, 900, askNote, "بدون یادداشت");
      const askTell = await said(900, (i) => (i.text ?? "").includes("به شهروند اطلاع داده شود"));
      const beforeTell = seq;
      await press(900, 900, askTell, "📣 بله، اطلاع بده");
      await said(
        900,
        (i) =>
          i.text ===
          `✅ بازدید پرونده ${ltr(code)} ثبت شد: در محل، ۲۲ متر، موقعیت زنده، ۱ عکس. به شهروند اطلاع داده شد.`,
      );
      // Every step of the visit got its answer: the bot never had to repeat a step's hint.
      expect(
        (await sim.transcript("telegram", { chat: 900 })).items.filter((i) =>
          (i.text ?? "").includes("در حال ثبت بازدید میدانی هستید"),
        ),
      ).toEqual([]);
      // Sara hears that an inspector visited.
      const visited = await sim.waitFor(
        "telegram",
        (i) => i.from === "bot" && (i.text ?? "").startsWith("🔎 کارشناس شهرداری در "),
        { chat: 5001, since: beforeTell, timeoutMs: 20_000 },
      );
      expect(visited.text).toMatch(
        new RegExp(`^🔎 کارشناس شهرداری در .+ از محل گزارش شما \\(کد \u200e${code}\u200e\\) بازدید کرد\\.$`),
      );

      await press(STAFF, 900, card, "✅ رسیدگی شد");
      const prompt = await sim.waitFor("telegram", (i) => i.from === "bot" && (i.text ?? "").includes("شرح رسیدگی"), {
        chat: STAFF,
        timeoutMs: 20_000,
      });
      await sim.send("telegram", { from: 900, chat: STAFF, text: "لوله تعویض شد", reply_to: prompt.message_id });
      const photoAsk = await sim.waitFor(
        "telegram",
        (i) => i.from === "bot" && (i.text ?? "").includes("پس از رسیدگی"),
        { chat: STAFF, timeoutMs: 20_000 },
      );
      await press(STAFF, 900, photoAsk, "بدون عکس");
      await sim.waitFor("telegram", (i) => i.from === "bot" && (i.text ?? "").includes("رسیدگی‌شده ثبت شد"), {
        chat: STAFF,
        timeoutMs: 20_000,
      });

      // Sara gets the resolution with the rating buttons and rates it.
      const resolution = await said(5001, (i) => (i.text ?? i.caption ?? "").includes(`گزارش ${ltr(code)} رسیدگی شد`));
      await press(5001, 5001, resolution, "۵⭐");
      const thanks = await sim.waitFor(
        "telegram",
        (i) => i.kind === "callback_answer" && (i.alert?.text ?? "").includes("۵ از ۵"),
        { chat: 5001, timeoutMs: 20_000 },
      );
      expect(thanks.alert!.text).toBe("از امتیاز شما سپاسگزاریم (۵ از ۵).");

      // Other channels on the same port serve the sandbox's data: Open311 lists the case (closed,
      // no personal field), the public map page loads.
      const listed = (await (await fetch(`${url}open311/v2/requests/${code.replace("-", "")}.json`)).json()) as {
        service_request_id: string;
        status: string;
      }[];
      expect(listed).toMatchObject([{ service_request_id: code.replace("-", ""), status: "closed" }]);
      expect(JSON.stringify(listed)).not.toMatch(/Sara|5001/);
      const map = await fetch(`${url}map`);
      expect(map.status).toBe(200);
      expect(await map.text()).toMatch(/<html[^>]*dir="rtl"/);

      // The database the sandbox printed holds the report, resolved and rated.
      const uri = /MONGODB_URI=(\S+)/.exec(run.output())![1]!;
      const conn = await mongoose.createConnection(uri).asPromise();
      try {
        const report = await conn.collection("reports").findOne({ code: code.replace("-", "") });
        expect(report).toMatchObject({ status: "resolved", platform: "telegram", feedback: { rating: 5 } });
        expect(report!.visits).toHaveLength(1);
        expect(report!.visits[0]).toMatchObject({
          onSite: true,
          live: true,
          distanceM: 22,
          public: true,
          by: { platform: "telegram", userId: 900 },
        });
        expect(report!.visits[0].photos).toHaveLength(1);
        // GridFS holds a re-encoded JPEG, not the upload; the staff chat was sent exactly that copy.
        const bucket = new mongoose.mongo.GridFSBucket(conn.db!, { bucketName: "photos" });
        const read = async (id: mongoose.Types.ObjectId) => {
          const chunks: Buffer[] = [];
          for await (const c of bucket.openDownloadStream(id)) chunks.push(c as Buffer);
          return Buffer.concat(chunks);
        };
        expect(report!.photos).toHaveLength(1);
        const stored = await read(report!.photos[0].gridfsId as mongoose.Types.ObjectId);
        expect((await sharp(stored).metadata()).format).toBe("jpeg");
        expect(stored.equals(jpeg)).toBe(false);
        expect(staffPhoto.equals(stored)).toBe(true);
        const visitPhoto = await read(report!.visits[0].photos[0] as mongoose.Types.ObjectId);
        expect(await sharp(visitPhoto).metadata()).toMatchObject({ format: "jpeg", width: 30, height: 40 });
      } finally {
        await conn.close();
      }
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
    },
  );
  it(
    "prints an export block for admin scripts: with it doctor checks the sandbox's bots and chats, and the weekly table reaches the managers chat; another database ignores the sandbox's runtime file",
    { timeout: 120_000 },
    async () => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "sandbox-"));
      const { run, url } = await startSandbox({ SANDBOX_DATA_DIR: dataDir });
      // What an admin does: paste the printed export line into another terminal in the same directory.
      const env: Record<string, string> = { ...exported(run.output()), SANDBOX_DATA_DIR: dataDir };

      const doctor = await runScript("doctor", [], env);
      expect(doctor.output).toContain("✓ telegram bot: @citizen137_bot");
      expect(doctor.output).toContain("✓ bale bot: @citizen137_bale_bot");
      expect(doctor.output).toContain("✓ staff chat: telegram:-1001370000001 reachable, the bot is a member");
      expect(doctor.output).toContain("✓ managers chat: telegram:-1001370000002 reachable, the bot is a member");
      expect(doctor.output).not.toContain("✗");
      expect(doctor.code).toBe(0);

      const sim = new SimClient(url.replace(/\/$/, ""));
      const since = (await sim.transcript("telegram")).seq;
      const job = await runScript("job", ["weekly-table"], env);
      expect(job.output).toContain("weekly_table → telegram:-1001370000002");
      expect(job.code).toBe(0);
      // The running sandbox's outbox sends what the script queued.
      await sim.waitFor("telegram", (i) => i.from === "bot", { chat: -1001370000002, since, timeoutMs: 20_000 });

      // The same data directory but another database (production, say): the sandbox's file does not apply.
      const other = await runScript("doctor", [], {
        MONGODB_URI: env.MONGODB_URI!.replace(/\/citizen137$/, "/elsewhere"),
        SANDBOX_DATA_DIR: dataDir,
      });
      expect(other.output).toContain("– bots: no bot token configured");
      expect(other.output).toContain("– staff chat: not configured");

      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
      // Gone with the sandbox: a script can no longer be pointed at bots that are not there.
      expect(existsSync(path.join(dataDir, "sandbox-runtime.json"))).toBe(false);
    },
  );
});
