import { countReportsForPhoneSince, fileReport } from "../report/report-submit.ts";
import { NO_MESSENGER } from "../report/report.ts";
import type { Route } from "../geography/routing.ts";
import type { Locale } from "../common/platform.ts";
import type { ServiceRequestInput } from "./post-request.ts";

export interface FilingContext {
  /** The API key's client: the report's `source`. */
  client: string;
  locale: Locale;
  now: Date;
  /** The city's last midnight and REPORTS_PER_DAY: one phone number files at most that many a day. */
  since: Date;
  perDay: number;
  route: (location: { lat: number; lon: number } | null, department: string) => Promise<Route>;
}

/**
 * Files a checked POST through the chat's own domain call (routing, SLA, the staff card, the
 * submission key). The reporter has no messenger yet: platform NO_MESSENGER, user and chat 0, so
 * no notice is ever queued for them (report-transition skips chat 0) until a chat is linked by
 * the phone. The submission key is the request's fingerprint: a retried POST finds its report.
 */
export async function fileServiceRequest(
  input: ServiceRequestInput,
  ctx: FilingContext,
): Promise<{ code: string; created: boolean; dueAt: Date } | { refused: "daily_limit" }> {
  const filed = await fileReport<"daily_limit">(
    {
      submissionKey: `open311:${ctx.client}:${input.fingerprint}`,
      platform: NO_MESSENGER,
      citizen: { userId: 0, chatId: 0, name: input.name, username: "", phone: input.phone, locale: ctx.locale },
      categoryKey: input.category.key,
      description: input.description,
      location: input.location,
      address: input.address,
      venueTitle: "",
      attributes: input.attributes,
      source: ctx.client,
      now: ctx.now,
    },
    {
      async prepare() {
        if (input.phone && (await countReportsForPhoneSince(input.phone, ctx.since)) >= ctx.perDay)
          return { refused: "daily_limit" };
        return { photos: [] };
      },
      route: (department) => ctx.route(input.location, department),
    },
  );
  if ("refused" in filed) return filed;
  return { code: filed.report.code, created: filed.created, dueAt: filed.report.resolveDueAt };
}
