import { formatDate } from "../../core/format.ts";
import { formatCode, parseCode } from "../../models/report/tracking-code.ts";
import { listServices, serviceDefinition } from "../../models/open311/services.ts";
import { DESCRIPTION_MAX, DESCRIPTION_MIN } from "../../models/open311/post-request.ts";
import {
  findRequestUpdates,
  findServiceRequests,
  firstPhotoOf,
  type PublishOptions,
  type RequestFilter,
} from "../../models/open311/requests.ts";
import { readPhoto } from "../../models/report/photos.ts";
import { answer, baseUrl, fail, one, type Call } from "./call.ts";

/** When this API last changed in a way a client must know about (discovery's `changeset`). */
const CHANGESET = "2026-12-02T00:00:00Z";
const DAY = 86_400_000;
/** GET requests without dates: the last 90 days (the spec's default window). */
const DEFAULT_WINDOW_DAYS = 90;

export function discovery(call: Call): true {
  const phone = call.deps.config.CENTRE_PHONE;
  const url = `${baseUrl(call)}/`;
  return answer(call, 200, {
    root: "discovery",
    object: {
      changeset: CHANGESET,
      contact: phone ? call.t("open311-contact-phone", { phone }) : call.t("open311-contact"),
      key_service: call.t("open311-key-service"),
      endpoints: [
        {
          specification: "http://wiki.open311.org/GeoReport_v2",
          url,
          changeset: CHANGESET,
          type: "production",
          formats: ["application/json", "text/xml"],
        },
      ],
    },
  });
}

export async function services(call: Call): Promise<true> {
  const list = await listServices(call.locale, (c) =>
    call.t("open311-service-description", {
      category: call.locale === "fa" ? c.title.fa : c.title.en,
      hours: c.slaHours,
      min: DESCRIPTION_MIN,
      max: DESCRIPTION_MAX,
    }),
  );
  return answer(call, 200, { root: "services", item: "service", list });
}

export async function service(call: Call, code: string): Promise<true> {
  const definition = await serviceDefinition(code, call.locale);
  if (!definition) return fail(call, 404, [["open311-error-unknown-service", { input: code.slice(0, 64) }]]);
  return answer(call, 200, { root: "service_definition", object: { ...definition } });
}

function publish(call: Call): PublishOptions {
  const base = baseUrl(call);
  return {
    locale: call.locale,
    timeZone: call.deps.config.TZ_NAME,
    publicText: call.deps.config.OPEN311_PUBLIC_TEXT,
    mediaUrl: (code) => `${base}/media/${code}`,
  };
}

/** An ISO 8601 date or date-time (with or without offset); undefined when absent, null when not a date. */
function dateParam(raw: string | undefined): Date | null | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw.trim())) return null;
  const at = Date.parse(raw.trim().replace(" ", "T"));
  return Number.isNaN(at) ? null : new Date(at);
}

/** start_date / end_date: the window asked for, or the last 90 days; false when a date was not one (answered 400). */
function window(call: Call): { start: Date; end: Date } | false {
  const start = dateParam(one(call.query.start_date));
  const end = dateParam(one(call.query.end_date));
  const bad = [start === null ? "start_date" : "", end === null ? "end_date" : ""].filter(Boolean);
  if (bad.length > 0) {
    fail(
      call,
      400,
      bad.map((input) => ["open311-error-date", { input }]),
    );
    return false;
  }
  const until = end ?? call.now;
  return { start: start ?? new Date(until.getTime() - DEFAULT_WINDOW_DAYS * DAY), end: until };
}

export async function requests(call: Call): Promise<true> {
  const ids = one(call.query.service_request_id);
  if (ids !== undefined && ids.trim() !== "") {
    const codes: string[] = [];
    for (const id of ids.split(",")) {
      const parsed = parseCode(id);
      if (!parsed.ok) return fail(call, 400, [["open311-error-invalid", { input: "service_request_id" }]]);
      codes.push(parsed.code);
    }
    const list = await findServiceRequests({ codes, start: call.now, end: call.now }, publish(call));
    return answer(call, 200, { root: "service_requests", item: "request", list });
  }
  const status = one(call.query.status);
  if (status !== undefined && status !== "" && status !== "open" && status !== "closed")
    return fail(call, 400, [["open311-error-invalid", { input: "status" }]]);
  const span = window(call);
  if (!span) return true;
  const serviceCode = one(call.query.service_code);
  const filter: RequestFilter = {
    ...span,
    ...(serviceCode ? { serviceCode } : {}),
    ...(status === "open" || status === "closed" ? { status } : {}),
  };
  const list = await findServiceRequests(filter, publish(call));
  return answer(call, 200, { root: "service_requests", item: "request", list });
}

/** One request, answered as a list of one (as the spec does). */
export async function request(call: Call, id: string): Promise<true> {
  const parsed = parseCode(id);
  const list = parsed.ok
    ? await findServiceRequests({ codes: [parsed.code], start: call.now, end: call.now }, publish(call))
    : [];
  if (list.length === 0) return fail(call, 404, [["open311-error-request-not-found", { input: id.slice(0, 40) }]]);
  return answer(call, 200, { root: "service_requests", item: "request", list });
}

/** FixMyStreet's servicerequestupdates: every public change in the window, oldest first. */
export async function updates(call: Call): Promise<true> {
  const span = window(call);
  if (!span) return true;
  const list = await findRequestUpdates(span.start, span.end, { timeZone: call.deps.config.TZ_NAME });
  return answer(call, 200, { root: "service_request_updates", item: "request_update", list });
}

/** A report's first photo, for `media_url`: only while the city publishes citizens' texts and photos. */
export async function media(call: Call, code: string): Promise<true> {
  const parsed = parseCode(code);
  const photo = call.deps.config.OPEN311_PUBLIC_TEXT && parsed.ok ? await firstPhotoOf(parsed.code) : null;
  if (!photo) return fail(call, 404, [["open311-error-not-found"]]);
  const bytes = await readPhoto(photo.id);
  call.res.writeHead(200, { "content-type": photo.mime, "cache-control": "public, max-age=3600" }).end(bytes);
  return true;
}

/** The service notice of a filed report: its code and when it is due, in the reader's language and calendar. */
export function serviceNotice(call: Call, code: string, due: Date): string {
  return call.t("open311-notice", {
    code: formatCode(code),
    due: formatDate(due, call.locale, call.deps.config.TZ_NAME),
  });
}
