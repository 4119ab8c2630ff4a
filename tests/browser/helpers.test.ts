import { describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  entitiesToNodes,
  mentionsIn,
  messageNodes,
  parseBotHtml,
  plainText,
  safeHref,
  textDirection,
} from "../../sandbox/web/bot-html.js";
import {
  DEFAULT_AREA,
  makeProjection,
  parseLatLon,
  pointInGeometry,
  regionAt,
  type MapRegion,
} from "../../sandbox/web/map.js";
import { createWebHandler, regionsPayload } from "../../sandbox/web/serve.ts";
import { DEFAULT_REGIONS } from "../../models/geography/default-regions.ts";
import { formatTime } from "../../sandbox/web/clock.js";
import { EMOJI_FONT_PACKAGE, EMOJI_INSTALL, emojiFontMissing } from "../../sandbox/web/emoji-font.js";

describe("bot HTML → safe node tree", () => {
  it("keeps only Telegram's tags and decodes entities", () => {
    const nodes = parseBotHtml("📋 پرونده <b>1234-5678</b> &lt;x&gt; &amp; <script>alert(1)</script><i>it</i>");
    expect(nodes).toEqual([
      { type: "text", text: "📋 پرونده " },
      { type: "el", tag: "b", children: [{ type: "text", text: "1234-5678" }] },
      // <script> is not a tag we draw: its text stays as inert text, never markup.
      { type: "text", text: " <x> & alert(1)" },
      { type: "el", tag: "i", children: [{ type: "text", text: "it" }] },
    ]);
  });

  it("treats attributes and event handlers as nothing but the href of <a>", () => {
    const nodes = parseBotHtml(
      '<a href="javascript:alert(1)" onclick="x()">bad</a> <a href="https://example.org/?a=1&amp;b=2">ok</a> <b onmouseover="x()">b</b>',
    );
    expect(nodes[0]).toEqual({
      type: "el",
      tag: "a",
      href: "javascript:alert(1)",
      children: [{ type: "text", text: "bad" }],
    });
    expect(safeHref((nodes[0] as { href?: string }).href)).toBeNull();
    expect(safeHref((nodes[2] as { href?: string }).href)).toBe("https://example.org/?a=1&b=2");
    expect(nodes[4]).toEqual({ type: "el", tag: "b", children: [{ type: "text", text: "b" }] });
  });

  it("closes unbalanced tags and ignores stray closers", () => {
    expect(parseBotHtml("<b>bold <i>both</b> after</i>")).toEqual([
      {
        type: "el",
        tag: "b",
        children: [
          { type: "text", text: "bold " },
          { type: "el", tag: "i", children: [{ type: "text", text: "both" }] },
        ],
      },
      { type: "text", text: " after" },
    ]);
  });

  it("finds whom a force-reply prompt names", () => {
    const prompt = messageNodes({
      text: '<a href="tg://user?id=900">Omid</a>، شرح رسیدگی را بنویسید',
      parse_mode: "HTML",
    });
    expect(mentionsIn(prompt)).toEqual([900]);
    expect(plainText(prompt)).toBe("Omid، شرح رسیدگی را بنویسید");
  });

  it("renders text + entities the same way (UTF-16 offsets, nesting)", () => {
    const text = "🆕 case 1234 by Omid";
    const nodes = entitiesToNodes(text, [
      { type: "bold", offset: 3, length: 9 },
      { type: "italic", offset: 8, length: 4 },
      { type: "text_mention", offset: 16, length: 4, user: { id: 900 } },
    ]);
    expect(plainText(nodes)).toBe(text);
    expect(nodes[1]).toEqual({
      type: "el",
      tag: "b",
      children: [
        { type: "text", text: "case " },
        { type: "el", tag: "i", children: [{ type: "text", text: "1234" }] },
      ],
    });
    expect(mentionsIn(nodes)).toEqual([900]);
  });

  it("lets the browser pick the direction, unless the first letter misleads it", () => {
    expect(textDirection("سلام Sara!")).toBe("auto");
    expect(textDirection("Hello سارا, welcome")).toBe("auto");
    // A Persian prompt that begins with a Latin name is still right-to-left.
    expect(textDirection("Omid، شرح رسیدگی پرونده 1234-5678 را در پاسخ بنویسید")).toBe("rtl");
    expect(textDirection("۱۲۳۴ - 1234")).toBe("auto");
    // An RLM opening a Persian text is its first strong character, as in the bidi algorithm: "auto" then lays it out right to left.
    expect(textDirection("\u200fSara گرامی، به سامانه ۱۳۷ شهرداری خوش آمدید")).toBe("auto");
    expect(textDirection("Sara گرامی، به سامانه ۱۳۷ شهرداری خوش آمدید")).toBe("rtl");
  });

  it("shows plain text as text when there is no parse mode", () => {
    expect(messageNodes({ text: "<b>not bold</b>" })).toEqual([{ type: "text", text: "<b>not bold</b>" }]);
    expect(messageNodes({ caption: "📷 photo" })).toEqual([{ type: "text", text: "📷 photo" }]);
  });
});

