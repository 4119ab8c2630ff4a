import pino from "pino";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDb, clearData } from "../support/test-db.ts";
import { createTestDesk, type TestBot, type TestDesk } from "../support/test-bot.ts";
import { fileReport, KARAJ } from "../support/intake-steps.ts";
import { ApiKey, createApiKey, revokeApiKey } from "../../models/open311/api-keys.ts";
import { RateCounter } from "../../models/open311/rate-limit.ts";
import { Region } from "../../models/geography/region.ts";
import { Report } from "../../models/report/report.ts";
import { Outbox } from "../../models/infra/outbox.ts";
import { upsertStaff } from "../../models/people/staff.ts";
import { addNote, requestInfo, resolveCase } from "../../models/report/case-actions.ts";
import { findActiveStaff } from "../../models/people/staff.ts";
import { ltr } from "../../core/format.ts";
import sharp from "sharp";
import { readPhoto, storePhoto } from "../../models/report/photos.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { serveOpen311 } from "../support/open311-server.ts";

useTestDb();

/** District 1's own staff chat: a POST at a point inside it must land there. */
const R1_CHAT = -1001370000111;
const OFFICIAL = 901;
/** The reporter: none of these may appear in any read answer. */
const CITIZEN = { first: "Shirin", last: "Tehranchi", phone: "0912 000 5001", e164: "+989120005001" };
const CHAT_CITIZEN = 987654321;
const LIGHTING_AT = { lat: 35.85, lon: 50.9 };

const xml = new XMLParser({
  isArray: (name) =>
    ["service", "request", "error", "attribute", "value", "endpoint", "format", "request_update"].includes(name),
  parseTagValue: false,
  ignoreDeclaration: true,
});

interface Served {
  desk: TestDesk;
  tb: TestBot;
  base: string;
  close(): Promise<void>;
}

/** A desk (bot, fake Bot API, dispatcher) with the Open311 routes on a real HttpServer on a free port. */
async function serve(env: Record<string, string> = {}): Promise<Served> {
  const desk = createTestDesk({ OPEN311_JURISDICTION: "karaj.ir", ...env });
  const tb = desk.on("telegram");
  const logger = pino({ level: "silent" });
  return { desk, tb, ...(await serveOpen311(desk, logger)) };
}

interface Answer {
  status: number;
  type: string;
  text: string;
  headers: Headers;
}

