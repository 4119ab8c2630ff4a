import { describe, expect, it } from "vitest";
import { buttonPattern, decode, decodeAs, encode, ownerOf, type Decoded } from "../../views/buttons/callback-data.ts";
import {
  FAMILIES,
  FORM_ACTIONS,
  STARS,
  VISIT_CHOICES,
  type ButtonFields,
  type Family,
} from "../../views/buttons/families.ts";
import { CARD_ACTIONS } from "../../views/case-card/card-buttons.ts";
import { CALLBACK_DATA_MAX_BYTES } from "../../core/platforms.ts";

const REPORT = "665f1c2b9a8e4d0012345678";
const KEPT = "0123456789abcdef01234567";
const KEY = "a1b2c3d4e5";

/** One or more buttons of every family, the longest values each field allows among them. */
const SAMPLES: { [F in Family]: ButtonFields[F][] } = {
  card: CARD_ACTIONS.map((action) => ({ reportId: REPORT, action })),
  meToo: [{ reportId: REPORT }],
  digestCard: [{ reportId: REPORT }],
  linkReports: [{}],
  assign: [
    { reportId: REPORT, userId: 1 },
    { reportId: REPORT, userId: 7_000_000_001 },
    { reportId: REPORT, userId: Number.MAX_SAFE_INTEGER },
  ],
  visitStart: [{ reportId: REPORT }],
  feedback: [
    { reportId: REPORT, answer: "fixed" },
    { reportId: REPORT, answer: "notfixed" },
    ...STARS.map((answer) => ({ reportId: REPORT, answer })),
  ],
  thread: [
    { keptId: KEPT, reportId: REPORT },
    { keptId: KEPT, reportId: null },
  ],
  reasonSkip: [{ keptId: KEPT }],
  form: [
    ...FORM_ACTIONS.map((action) => ({ key: KEY, action })),
    { key: KEY, action: "cat", arg: "water_leak-2" },
    { key: KEY, action: "fileanyway", arg: "x".repeat(32) },
    { key: KEY, action: "goto", arg: "back" },
  ],
  visit: VISIT_CHOICES.map((choice) => ({ nonce: "zz99zz99", choice })),
  photoSkip: [{}],
  language: [{ locale: "fa" }, { locale: "en" }],
  forget: [{ answer: "yes" }, { answer: "no" }],
};
const FAMILY_NAMES = Object.keys(FAMILIES) as Family[];
const everyButton = FAMILY_NAMES.flatMap((family) =>
  SAMPLES[family].map((fields) => ({ family, fields, data: encode(family, fields) })),
);

