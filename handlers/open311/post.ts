import { checkServiceRequest, type PostError } from "../../models/open311/post-request.ts";
import { fileServiceRequest } from "../../models/open311/file-request.ts";
import { activeCategory } from "../../models/open311/services.ts";
import { localMidnight } from "../../models/open311/datetime.ts";
import { readFields } from "./body.ts";
import { answer, authorize, fail, wrongJurisdiction, type Call, type ErrorLine } from "./call.ts";
import { serviceNotice } from "./reads.ts";

/** Locale keys by problem (literal, so the locale test sees each one used). */
const FIELD_KEYS = {
  missing: "open311-error-missing",
  invalid: "open311-error-invalid",
  too_short: "open311-error-too-short",
  too_long: "open311-error-too-long",
  unknown_service: "open311-error-unknown-service",
  outside_area: "open311-error-outside-area",
} as const;
const ATTRIBUTE_KEYS = {
  required: "open311-error-attribute-required",
  not_a_number: "open311-error-attribute-not-a-number",
  not_a_date: "open311-error-attribute-not-a-date",
  not_in_list: "open311-error-attribute-not-in-list",
  too_long: "open311-error-attribute-too-long",
  unknown: "open311-error-attribute-unknown",
} as const;

function errorLine(e: PostError): ErrorLine {
  if ("attribute" in e) return [ATTRIBUTE_KEYS[e.problem], { input: e.field }];
  if (e.field === "address_string" && e.problem === "missing")
    return ["open311-error-missing-location", { input: "lat/long" }];
  return [FIELD_KEYS[e.problem], { input: e.field, limit: e.limit ?? 0 }];
}

const dayIn = (at: Date, timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(at);

/** POST requests: checks, files through the chat's own domain call, answers `[{service_request_id, service_notice, account_id}]`. */
export async function postRequest(call: Call): Promise<true> {
  const body = await readFields(call.req);
  if (!body.ok) {
    if (body.status === 413) call.res.setHeader("connection", "close");
    return fail(call, body.status, [[body.status === 413 ? "open311-error-too-large" : "open311-error-body"]]);
  }
  // Some clients put api_key and jurisdiction_id in the query string even on a POST.
  const fields = { ...call.query, ...body.fields };
  if (wrongJurisdiction(call, fields)) return true;
  const client = await authorize(call, fields, true);
  if (client === "answered" || client === null) return true;
  const { config } = call.deps;
  const checked = await checkServiceRequest(fields, {
    findService: activeCategory,
    serviceArea: config.SERVICE_AREA_BBOX,
    client: client.client,
    day: dayIn(call.now, config.TZ_NAME),
  });
  if ("errors" in checked) return fail(call, 400, checked.errors.map(errorLine));
  const since = localMidnight(call.now, config.TZ_NAME);
  const filed = await fileServiceRequest(checked.input, {
    client: client.client,
    locale: call.locale,
    now: call.now,
    since,
    perDay: config.REPORTS_PER_DAY,
    route: (location, department) => call.deps.router.route(location, department),
  });
  if ("refused" in filed) {
    const nextMidnight = localMidnight(new Date(since.getTime() + 36 * 3_600_000), config.TZ_NAME);
    const wait = Math.max(1, Math.ceil((nextMidnight.getTime() - call.now.getTime()) / 1000));
    return fail(call, 429, [["open311-error-daily-limit", { max: config.REPORTS_PER_DAY }]], {
      "retry-after": String(wait),
    });
  }
  if (filed.created) call.deps.wakeOutbox?.();
  // The client and the code only: what was reported, and by whom, stays out of the log.
  call.deps.logger.info({ client: client.client, code: filed.code, created: filed.created }, "open311 report filed");
  const { accountId } = checked.input;
  return answer(call, filed.created ? 201 : 200, {
    root: "service_requests",
    item: "request",
    list: [
      {
        service_request_id: filed.code,
        service_notice: serviceNotice(call, filed.code, filed.dueAt),
        ...(accountId ? { account_id: accountId } : {}),
      },
    ],
  });
}
