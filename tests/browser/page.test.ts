// The browser chat page driven in Debian's Chromium: a citizen files a report by clicking through
// the page, the case card appears in the staff pane, an official takes it there, records the
// required field visit in his private chat with the bot (the staff pane's other tab: a live
// location from the map, a photo, the visit's buttons) and resolves it, and the citizen rates it. Real parts only: the Bot API emulator, the production bot (long polling),
// the outbox dispatcher and MongoDB; the page is served by sandbox/web/serve.ts on the same origin
// as the emulator's /sim API.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import type { Bot } from "grammy";
import { Api } from "grammy";
import pino from "pino";
import { startBotApiEmulator } from "../../sandbox/bot-api/server.ts";
import { createWebHandler } from "../../sandbox/web/serve.ts";
import { createBot } from "../../bot/create-bot.ts";
import { loadConfig } from "../../core/config.ts";
import { createI18n } from "../../core/i18n.ts";
import { botApiFetch, setupApi } from "../../bot/api-setup.ts";
import { nodeFetch } from "../../bot/throttled-fetch.ts";
import { staffFallbackChat } from "../../core/platforms.ts";
import { OutboxDispatcher } from "../../bot/outbox/dispatcher.ts";
import type { BotContext } from "../../core/context.ts";
import { RegionRouter } from "../../models/geography/routing.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import type { Platform } from "../../models/common/platform.ts";
import { DEFAULT_REGIONS } from "../../models/geography/default-regions.ts";
import { useTestDb } from "../support/test-db.ts";
import { formatTime } from "../../sandbox/web/clock.js";
import { ltr } from "../../core/format.ts";

const CHROMIUM = "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.log(`[browser] skipped: ${CHROMIUM} is missing (Debian: apt-get install -y chromium)`);

const OUT_DIR = path.resolve("test-results");
/** The desk's TZ_NAME; the browser runs in another zone, so times on the page prove they follow the desk. */
const DESK_ZONE = "Asia/Tehran";
const BROWSER_ZONE = "America/New_York";
const STAFF_CHAT = -1001370000001;
const MANAGERS_CHAT = -1001370000002;
const BOTS = [
  {
    platform: "telegram",
    token: "111111:SANDBOX-telegram",
    id: 7001,
    username: "citizen137_bot",
    firstName: "Citizen 137",
  },
  {
    platform: "bale",
    token: "222222:SANDBOX-bale",
    id: 7002,
    username: "citizen137_bale_bot",
    firstName: "Citizen 137",
  },
] as const;