describe("the button registry", () => {
  it("every family has a prefix of its own, of letters, and a sample here", () => {
    const prefixes = FAMILY_NAMES.map((f) => FAMILIES[f].prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const p of prefixes) expect(p).toMatch(/^[a-z]+$/);
    for (const f of FAMILY_NAMES) expect(SAMPLES[f].length).toBeGreaterThan(0);
  });

  it("round trip: every button decodes to its family and fields, and matches its family's pattern only", () => {
    for (const { family, fields, data } of everyButton) {
      expect(decodeAs(family, data)).toEqual(fields);
      expect(decode(data)).toEqual({ family, ...fields });
      for (const other of FAMILY_NAMES)
        expect([other, buttonPattern(other).test(data)]).toEqual([other, other === family]);
    }
  });

  it("the data today's buttons carry keeps its spelling", () => {
    expect(encode("card", { reportId: REPORT, action: "take" })).toBe(`c:${REPORT}:take`);
    expect(encode("assign", { reportId: REPORT, userId: 5200 })).toBe(`ca:${REPORT}:5200`);
    expect(encode("visitStart", { reportId: REPORT })).toBe(`v:${REPORT}`);
    expect(encode("feedback", { reportId: REPORT, answer: 5 })).toBe(`fb:${REPORT}:r5`);
    expect(encode("feedback", { reportId: REPORT, answer: "notfixed" })).toBe(`fb:${REPORT}:notfixed`);
    expect(encode("thread", { keptId: KEPT, reportId: REPORT })).toBe(`th:${KEPT}:${REPORT}`);
    expect(encode("thread", { keptId: KEPT, reportId: null })).toBe(`th:${KEPT}:new`);
    expect(encode("reasonSkip", { keptId: KEPT })).toBe(`nr:${KEPT}`);
    expect(encode("form", { key: KEY, action: "cat", arg: "water" })).toBe(`r:${KEY}:cat:water`);
    expect(encode("form", { key: KEY, action: "ok" })).toBe(`r:${KEY}:ok`);
    expect(encode("visit", { nonce: "k3x9q", choice: "off" })).toBe("vs:k3x9q:off");
    expect(encode("photoSkip", {})).toBe("si:skip");
    expect(encode("language", { locale: "en" })).toBe("lang:en");
    expect(encode("forget", { answer: "yes" })).toBe("forget:yes");
  });

  it(`every button fits Telegram's ${CALLBACK_DATA_MAX_BYTES} bytes, with the longest ids`, () => {
    for (const { data } of everyButton)
      expect([data, Buffer.byteLength(data, "utf8") <= CALLBACK_DATA_MAX_BYTES]).toEqual([data, true]);
  });

  it("refuses malformed, forged, oversized and foreign data", () => {
    const refused = [
      undefined,
      "",
      ":",
      "c",
      "c:",
      `c:${REPORT}`,
      `c:${REPORT}:explode`,
      `c:${REPORT}:take:extra`,
      `c:${REPORT.toUpperCase()}:take`,
      `c:${REPORT.slice(1)}:take`,
      `c:{"$gt":""}:take`,
      `C:${REPORT}:take`,
      ` c:${REPORT}:take`,
      `c:${REPORT}:take\n`,
      `ca:${REPORT}:0`,
      `ca:${REPORT}:007`,
      `ca:${REPORT}:-1`,
      `ca:${REPORT}:1.5`,
      `ca:${REPORT}:9007199254740993`,
      `ca:${REPORT}:99999999999999999999`,
      `v:${REPORT}:x`,
      `fb:${REPORT}:r0`,
      `fb:${REPORT}:r6`,
      `fb:${REPORT}:5`,
      `fb:${REPORT}:rate`,
      "fb:x:fixed",
      "th:zz:new",
      `th:${KEPT}:old`,
      `nr:${KEPT}:x`,
      "r:abcdefghij:submit",
      "r:ZZZZZZZZZZ:cat:water",
      "r:abcdefghi:ok",
      `r:${KEY}:cat:${"x".repeat(33)}`,
      `r:${KEY}:cat:{"$gt":""}`,
      `r:${KEY}:$ne`,
      "vs::off",
      "vs:abc:$ne",
      "vs:abcdefghi:off",
      "si:skip:now",
      "lang:de",
      "forget:maybe",
      "x:1",
      "garbage-data",
      "🚰",
      "z".repeat(64),
      `r:${KEY}:cat:${"é".repeat(20)}`,
    ];
    for (const data of refused) expect([data, decode(data)]).toEqual([data, null]);
    for (const family of FAMILY_NAMES)
      for (const data of refused)
        if (data !== undefined)
          expect([family, data, buttonPattern(family).test(data) && decodeAs(family, data) !== null]).toEqual([
            family,
            data,
            false,
          ]);
  });

  it("refuses data that is not a string (an update handed to the bot without the edge check)", () => {
    for (const data of [{ $gt: "" }, 42, true, null, ["c", REPORT]]) {
      const raw = data as unknown as string;
      expect([decode(raw), decodeAs("card", raw), ownerOf("form", raw)]).toEqual([null, null, null]);
    }
  });

  it("refuses a valid button padded past the limit", () => {
    const long = `r:${KEY}:fileanyway:${"x".repeat(32)}`;
    expect(decode(long)).not.toBeNull();
    expect(decode(`${long}${"x".repeat(CALLBACK_DATA_MAX_BYTES)}`)).toBeNull();
  });

  it("a conversation's buttons name their owner whatever they ask; nothing else does", () => {
    expect(ownerOf("form", "r:abcdefghij:submit")).toBe("abcdefghij");
    expect(ownerOf("form", `r:${KEY}:cat:water`)).toBe(KEY);
    expect(ownerOf("form", `r:${KEY}:cat:${"x".repeat(40)}`)).toBeNull();
    expect(ownerOf("form", `r:${KEY}:$ne`)).toBeNull();
    expect(ownerOf("form", "r:ZZZZZZZZZZ:cat")).toBeNull();
    expect(ownerOf("form", `c:${REPORT}:take`)).toBeNull();
    expect(ownerOf("form", undefined)).toBeNull();
    expect(ownerOf("visit", "vs:k3x9q:off")).toBe("k3x9q");
    expect(ownerOf("visit", "vs:k3x9q:$ne")).toBe("k3x9q");
    expect(ownerOf("visit", "vs::off")).toBeNull();
    expect(ownerOf("visit", "r:k3x9q:off")).toBeNull();
  });

  it("decode's union narrows on the family", () => {
    const d: Decoded | null = decode(`ca:${REPORT}:5200`);
    expect(d?.family === "assign" ? d.userId + 1 : null).toBe(5201);
  });
});