describe("map helpers", () => {
  const regions: MapRegion[] = regionsPayload(DEFAULT_REGIONS).regions;

  it("projects the service area linearly and back", () => {
    const p = makeProjection(DEFAULT_AREA, 400);
    expect(p.project(50.8, 35.92)).toEqual({ x: 0, y: 0 });
    const corner = p.project(51.2, 35.72);
    expect(corner.x).toBeCloseTo(400);
    expect(corner.y).toBeCloseTo(p.height);
    // Ground proportions: 0.4° of longitude at 35.8°N is ~1.62 times 0.2° of latitude.
    expect(p.height).toBe(Math.round(400 / (2 * Math.cos((35.82 * Math.PI) / 180))));
    const back = p.unproject(p.project(51.05, 35.77).x, p.project(51.05, 35.77).y);
    expect(back.lat).toBeCloseTo(35.77, 10);
    expect(back.lon).toBeCloseTo(51.05, 10);
  });

  it("finds the district under a point", () => {
    expect(regionAt(regions, 35.87, 50.9)?.key).toBe("r1");
    expect(regionAt(regions, 35.77, 51.1)?.key).toBe("r4");
    expect(regionAt(regions, 36.5, 51.1)).toBeNull();
    const withHole = {
      type: "Polygon" as const,
      coordinates: [
        [
          [0, 0],
          [10, 0],
          [10, 10],
          [0, 10],
          [0, 0],
        ],
        [
          [4, 4],
          [6, 4],
          [6, 6],
          [4, 6],
          [4, 4],
        ],
      ],
    };
    expect(pointInGeometry(2, 2, withHole)).toBe(true);
    expect(pointInGeometry(5, 5, withHole)).toBe(false);
  });

  it("reads typed coordinates, Persian digits included", () => {
    expect(parseLatLon("35.83, 50.99")).toEqual({ lat: 35.83, lon: 50.99 });
    expect(parseLatLon("۳۵٫۸۳، ۵۰٫۹۹")).toEqual({ lat: 35.83, lon: 50.99 });
    expect(parseLatLon("35.83 50.99")).toEqual({ lat: 35.83, lon: 50.99 });
    expect(parseLatLon("135, 50")).toBeNull();
    expect(parseLatLon("Azadi square")).toBeNull();
  });
});