/** A small solid-colour PNG: a real image file for the photo upload. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", pixels),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

interface Running {
  url: string;
  stop(): Promise<void>;
}

/** The page's handler and the emulator behind one origin, as `npm start` mounts them. */
async function frontServer(emulatorUrl: string): Promise<Running> {
  const web = createWebHandler({ regions: DEFAULT_REGIONS, timeZone: DESK_ZONE });
  const target = new URL(emulatorUrl);
  const server = http.createServer((req, res) => {
    if (web(req, res)) return;
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// Each step waits on a real bot over HTTP: generous per-test time for a loaded CI machine.
describe.skipIf(!HAVE_CHROMIUM)("browser chat page (Chromium)", { timeout: 90_000 }, () => {
  useTestDb();
  let emulator: Running;
  let front: Running;
  let browser: Browser;
  let page: Page;
  const bots: Bot<BotContext>[] = [];
  let dispatcher: OutboxDispatcher;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    emulator = await startBotApiEmulator({ host: "127.0.0.1", port: 0, bots: BOTS.map((b) => ({ ...b })) });
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: BOTS[0].token,
      TELEGRAM_API_ROOT: emulator.url,
      BALE_BOT_TOKEN: BOTS[1].token,
      BALE_API_ROOT: emulator.url,
      STAFF_CHAT_ID: String(STAFF_CHAT),
      MANAGERS_CHAT_ID: String(MANAGERS_CHAT),
      LOG_LEVEL: "silent",
      API_THROTTLE: "off",
    });
    const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
    const i18n = createI18n(config.DEFAULT_LOCALE);
    const router = new RegionRouter(staffFallbackChat(config));
    const apis: Partial<Record<Platform, Api>> = {};
    const outboxApis: Partial<Record<Platform, Api>> = {};
    for (const b of BOTS) {
      const apiFetch = botApiFetch(nodeFetch, config.API_THROTTLE);
      const bot = createBot({
        app: {
          config,
          platform: b.platform,
          logger,
          i18n,
          apiRoot: emulator.url,
          token: b.token,
          fetch: nodeFetch,
          apiFetch,
          now: () => new Date(),
          router,
          apis,
          wakeOutbox: () => dispatcher.wakeUp(),
        },
      });
      await bot.init();
      apis[b.platform] = bot.api;
      const outboxApi = new Api(b.token, { apiRoot: emulator.url, fetch: apiFetch as never });
      setupApi(outboxApi, { platform: b.platform, retry: false });
      outboxApis[b.platform] = outboxApi;
      void bot.start({ timeout: 1 });
      bots.push(bot);
    }
    dispatcher = new OutboxDispatcher({ apis: outboxApis, i18n, config, logger, pollMs: 200 });
    dispatcher.start();
    // Omid (900) works every district; the page's staff identities are these ids.
    await upsertStaff({
      platform: "telegram",
      userId: 900,
      name: "Omid",
      role: "official",
      regions: ["r1", "r2", "r3", "r4"],
    });
    await upsertStaff({
      platform: "telegram",
      userId: 901,
      name: "Mina",
      role: "manager",
      regions: ["r1", "r2", "r3", "r4"],
    });

    front = await frontServer(emulator.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, timezoneId: BROWSER_ZONE });
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(bots.map((b) => b.stop()));
    await dispatcher?.stop();
    await front?.stop();
    await emulator?.stop();
  });

  const pane = (name: "citizen" | "staff" | "managers"): Locator => page.getByTestId(`pane-${name}`);
  /** The last message in a pane whose text contains `text`. */
  const message = (p: Locator, text: string | RegExp): Locator =>
    p.getByTestId("message").filter({ hasText: text }).last();
  const inlineButton = (m: Locator, label: string | RegExp): Locator =>
    m.getByTestId("inline-button").filter({ hasText: label });
  const shown = (l: Locator, timeout = 10_000): Promise<void> => l.waitFor({ state: "visible", timeout });
  const textOf = (l: Locator): Promise<string> => l.innerText({ timeout: 2_000 }).catch(() => "");
  const attr = (l: Locator, name: string): Promise<string | null> =>
    l.getAttribute(name, { timeout: 2_000 }).catch(() => null);
  /**
   * Whether Chromium draws `token` (found in the message's text) left to right in the order it is typed:
   * the x of each character's box, from the layout itself, must grow along the token (the marks around it
   * are zero-width). This is what the reader sees, not what the DOM holds.
   */
  const drawnAsTyped = (m: Locator, token: string): Promise<{ found: boolean; increasing: boolean }> =>
    m.getByTestId("message-text").evaluate((root, tok) => {
      // The DOM calls this needs, typed here: the test's TypeScript has no DOM library.
      type TextNode = { data: string };
      type Doc = {
        createTreeWalker(root: unknown, show: number): { nextNode(): TextNode | null };
        createRange(): {
          setStart(n: TextNode, o: number): void;
          setEnd(n: TextNode, o: number): void;
          getBoundingClientRect(): { left: number };
        };
      };
      const doc = (globalThis as unknown as { document: Doc }).document;
      const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
      let text = "";
      const nodes: { node: TextNode; start: number }[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push({ node: n, start: text.length });
        text += n.data;
      }
      const plain = [...text].map((ch, i) => ({ ch, i })).filter(({ ch }) => ch !== "\u200e" && ch !== "\u200f");
      const at = plain
        .map(({ ch }) => ch)
        .join("")
        .indexOf(tok);
      if (at < 0) return { found: false, increasing: false };
      const xs = plain
        .slice(at, at + tok.length)
        .filter(({ ch }) => ch !== " ")
        .map(({ i }) => {
          const owner = nodes.findLast((n) => n.start <= i)!;
          const range = doc.createRange();
          range.setStart(owner.node, i - owner.start);
          range.setEnd(owner.node, i - owner.start + 1);
          return range.getBoundingClientRect().left;
        });
      return { found: true, increasing: xs.every((x, k) => k === 0 || x > xs[k - 1]!) };
    }, token);
  async function typeAndSend(p: Locator, text: string): Promise<void> {
    await p.getByTestId("text-input").fill(text);
    await p.getByTestId("send-button").click();
  }

  it("files a report as a citizen, and the case card appears in the staff pane", async () => {
    await page.goto(front.url);
    await page.waitForSelector("body[data-ready]", { timeout: 15_000 });
    const citizen = pane("citizen");
    const staff = pane("staff");

    // The page set up the simulated world: three citizens, three staff, two groups.
    const state = (await (await fetch(`${emulator.url}/sim/state`)).json()) as {
      users: { platform: string; id: number }[];
      chats: { platform: string; id: number }[];
    };
    expect(
      state.users
        .filter((u) => u.platform === "telegram")
        .map((u) => u.id)
        .sort((a, b) => a - b),
    ).toEqual([900, 901, 902, 5001, 5002, 5003]);
    expect(state.chats.map((c) => c.id)).toEqual(expect.arrayContaining([STAFF_CHAT, MANAGERS_CHAT]));

    // Sara (5001, fa) starts the bot and opens the report form from the reply keyboard.
    await citizen.getByTestId("start-button").click();
    const welcome = message(citizen, "سامانه ۱۳۷ شهرداری");
    await shown(welcome);
    expect(await welcome.getByTestId("message-text").getAttribute("dir")).toBe("auto");
    await citizen.getByTestId("reply-button").filter({ hasText: "ثبت گزارش جدید" }).click();

    // Category: an inline button.
    await inlineButton(message(citizen, "چه نوع مشکلی"), "چاله و خرابی آسفالت").click();
    // Description: typed text.
    await shown(message(citizen, "مشکل را در چند جمله شرح دهید"));
    await typeAndSend(citizen, "یک چاله بزرگ وسط خیابان آزادی که خطرناک است");
    // Location: the request_location reply button opens the map; a click in district 2 picks it.
    await citizen.getByTestId("reply-button").filter({ hasText: "ارسال موقعیت من" }).click();
    const map = citizen.getByTestId("map");
    await shown(map);
    const box = await map.boundingBox();
    if (!box) throw new Error("map not drawn");
    // lon 51.1, lat 35.87: 3/4 across, 1/4 down the 50.8–51.2 × 35.72–35.92 area.
    await map.click({ position: { x: box.width * 0.75, y: box.height * 0.25 } });
    expect(await textOf(citizen.getByTestId("pick-info"))).toBe("منطقه ۲ (شمال شرق)");
    const [lat, lon] = (await citizen.getByTestId("latlon-input").inputValue()).split(",").map(Number) as [
      number,
      number,
    ];
    expect(lat).toBeCloseTo(35.87, 2);
    expect(lon).toBeCloseTo(51.1, 2);
    await citizen.getByTestId("location-send").click();
    await shown(citizen.getByTestId("message-location").last());
    // Photos: skipped with the inline button; contact: the "Skip" reply button.
    await inlineButton(message(citizen, "حداکثر ۳ عکس"), "بدون عکس").click();
    await citizen.getByTestId("reply-button").filter({ hasText: "رد شدن" }).click();
    // The summary, then Submit.
    const summary = message(citizen, "لطفاً گزارش خود را بررسی کنید");
    await shown(summary);
    expect(await textOf(summary)).toContain("چاله و خرابی آسفالت");
    await inlineButton(summary, "ثبت").click();
    const submitted = message(citizen, "کد رهگیری");
    await shown(submitted, 15_000);
    const code = /(\d{4}-\d{4})/.exec(await textOf(submitted))?.[1] ?? "";
    expect(code).toMatch(/^\d{4}-\d{4}$/);
    // Laid out right to left, the code and the command still read as typed (issue 14 §1: without the
    // marks the code showed as its halves swapped and the command as "status …/").
    expect(await attr(submitted.getByTestId("message-text"), "dir")).not.toBe("ltr");
    expect(await drawnAsTyped(submitted, code)).toEqual({ found: true, increasing: true });
    expect(await drawnAsTyped(submitted, `/status ${code}`)).toEqual({ found: true, increasing: true });
    // A second tap on Submit: the bot answers with show_alert, which the page shows as an alert box.
    await inlineButton(summary, "ثبت").click();
    const alert = citizen.getByTestId("alert");
    await shown(alert);
    expect(await textOf(alert)).toContain(`قبلاً ثبت شده است. کد رهگیری: ${ltr(code)}`);
    await alert.getByTestId("alert-ok").click();
    await alert.waitFor({ state: "hidden" });

    // The staff group gets the case card (bot HTML drawn as DOM: the code in <b>) with its buttons.
    const card = staff
      .getByTestId("message")
      .filter({ has: page.getByTestId("inline-button") })
      .filter({ hasText: code })
      .last();
    await shown(card, 15_000);
    expect(await card.locator("b").filter({ hasText: code }).count()).toBe(1);
    expect(await drawnAsTyped(card, code)).toEqual({ found: true, increasing: true });
    expect(await textOf(card)).toContain("یک چاله بزرگ وسط خیابان آزادی");
    expect(await inlineButton(card, "برعهده می‌گیرم").count()).toBe(1);
    // The pin after the card: a location message with its mini map.
    await shown(staff.getByTestId("message-location").last());
    expect(Number(await attr(staff.getByTestId("message-location").last(), "data-lat"))).toBeCloseTo(lat, 5);

    mkdirSync(OUT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(OUT_DIR, "browser-report-card.png"), fullPage: true });
  });

  it("lets the official take the case, record the field visit in his private chat, resolve it from the staff pane, and the citizen rate it", async () => {
    const citizen = pane("citizen");
    const staff = pane("staff");
    const cardId = await staff
      .getByTestId("message")
      .filter({ has: page.getByTestId("inline-button") })
      .last()
      .getAttribute("data-message-id");
    const card = staff.locator(`[data-testid="message"][data-message-id="${cardId}"]`);
    const code = /(\d{4}-\d{4})/.exec(await textOf(card))?.[1] ?? "";
    // Where the citizen reported it: the bot's pin after the card.
    const pin = staff.getByTestId("message-location").last();
    const [siteLat, siteLon] = [Number(await attr(pin, "data-lat")), Number(await attr(pin, "data-lon"))];
    expect(siteLat).toBeGreaterThan(35);
    const groupTab = staff.locator('[data-testid="chat-tab"][data-chat="group"]');
    const privateTab = staff.locator('[data-testid="chat-tab"][data-chat="private"]');
    expect(await attr(groupTab, "aria-pressed")).toBe("true");

    // Omid (the default staff identity) takes it: a toast answers the press, the card is edited in place.
    await inlineButton(card, "برعهده می‌گیرم").click();
    await expect.poll(() => textOf(staff.getByTestId("toast")), { timeout: 10_000 }).toContain("برعهده گرفتید");
    await expect.poll(() => textOf(card), { timeout: 10_000 }).toContain("مسئول");
    expect(await attr(card, "class")).toContain("edited");

    // A pothole needs an on-site visit before "Resolved". The visit is recorded in private, and
    // Omid never opened his private chat with the bot: the bot cannot write first and says so.
    await inlineButton(card, "ثبت بازدید").click();
    const alert = staff.getByTestId("alert");
    await shown(alert);
    expect(await textOf(alert)).toContain(`گفتگو با \u200e@${ltr("citizen137_bot")} را باز کنید`);
    await alert.getByTestId("alert-ok").click();
    // The staff pane's private tab: Omid's own chat with the bot, opened with Start.
    await privateTab.click();
    await expect.poll(() => attr(staff, "data-chat-id")).toBe("900");
    expect(await attr(privateTab, "aria-pressed")).toBe("true");
    await staff.getByTestId("start-button").click();
    await shown(message(staff, "Omid گرامی"));
    // Back in the group, "Record visit" now sends the invitation to the private chat; its tab gets a dot.
    await groupTab.click();
    await expect.poll(() => attr(staff, "data-chat-id")).toBe(String(STAFF_CHAT));
    await inlineButton(card, "ثبت بازدید").click();
    await shown(alert);
    expect(await textOf(alert)).toContain(
      `در گفتگوی خصوصی برایتان پیام فرستادم؛ بازدید ${ltr(code)} را آنجا ثبت کنید.`,
    );
    await alert.getByTestId("alert-ok").click();
    await expect.poll(() => attr(privateTab, "data-unread"), { timeout: 10_000 }).toBe("");
    await privateTab.click();
    expect(await attr(privateTab, "data-unread")).toBeNull();
    await inlineButton(message(staff, `بازدید میدانی پرونده ${ltr(code)}`), "شروع بازدید").click();
    await shown(message(staff, "موقعیت فعلی خود را بفرستید"));
    // The bot's request_location button sends a one-off location: the picker offers no live choice there.
    await staff.getByTestId("reply-button").filter({ hasText: "ارسال موقعیت فعلی من" }).click();
    await shown(staff.getByTestId("location-picker"));
    expect(await staff.getByTestId("live-select").isHidden()).toBe(true);
    await staff.getByTestId("location-cancel").click();
    // The attachment menu's pin (Telegram) does: a live location for 15 minutes, ≈ 22 m north of the report.
    await staff.getByTestId("location-button").click();
    await staff.getByTestId("live-select").selectOption("900");
    await staff.getByTestId("latlon-input").fill(`${(siteLat + 0.0002).toFixed(7)}, ${siteLon.toFixed(7)}`);
    await staff.getByTestId("location-send").click();
    const live = staff.getByTestId("message-location").last();
    await shown(live);
    expect(await attr(live, "data-live-period")).toBe("900");
    expect(await textOf(live.getByTestId("live-location"))).toContain("موقعیت زنده");
    await shown(message(staff, "✅ در محل: ۲۲ متر تا نقطه گزارش"));
    await shown(message(staff, "یک یا چند عکس تازه از محل"));
    // Walking around the site: the live location moves (an edited_message for the bot, which stays quiet).
    await live.getByTestId("live-move").click();
    expect(await textOf(staff.getByTestId("location-send"))).toBe("جابه‌جا کن");
    expect(await staff.getByTestId("live-select").isHidden()).toBe(true);
    await staff.getByTestId("latlon-input").fill(`${(siteLat + 0.0001).toFixed(7)}, ${siteLon.toFixed(7)}`);
    await staff.getByTestId("location-send").click();
    await expect
      .poll(async () => Number(await attr(staff.getByTestId("message-location").last(), "data-lat")))
      .toBeCloseTo(siteLat + 0.0001, 6);
    // A photo taken on site, then the visit's inline buttons.
    await staff
      .getByTestId("photo-input")
      .setInputFiles({ name: "site.png", mimeType: "image/png", buffer: png(40, 30, [90, 90, 90]) });
    await inlineButton(message(staff, "📷 عکس ۱ از حداکثر ۵ رسید"), "تمام").click();
    await inlineButton(message(staff, "یادداشت داخلی"), "بدون یادداشت").click();
    await inlineButton(message(staff, "به شهروند اطلاع داده شود"), "بله، اطلاع بده").click();
    await shown(
      message(
        staff,
        `✅ بازدید پرونده ${ltr(code)} ثبت شد: در محل، ۲۲ متر، موقعیت زنده، ۱ عکس. به شهروند اطلاع داده شد.`,
      ),
    );
    expect(await staff.getByTestId("message").filter({ hasText: "در حال ثبت بازدید میدانی هستید" }).count()).toBe(0);
    await page.screenshot({ path: path.join(OUT_DIR, "browser-field-visit.png"), fullPage: true });
    // Sara hears of the visit; the card in the group shows it.
    await shown(message(citizen, `از محل گزارش شما (کد ${ltr(code)}) بازدید کرد`), 15_000);
    await groupTab.click();
    await expect.poll(() => attr(staff, "data-chat-id")).toBe(String(STAFF_CHAT));
    await expect.poll(() => textOf(card), { timeout: 10_000 }).toContain("🔎 بازدید Omid");
    expect(await textOf(card)).toContain("در محل، ۲۲ متر (موقعیت زنده)");

    // Resolve: a force-reply prompt names Omid; he just types, and the page replies to the prompt.
    await inlineButton(card, "رسیدگی شد").click();
    const prompt = message(staff, "شرح رسیدگی پرونده");
    await shown(prompt);
    const promptId = await prompt.getAttribute("data-message-id");
    await expect.poll(() => attr(staff.getByTestId("reply-chip"), "data-reply-to")).toBe(promptId);
    await typeAndSend(staff, "آسفالت ترمیم شد و چاله پر شد.");
    const answer = message(staff, "آسفالت ترمیم شد");
    await shown(answer);
    expect(await attr(answer.locator(".quote"), "data-reply-to")).toBe(promptId);
    const photoPrompt = message(staff, "پس از رسیدگی");
    await shown(photoPrompt);
    await inlineButton(photoPrompt, "بدون عکس").click();
    await shown(message(staff, "رسیدگی‌شده ثبت شد"));
    await expect.poll(() => textOf(card), { timeout: 10_000 }).toContain("رسیدگی شد");

    // The citizen is told and asked; "Fixed" closes the story.
    const ask = message(citizen, "آیا مشکل برطرف شد");
    await shown(ask, 15_000);
    await inlineButton(ask, "رفع شد ✅").click();
    await shown(message(citizen, "خوشحالیم"));

    await page.screenshot({ path: path.join(OUT_DIR, "browser-story.png"), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  it("in English as John: a photo upload, typed coordinates and the shared contact reach the staff pane", async () => {
    await page.getByTestId("lang-toggle").click();
    expect(await page.locator("html").getAttribute("dir")).toBe("ltr");
    const citizen = pane("citizen");
    const staff = pane("staff");
    expect(await textOf(citizen.getByTestId("send-button"))).toBe("Send");
    await citizen.getByTestId("identity-select").selectOption("5003");
    await expect.poll(() => attr(citizen, "data-chat-id")).toBe("5003");

    // John's language_code is "en": the bot answers in English.
    await citizen.getByTestId("start-button").click();
    await shown(message(citizen, "welcome to the municipality's 137 service"));
    await citizen.getByTestId("reply-button").filter({ hasText: "New report" }).click();
    await inlineButton(message(citizen, "What kind of problem"), "Street lighting").click();
    await shown(message(citizen, "Describe the problem"));
    await typeAndSend(citizen, "The street light at the corner has been dark for a week.");
    // Street lighting asks for the pole number (optional): skipped.
    await inlineButton(message(citizen, "Pole number"), "⏭ Skip").click();
    // Coordinates typed in the picker (Persian digits work too), opened from the input row.
    await shown(message(citizen, "Share my location"));
    await citizen.getByTestId("location-button").click();
    await citizen.getByTestId("latlon-input").fill("۳۵٫۷۶، ۵۰٫۹");
    expect(await textOf(citizen.getByTestId("pick-info"))).toBe("District 3 (south-west)");
    await citizen.getByTestId("location-send").click();
    // A photo from the file input: uploaded to the emulator, sent, and drawn from /sim/…/file.
    await shown(message(citizen, "Send up to 3 photos"));
    await citizen
      .getByTestId("photo-input")
      .setInputFiles({ name: "lamp.png", mimeType: "image/png", buffer: png(64, 48, [250, 200, 40]) });
    const sentPhoto = citizen.getByTestId("message-photo").last();
    await shown(sentPhoto);
    await expect
      .poll(() => sentPhoto.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(64);
    await inlineButton(message(citizen, "Photo 1 of 3 received"), "Done").click();
    // Contact: the request_contact reply button sends John's own number.
    await citizen.getByTestId("reply-button").filter({ hasText: "Share my phone number" }).click();
    await shown(citizen.getByTestId("message-contact").last());
    const summary = message(citizen, "Please check your report");
    await shown(summary);
    expect(await textOf(summary)).toContain("+989120005003");
    await inlineButton(summary, "Submit").click();
    const submitted = message(citizen, "Tracking code");
    await shown(submitted, 15_000);
    const code = /(\d{4}-\d{4})/.exec(await textOf(submitted))?.[1] ?? "";

    // The staff group: the photo (copied into the case, sent by the bot), then the card with John's number, masked.
    const card = staff
      .getByTestId("message")
      .filter({ has: page.getByTestId("inline-button") })
      .filter({ hasText: code })
      .last();
    await shown(card, 15_000);
    expect(await textOf(card)).toContain("+98 912 *** 5003");
    const staffPhoto = staff.getByTestId("message-photo").last();
    await shown(staffPhoto);
    await expect
      .poll(() => staffPhoto.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(64);
    await page.screenshot({ path: path.join(OUT_DIR, "browser-english-photo.png"), fullPage: true });
  });

  it("switches the citizen to Bale; the staff groups stay on the staff platform", async () => {
    const citizen = pane("citizen");
    await page.getByTestId("platform-select").selectOption("bale");
    await page.waitForSelector('body[data-ready="bale+telegram"]', { timeout: 10_000 });
    await citizen.getByTestId("identity-select").selectOption("5002");
    await expect.poll(() => attr(citizen, "data-chat-id")).toBe("5002");
    await citizen.getByTestId("start-button").click();
    await shown(message(citizen, "Ali گرامی"));
    const state = (await (await fetch(`${emulator.url}/sim/state`)).json()) as {
      users: { platform: string; id: number }[];
    };
    expect(state.users.filter((u) => u.platform === "bale").length).toBe(6);
    // The staff pane still shows the Telegram staff group with its cards.
    expect(await pane("staff").getByTestId("message").count()).toBeGreaterThan(3);
  });

  it("shows message times in the desk's TZ_NAME, not the browser's zone, as the bot's own texts date them", async () => {
    const citizen = pane("citizen");
    const last = citizen.getByTestId("message").last();
    await shown(last);
    const chatId = Number(await attr(citizen, "data-chat-id"));
    const platform = (await page.getByTestId("platform-select").inputValue()) as Platform;
    const items = (
      (await (await fetch(`${emulator.url}/sim/${platform}/transcript?chat=${chatId}`)).json()) as {
        items: { date?: number }[];
      }
    ).items;
    const dates = items.flatMap((i) => (i.date ? [i.date] : []));
    expect(dates.length).toBeGreaterThan(0);
    const shownTime = await textOf(last.locator(".time"));
    // The chat's messages are minutes apart; Tehran and New York are 8½ or 7½ hours apart.
    // In the page's own language (an earlier test switched it).
    const lang = (await page.locator("html").getAttribute("lang")) === "en" ? "en" : "fa";
    expect(dates.map((d) => formatTime(d, lang, DESK_ZONE))).toContain(shownTime);
    expect(dates.map((d) => formatTime(d, lang, BROWSER_ZONE))).not.toContain(shownTime);
  });

  it("asks for an emoji font when none draws emoji (forced with ?emojiFont=missing), and not when one does", async () => {
    const other = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      await other.goto(`${front.url}/?emojiFont=missing`);
      await other.waitForSelector("body[data-ready]", { timeout: 15_000 });
      const hint = other.getByTestId("emoji-hint");
      await shown(hint);
      expect(await textOf(hint)).toContain("sudo apt install fonts-noto-color-emoji");
      expect(await textOf(hint)).toContain("قلم ایموجی");

      await other.goto(`${front.url}/?emojiFont=present`);
      await other.waitForSelector("body[data-ready]", { timeout: 15_000 });
      expect(await other.getByTestId("emoji-hint").isHidden()).toBe(true);

      // Unforced, the page measures: its answer agrees with fontconfig's list of fonts that draw U+1F600.
      // (A string: the page's module and document, not this process's.)
      const measured: unknown = await other.evaluate(
        "import('/emoji-font.js').then((m) => m.emojiFontMissing(m.canvasRenderer(document)))",
      );
      expect(typeof measured).toBe("boolean");
      const fc = spawnSync("fc-list", [":charset=1f600", "family"], { encoding: "utf8" });
      if (fc.error)
        console.log(
          `[browser] fc-list unavailable (${fc.error.message}): the measured answer (${measured ? "missing" : "present"}) is not cross-checked`,
        );
      else expect(measured).toBe(fc.stdout.trim() === "");
    } finally {
      await other.close();
    }
  });

  it("recovers from an emulator reset: the next send creates users and chats again", async () => {
    const citizen = pane("citizen");
    await fetch(`${emulator.url}/sim/reset`, { method: "POST" });
    await typeAndSend(citizen, "/start");
    // Every pane read its chat again: only what happened after the reset is left.
    await expect.poll(() => citizen.getByTestId("message").count(), { timeout: 10_000 }).toBe(2);
    expect(await textOf(citizen.getByTestId("message").first())).toContain("/start");
    expect(await textOf(citizen.getByTestId("message").last())).toContain("Ali گرامی");
    await expect.poll(() => pane("staff").getByTestId("message").count()).toBe(0);
    expect(consoleErrors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
});