async function call(
  s: Served,
  path: string,
  init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(init.form).toString();
  } else if (init.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(init.json);
  }
  const res = await fetch(`${s.base}/${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    text: await res.text(),
    headers: res.headers,
  };
}

/** An XML answer: well-formed, declared UTF-8, parsed. */
function parseXml(a: Answer): Record<string, unknown> {
  expect(a.type).toBe("text/xml; charset=utf-8");
  expect(a.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  expect(XMLValidator.validate(a.text)).toBe(true);
  return xml.parse(a.text) as Record<string, unknown>;
}

const json = (a: Answer): unknown => {
  expect(a.type).toBe("application/json; charset=utf-8");
  return JSON.parse(a.text);
};

const lightingForm = (key: string, extra: Record<string, string> = {}) => ({
  api_key: key,
  jurisdiction_id: "karaj.ir",
  service_code: "lighting",
  lat: String(LIGHTING_AT.lat),
  long: String(LIGHTING_AT.lon),
  description: "چراغ خیابان جلوی پارک سه شب است خاموش است",
  "attribute[pole_number]": "12-345",
  first_name: CITIZEN.first,
  last_name: CITIZEN.last,
  phone: CITIZEN.phone,
  email: "shirin@example.com",
  device_id: "device-1",
  account_id: "acct-77",
  ...extra,
});

describe("Open311 GeoReport v2: reading", () => {
  let s: Served;
  beforeAll(async () => {
    await clearData();
    s = await serve();
  });
  afterAll(() => s.close());

  it("discovery names the endpoint, its formats and the contact, in both formats", async () => {
    const j = json(await call(s, "discovery.json")) as Record<string, unknown>;
    expect(j).toMatchObject({
      contact: "مرکز ۱۳۷ شهرداری",
      endpoints: [{ url: `${s.base}/`, type: "production", formats: ["application/json", "text/xml"] }],
    });
    const x = parseXml(await call(s, "discovery.xml")) as { discovery: { endpoints: { endpoint: unknown[] } } };
    expect(x.discovery.endpoints.endpoint[0]).toMatchObject({
      specification: "http://wiki.open311.org/GeoReport_v2",
      formats: { format: ["application/json", "text/xml"] },
    });
  });

  it("services: one per category, named in the Accept-Language language (fa by default), grouped by department", async () => {
    const fa = json(await call(s, "services.json")) as Record<string, unknown>[];
    const lighting = fa.find((x) => x.service_code === "lighting");
    expect(lighting).toEqual({
      service_code: "lighting",
      service_name: "روشنایی معابر",
      description: "روشنایی معابر: رسیدگی حداکثر ظرف ۴۸ ساعت. شرح مشکل دست‌کم ۱۰ و حداکثر ۱٬۰۰۰ حرف.",
      metadata: true,
      type: "realtime",
      keywords: "روشنایی معابر, Street lighting, lighting",
      group: "روشنایی معابر",
    });
    expect(fa.find((x) => x.service_code === "water")).toMatchObject({ metadata: false });
    const en = json(await call(s, "services.json", { headers: { "accept-language": "de, en;q=0.8, fa;q=0.5" } }));
    expect((en as Record<string, unknown>[]).find((x) => x.service_code === "water")).toMatchObject({
      service_name: "Water / sewage leak",
      group: "Water & sewage",
      description: "Water / sewage leak: dealt with within 12 hours. Description: 10 to 1,000 characters.",
    });
    const x = parseXml(await call(s, "services.xml")) as { services: { service: Record<string, string>[] } };
    expect(x.services.service.map((v) => v.service_code)).toEqual(fa.map((v) => v.service_code));
    expect(x.services.service.find((v) => v.service_code === "lighting")).toMatchObject({ metadata: "true" });
  });

  it("a service definition lists its attributes; an unknown service is 404", async () => {
    const def = json(await call(s, "services/lighting.json", { headers: { "accept-language": "en" } }));
    expect(def).toEqual({
      service_code: "lighting",
      attributes: [
        {
          variable: true,
          code: "pole_number",
          datatype: "string",
          required: false,
          datatype_description: "Usually painted or on a tag at eye level on the pole, e.g. 12-345.",
          order: 1,
          description: "Pole number (the number painted on the pole)",
          values: [],
        },
      ],
    });
    const x = parseXml(await call(s, "services/lighting.xml")) as {
      service_definition: { service_code: string; attributes: { attribute: Record<string, string>[] } };
    };
    expect(x.service_definition.service_code).toBe("lighting");
    expect(x.service_definition.attributes.attribute[0]).toMatchObject({ code: "pole_number", required: "false" });

    const missing = await call(s, "services/nothing.json");
    expect(missing.status).toBe(404);
    expect(json(missing)).toEqual([{ code: 404, description: `خدمتی با این کد وجود ندارد: ${ltr("nothing")}` }]);
    const missingXml = await call(s, "services/nothing.xml", { headers: { "accept-language": "en" } });
    expect(parseXml(missingXml)).toEqual({
      errors: { error: [{ code: "404", description: "No service has this code: nothing" }] },
    });
  });

  it("unknown paths, methods and jurisdictions are the spec's errors", async () => {
    const nowhere = await call(s, "nowhere.json");
    expect([nowhere.status, json(nowhere)]).toEqual([
      404,
      [{ code: 404, description: "چنین نشانی‌ای در این سرویس نیست." }],
    ]);
    const method = await call(s, "services.json", { method: "DELETE" });
    expect(method.status).toBe(405);
    expect(json(method)).toMatchObject([{ code: 405 }]);
    const elsewhere = await call(s, "services.xml?jurisdiction_id=tehran.ir", { headers: { "accept-language": "en" } });
    expect(elsewhere.status).toBe(404);
    expect(parseXml(elsewhere)).toEqual({
      errors: { error: [{ code: "404", description: "This service does not serve the jurisdiction tehran.ir." }] },
    });
    expect((await call(s, "services.json?jurisdiction_id=karaj.ir")).status).toBe(200);
    const badDate = await call(s, "requests.json?start_date=yesterday", { headers: { "accept-language": "en" } });
    expect([badDate.status, json(badDate)]).toEqual([
      400,
      [{ code: 400, description: "start_date is not an ISO 8601 date and time." }],
    ]);
    const badStatus = await call(s, "requests.json?status=lost");
    expect(badStatus.status).toBe(400);
  });

  it("reads need a key when OPEN311_READ=key", async () => {
    const keyed = await serve({ OPEN311_READ: "key" });
    try {
      const none = await call(keyed, "services.json", { headers: { "accept-language": "en" } });
      expect([none.status, json(none)]).toEqual([
        403,
        [{ code: 403, description: "An API key (api_key) is required." }],
      ]);
      const made = await createApiKey("reader", null);
      if (!("key" in made)) throw new Error(made.problem);
      expect((await call(keyed, `services.json?api_key=${made.key}`)).status).toBe(200);
      expect((await call(keyed, "services.json?api_key=o311_wrong")).status).toBe(403);
    } finally {
      await keyed.close();
    }
  });
});

describe("Open311 GeoReport v2: filing and following a report", () => {
  let s: Served;
  let key = "";
  beforeAll(async () => {
    await clearData();
    await ApiKey.createIndexes();
    await RateCounter.createIndexes();
    s = await serve();
    await Region.updateOne({ key: "r1" }, { $set: { chat: { platform: "telegram", chatId: R1_CHAT } } });
    await upsertStaff({ platform: "telegram", userId: OFFICIAL, name: "Omid", role: "official", regions: ["r1"] });
    const made = await createApiKey("city-app", null);
    if (!("key" in made)) throw new Error(made.problem);
    key = made.key;
  });
  afterAll(() => s.close());

  let code = "";

  it("a POST becomes a report with the chat's routing and SLA, and a staff card in the region's chat", async () => {
    const posted = await call(s, "requests.json", { form: lightingForm(key) });
    expect(posted.status).toBe(201);
    const [answer] = json(posted) as { service_request_id: string; service_notice: string; account_id: string }[];
    code = answer!.service_request_id;
    expect(code).toMatch(/^\d{8}$/);
    expect(answer).toMatchObject({ account_id: "acct-77" });
    expect(answer!.service_notice).toContain(`گزارش با کد رهگیری ${ltr(formatCode(code))} ثبت شد`);

    const r = (await Report.findOne({ code }).lean())!;
    expect(r).toMatchObject({
      platform: "",
      source: "city-app",
      categoryKey: "lighting",
      regionKey: "r1",
      needsLocationCheck: false,
      attributes: [{ code: "pole_number", values: ["12-345"] }],
      citizen: { userId: 0, chatId: 0, name: "Shirin Tehranchi", username: "", phone: CITIZEN.e164, locale: "fa" },
    });
    expect(r.resolveDueAt.getTime() - r.createdAt.getTime()).toBe(48 * 3_600_000);
    // Nothing of the email, device or account is kept.
    const stored = JSON.stringify(r);
    for (const gone of ["shirin@example.com", "device-1", "acct-77"]) expect(stored).not.toContain(gone);

    await s.desk.dispatcher.drainOnce();
    const cards = s.tb.api.callsOf("sendMessage").filter((c) => c.payload.chat_id === R1_CHAT);
    expect(cards).toHaveLength(1);
    expect(String(cards[0]!.payload.text)).toContain(formatCode(code));
    expect(String(cards[0]!.payload.text)).toContain("Shirin Tehranchi");
    expect((await Report.findOne({ code }).lean())!.card).toMatchObject({ chatId: R1_CHAT });
  });

  it("the same POST again (a retry) files nothing new and answers the same code", async () => {
    const again = await call(s, "requests.xml", { form: lightingForm(key) });
    expect(again.status).toBe(200);
    expect(parseXml(again)).toMatchObject({
      service_requests: { request: [{ service_request_id: code, account_id: "acct-77" }] },
    });
    expect(await Report.countDocuments({ source: "city-app" })).toBe(1);
  });

  it("JSON bodies are accepted too, attributes as an object; a report with only an address goes to the fallback chat", async () => {
    const posted = await call(s, "requests.json", {
      json: {
        api_key: key,
        service_code: "lighting",
        address_string: "خیابان طالقانی، روبروی بانک",
        description: "دو چراغ پشت سر هم خاموش هستند",
        attribute: { pole_number: "77" },
      },
    });
    expect(posted.status).toBe(201);
    const [answer] = json(posted) as { service_request_id: string }[];
    const r = (await Report.findOne({ code: answer!.service_request_id }).lean())!;
    expect(r).toMatchObject({
      hasCoordinates: false,
      needsLocationCheck: true,
      address: "خیابان طالقانی، روبروی بانک",
    });
    expect(r.attributes).toEqual([{ code: "pole_number", values: ["77"] }]);
    expect("account_id" in answer!).toBe(false);
  });

  it("a status change on an API report is in requests and servicerequestupdates, and queues no message to chat 0", async () => {
    const r = (await Report.findOne({ code }).lean())!;
    const omid = s.tb.member(OFFICIAL, R1_CHAT, { firstName: "Omid" });
    await omid.press("🙋 برعهده می‌گیرم");
    const who = (await findActiveStaff("telegram", OFFICIAL))!;
    await addNote(r._id, who, "تیم برق فردا اعزام می‌شود", true, s.desk.clock.now);
    await addNote(r._id, who, "پیمانکار: شرکت روشنا", false, s.desk.clock.now);
    await expect(requestInfo(r._id, who, "شماره تیر را مطمئنید؟", s.desk.clock.now)).rejects.toThrow(
      /no reporter chat/,
    );
    s.desk.clock.now = new Date(s.desk.clock.now.getTime() + 3_600_000);
    await resolveCase(r._id, who, "لامپ تعویض شد", null, s.desk.clock.now);
    await s.desk.dispatcher.drainOnce();

    const after = (await Report.findOne({ code }).lean())!;
    expect(after.status).toBe("resolved");
    expect(after.pendingOutbox).toEqual([]);
    expect(await Outbox.countDocuments({ chatId: 0 })).toBe(0);
    expect(s.tb.api.log.filter((c) => Number(c.payload.chat_id) === 0)).toEqual([]);

    const one = json(await call(s, `requests/${code}.json`, { headers: { "accept-language": "en" } }));
    expect(one).toEqual([
      {
        service_request_id: code,
        status: "closed",
        status_notes: "لامپ تعویض شد",
        service_name: "Street lighting",
        service_code: "lighting",
        agency_responsible: "District 1 (north-west)",
        requested_datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:30$/),
        updated_datetime: expect.stringMatching(/\+03:30$/),
        expected_datetime: expect.stringMatching(/\+03:30$/),
        lat: LIGHTING_AT.lat,
        long: LIGHTING_AT.lon,
      },
    ]);
    const [first] = one as { requested_datetime: string; updated_datetime: string }[];
    expect(Date.parse(first!.updated_datetime) - Date.parse(first!.requested_datetime)).toBe(3_600_000);

    const x = parseXml(await call(s, `requests/${formatCode(code)}.xml`)) as {
      service_requests: { request: Record<string, string>[] };
    };
    expect(x.service_requests.request).toHaveLength(1);
    expect(x.service_requests.request[0]).toMatchObject({ service_request_id: code, status: "closed", lat: "35.85" });

    const since = new Date(r.createdAt.getTime() - 1000).toISOString();
    const ups = json(await call(s, `servicerequestupdates.json?start_date=${since}`)) as Record<string, string>[];
    const mine = ups.filter((u) => u.service_request_id === code);
    expect(mine.map((u) => [u.status, u.description])).toEqual([
      ["INVESTIGATING", ""],
      ["INVESTIGATING", "تیم برق فردا اعزام می‌شود"],
      ["FIXED", "لامپ تعویض شد"],
    ]);
    expect(new Set(mine.map((u) => u.update_id)).size).toBe(3);
    const ux = parseXml(await call(s, `servicerequestupdates.xml?start_date=${since}`)) as {
      service_request_updates: { request_update: Record<string, string>[] };
    };
    expect(ux.service_request_updates.request_update.filter((u) => u.service_request_id === code)).toHaveLength(3);
    // The internal note never leaves the desk.
    expect(JSON.stringify(ups)).not.toContain("پیمانکار");
  });

  it("requests.json filters by status, service and dates; newest first; never a personal field", async () => {
    const chat = s.tb.citizen(CHAT_CITIZEN, { firstName: "Parisa", username: "parisa_k" });
    s.desk.clock.now = new Date(s.desk.clock.now.getTime() + 60_000);
    const chatCode = await fileReport(s.tb, chat, { phone: "+989120007007", category: "زباله و نظافت" });

    const all = json(await call(s, "requests.json")) as { service_request_id: string; status: string }[];
    expect(all[0]!.service_request_id).toBe(chatCode);
    expect(all.map((r) => r.service_request_id)).toContain(code);
    const open = json(await call(s, "requests.json?status=open")) as { service_request_id: string }[];
    expect(open.map((r) => r.service_request_id)).toContain(chatCode);
    expect(open.map((r) => r.service_request_id)).not.toContain(code);
    const garbage = json(await call(s, "requests.json?service_code=garbage")) as { service_request_id: string }[];
    expect(garbage.map((r) => r.service_request_id)).toEqual([chatCode]);
    const listed = json(await call(s, `requests.json?service_request_id=${code},${formatCode(chatCode)}`));
    expect((listed as { service_request_id: string }[]).map((r) => r.service_request_id).sort()).toEqual(
      [code, chatCode].sort(),
    );
    const future = new Date(s.desk.clock.now.getTime() + 86_400_000).toISOString();
    expect(json(await call(s, `requests.json?start_date=${future}`))).toEqual([]);
    expect(parseXml(await call(s, `requests.xml?start_date=${future}`))).toEqual({ service_requests: "" });

    // Descriptions and addresses stay out unless the city publishes them.
    const bodies = [
      (await call(s, "requests.json")).text,
      (await call(s, "requests.xml")).text,
      (await call(s, `servicerequestupdates.json?start_date=2020-01-01`)).text,
      (await call(s, `servicerequestupdates.xml?start_date=2020-01-01`)).text,
    ];
    for (const body of bodies) {
      for (const personal of [
        CITIZEN.first,
        CITIZEN.last,
        "9120005001",
        "0005001",
        "9120007007",
        "Parisa",
        "parisa_k",
        String(CHAT_CITIZEN),
        "Omid",
        "چراغ خیابان جلوی پارک",
        "خیابان طالقانی",
      ])
        expect(body).not.toContain(personal);
    }

    // The reporter confirming the fix is FixMyStreet's CLOSED.
    const r = (await Report.findOne({ code: chatCode }).lean())!;
    await resolveCase(r._id, (await findActiveStaff("telegram", OFFICIAL))!, "جمع‌آوری شد", null, s.desk.clock.now);
    await s.desk.dispatcher.drainOnce();
    await chat.press("رفع شد ✅");
    const since = new Date(r.createdAt.getTime() - 1000).toISOString();
    const ups = json(await call(s, `servicerequestupdates.json?start_date=${since}`)) as Record<string, string>[];
    expect(ups.filter((u) => u.service_request_id === chatCode).map((u) => [u.status, u.description])).toEqual([
      ["FIXED", "جمع‌آوری شد"],
      ["CLOSED", ""],
    ]);
  });

  it("OPEN311_PUBLIC_TEXT=on publishes descriptions, typed addresses and photos, still no personal field", async () => {
    const photo = await storePhoto(
      await sharp({ create: { width: 8, height: 8, channels: 3, background: "#c00" } })
        .jpeg()
        .toBuffer(),
      {
        filename: "open311-test",
        source: { platform: "telegram", fileUniqueId: "u1" },
      },
    );
    await Report.updateOne(
      { code },
      { $set: { photos: [{ fileId: "f1", gridfsId: photo, mime: "image/jpeg", size: 1 }] } },
    );
    // Off (the default): no media_url, and the photo route answers nothing.
    const hidden = json(await call(s, `requests/${code}.json`)) as Record<string, unknown>[];
    expect(hidden[0]).not.toHaveProperty("media_url");
    expect((await call(s, `media/${code}`)).status).toBe(404);

    const published = await serve({ OPEN311_PUBLIC_TEXT: "on" });
    try {
      const [shown] = json(await call(published, `requests/${code}.json`)) as Record<string, string>[];
      expect(shown!.media_url).toBe(`${published.base}/media/${code}`);
      const image = await fetch(shown!.media_url!);
      expect(image.headers.get("content-type")).toBe("image/jpeg");
      expect(Buffer.from(await image.arrayBuffer()).equals(await readPhoto(photo))).toBe(true);
      const list = json(await call(published, "requests.json")) as Record<string, unknown>[];
      expect(list.find((r) => r.service_request_id === code)).toMatchObject({
        description: "چراغ خیابان جلوی پارک سه شب است خاموش است",
      });
      expect(list.find((r) => r.address === "خیابان طالقانی، روبروی بانک")).toBeDefined();
      const text = JSON.stringify(list);
      for (const personal of [CITIZEN.first, CITIZEN.last, "9120005001", String(CHAT_CITIZEN), "parisa_k"])
        expect(text).not.toContain(personal);
    } finally {
      await published.close();
    }
  });
});

describe("Open311 GeoReport v2: refusals", () => {
  let s: Served;
  let key = "";
  beforeAll(async () => {
    await clearData();
    await ApiKey.createIndexes();
    await RateCounter.createIndexes();
    s = await serve({ REPORTS_PER_DAY: "2" });
    const made = await createApiKey("call-centre", 3);
    if (!("key" in made)) throw new Error(made.problem);
    key = made.key;
  });
  afterAll(() => s.close());

  /** Each test its own minute: the key's rate counts per clock minute. */
  const nextMinute = () => (s.desk.clock.now = new Date(Math.ceil(s.desk.clock.now.getTime() / 60_000 + 1) * 60_000));

  it("403 for a missing or unknown key, in both formats", async () => {
    nextMinute();
    const none = await call(s, "requests.json", { form: { service_code: "lighting" } });
    expect([none.status, json(none)]).toEqual([
      403,
      [{ code: 403, description: `کلید دسترسی (${ltr("api_key")}) لازم است.` }],
    ]);
    const wrong = await call(s, "requests.xml", {
      form: { api_key: "o311_nope" },
      headers: { "accept-language": "en" },
    });
    expect(wrong.status).toBe(403);
    expect(parseXml(wrong)).toEqual({
      errors: { error: [{ code: "403", description: "This API key is not valid." }] },
    });
  });

  it("400 lists every bad field: unknown service, bad coordinates, outside the area, bad phone, bad attribute", async () => {
    nextMinute();
    const unknown = await call(s, "requests.json", {
      form: {
        api_key: key,
        service_code: "teleport",
        lat: "35.8",
        long: "50.9",
        description: "چیزی به اندازه کافی بلند",
      },
      headers: { "accept-language": "en" },
    });
    expect([unknown.status, json(unknown)]).toEqual([
      400,
      [{ code: 400, description: "No service has this code: service_code" }],
    ]);
    const bad = await call(s, "requests.xml", {
      form: {
        api_key: key,
        service_code: "lighting",
        lat: "91",
        long: "east",
        description: "کوتاه",
        phone: "12345",
        media_url: "file:///etc/passwd",
        "attribute[colour]": "red",
      },
      headers: { "accept-language": "en" },
    });
    expect(bad.status).toBe(400);
    expect(parseXml(bad)).toEqual({
      errors: {
        error: [
          { code: "400", description: "lat is not valid." },
          { code: "400", description: "long is not valid." },
          { code: "400", description: "description must be at least 10 characters." },
          { code: "400", description: "phone is not valid." },
          { code: "400", description: "media_url is not valid." },
          { code: "400", description: "This service asks no question with the code attribute[colour]." },
        ],
      },
    });
    const outside = await call(s, "requests.json", {
      form: {
        api_key: key,
        service_code: "lighting",
        lat: "35.70",
        long: "51.40",
        description: "چراغ خاموش است، تهران",
      },
      headers: { "accept-language": "en" },
    });
    expect([outside.status, json(outside)]).toEqual([
      400,
      [{ code: 400, description: "This point is outside the city's service area." }],
    ]);
    nextMinute();
    const nowhere = await call(s, "requests.json", {
      form: { api_key: key, service_code: "lighting", description: "چراغ خاموش است، کجا نمی‌دانم" },
      headers: { "accept-language": "en" },
    });
    expect(json(nowhere)).toEqual([
      { code: 400, description: "Where the problem is is required: lat/long or an address." },
    ]);
    const garbage = await call(s, "requests.json", {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect(garbage.status).toBe(400);
    expect(await Report.countDocuments({})).toBe(0);
  });

  it("404 for a request that does not exist, in both formats", async () => {
    nextMinute();
    const json404 = await call(s, "requests/1234-5678.json");
    expect(json404.status).toBe(404);
    expect(json(json404)).toMatchObject([{ code: 404 }]);
    const xml404 = await call(s, "requests/nonsense.xml");
    expect(xml404.status).toBe(404);
    expect(parseXml(xml404)).toMatchObject({ errors: { error: [{ code: "404" }] } });
  });

  it("429 past the key's rate per minute, with Retry-After; the next minute it works again", async () => {
    nextMinute();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(s, "requests.json", { form: { api_key: key } })).status);
    expect(statuses).toEqual([400, 400, 400, 429]);
    const refused = await call(s, "requests.xml", { form: { api_key: key }, headers: { "accept-language": "en" } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(parseXml(refused)).toMatchObject({ errors: { error: [{ code: "429" }] } });
    nextMinute();
    expect((await call(s, "requests.json", { form: { api_key: key } })).status).toBe(400);
  });

  it("429 past the daily limit of one phone number, however it is written", async () => {
    const file = (phone: string, description: string) =>
      call(s, "requests.json", {
        form: {
          api_key: key,
          service_code: "garbage",
          lat: String(KARAJ.lat),
          long: String(KARAJ.lon),
          description,
          phone,
        },
        headers: { "accept-language": "en" },
      });
    nextMinute();
    expect((await file("09120005001", "زباله‌ها دو روز است جمع نشده")).status).toBe(201);
    expect((await file("+98 912 000 5001", "سطل زباله کنار کوچه پر شده")).status).toBe(201);
    const third = await file("989120005001", "باز هم زباله جمع نشده است");
    expect(third.status).toBe(429);
    expect(json(third)).toEqual([
      { code: 429, description: "More than 2 reports came from this phone number today; try again tomorrow." },
    ]);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await Report.countDocuments({ "citizen.phone": "+989120005001" })).toBe(2);
  });

  it("a revoked key is refused at once", async () => {
    nextMinute();
    const made = await createApiKey("old-app", null);
    if (!("key" in made)) throw new Error(made.problem);
    expect((await call(s, "requests.json", { form: { api_key: made.key } })).status).toBe(400);
    expect(await revokeApiKey("old-app", s.desk.clock.now)).toBe(true);
    expect((await call(s, "requests.json", { form: { api_key: made.key } })).status).toBe(403);
  });
});