describe("createWebHandler", () => {
  async function serve(simBaseUrl?: string) {
    const handler = createWebHandler({ regions: DEFAULT_REGIONS, ...(simBaseUrl ? { simBaseUrl } : {}) });
    const server = http.createServer((req, res) => {
      if (!handler(req, res)) res.writeHead(404).end("not mine");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it("serves the page, its modules and the districts, and nothing else", async () => {
    const { base, close } = await serve();
    try {
      const page = await fetch(`${base}/`);
      expect(page.headers.get("content-type")).toContain("text/html");
      expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(await page.text()).toContain('<meta name="sim-base" content="">');
      for (const file of ["/app.js", "/chat-pane.js", "/map.js", "/api.js", "/bot-html.js", "/ui-text.js"]) {
        const res = await fetch(`${base}${file}`);
        expect(res.status, file).toBe(200);
        expect(res.headers.get("content-type")).toContain("text/javascript");
      }
      expect((await fetch(`${base}/app.css`)).headers.get("content-type")).toContain("text/css");
      const regions = (await (await fetch(`${base}/regions.json`)).json()) as {
        area: unknown;
        regions: { key: string; name: { en: string } }[];
      };
      expect(regions.area).toEqual(DEFAULT_AREA);
      expect(regions.regions.map((r) => r.key)).toEqual(["r1", "r2", "r3", "r4"]);
      expect(regions.regions[0]!.name.en).toBe("District 1 (north-west)");
      for (const other of ["/serve.ts", "/bot-html.d.ts", "/sim/state", "/../package.json", "/index.html/x"]) {
        expect((await fetch(`${base}${other}`)).status, other).toBe(404);
      }
      expect((await fetch(`${base}/app.js`, { method: "POST" })).status).toBe(404);
    } finally {
      await close();
    }
  });

  it("tells the page where the simulation API is when it is elsewhere", async () => {
    const { base, close } = await serve('http://127.0.0.1:9999/"x');
    try {
      const page = await fetch(`${base}/`);
      expect(await page.text()).toContain('<meta name="sim-base" content="http://127.0.0.1:9999/&quot;x">');
      expect(page.headers.get("content-security-policy")).toContain("connect-src 'self' http://127.0.0.1:9999");
    } finally {
      await close();
    }
  });
});

describe("message times follow the desk's time zone (clock.js)", () => {
  // 2026-11-28 05:30 UTC: 09:00 in Tehran (UTC+3:30, no DST since 2022), 05:30 in UTC.
  const at = Date.UTC(2026, 10, 28, 5, 30) / 1000;

  it("shows the time in TZ_NAME, whatever the browser's zone, in the page's digits", () => {
    expect(formatTime(at, "en", "Asia/Tehran")).toBe("09:00");
    expect(formatTime(at, "en", "UTC")).toBe("05:30");
    expect(formatTime(at, "fa", "Asia/Tehran")).toBe("۰۹:۰۰");
  });

  it("falls back to the browser's zone for an unknown zone, and shows nothing without a date", () => {
    expect(formatTime(at, "en", "Not/AZone")).toBe(formatTime(at, "en", undefined));
    expect(formatTime(undefined, "en", "UTC")).toBe("");
  });

  it("the page is served with the zone it is given", async () => {
    const handler = createWebHandler({ regions: DEFAULT_REGIONS, timeZone: "Asia/Tehran" });
    const server = http.createServer((req, res) => {
      if (!handler(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const html = await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)).text();
      expect(html).toContain('<meta name="time-zone" content="Asia/Tehran">');
      expect(html).toContain('data-testid="emoji-hint"');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("emoji font detection (emoji-font.js)", () => {
  // Renderers as a canvas would answer: pixels per text. No emoji font = the emoji is drawn as the
  // same missing-glyph box as a code point no font has.
  const box = [0, 0, 0, 255, 0, 0, 0, 255];
  const smiley = [250, 200, 40, 255, 90, 60, 10, 255];

  it("reports a missing font when the emoji looks exactly like the missing glyph", () => {
    expect(emojiFontMissing(() => box)).toBe(true);
    expect(emojiFontMissing(() => [0, 0, 0, 0])).toBe(true);
  });

  it("reports the font present when the emoji is drawn differently, and does not nag when nothing can draw", () => {
    expect(emojiFontMissing((text) => (text === "\u{1F600}" ? smiley : box))).toBe(false);
    expect(emojiFontMissing(() => null)).toBe(false);
  });

  it("names the Debian package in the install line", () => {
    expect(EMOJI_FONT_PACKAGE).toBe("fonts-noto-color-emoji");
    expect(EMOJI_INSTALL).toBe("sudo apt install fonts-noto-color-emoji");
  });
});
