import { Api } from "grammy";
import { API_ROOT, STAFF_CHAT, TOKEN, type TestBot } from "./test-bot.ts";
import { tinyPhoto } from "./photo-bytes.ts";
import { OutboxDispatcher } from "../../bot/outbox/dispatcher.ts";
import type { ReportDoc } from "../../models/report/report.ts";
import { submitReport } from "../../models/report/report-submit.ts";
import { storePhoto } from "../../models/report/photos.ts";

let seq = 0;

/**
 * A case filed straight through the domain into the staff group (STAFF_CHAT), with `photos`
 * stored photos and its own point: what a group's queue is made of.
 */
export async function fileGroupCase(o: {
  photos: number;
  lat: number;
  address: string;
  now: Date;
}): Promise<ReportDoc> {
  seq++;
  const photos = [];
  for (let i = 0; i < o.photos; i++) {
    const gridfsId = await storePhoto(tinyPhoto(7000 + seq * 10 + i), {
      filename: `case-${seq}-${i}.jpg`,
      source: { platform: "telegram", fileUniqueId: `case-u-${seq}-${i}` },
    });
    photos.push({ fileId: `f-${seq}-${i}`, fileUniqueId: `u-${seq}-${i}`, mime: "image/jpeg", size: 100, gridfsId });
  }
  const { report } = await submitReport({
    submissionKey: `group-case-${seq}`,
    platform: "telegram",
    citizen: { userId: 6000 + seq, chatId: 6000 + seq, name: "Sara", username: "", phone: "", locale: "fa" },
    categoryKey: "water",
    description: "لوله اصلی ترکیده و خیابان را آب گرفته است",
    location: { lat: o.lat, lon: 50.99 },
    address: o.address,
    venueTitle: "",
    photos,
    route: { regionKey: "", chat: { platform: "telegram", chatId: STAFF_CHAT }, needsLocationCheck: false },
    now: o.now,
  });
  return report;
}

/**
 * A dispatcher on the test desk's Bot API without auto-retry. `budget`: the group budget on, as
 * with the outgoing limits (API_THROTTLE; the fake Bot API itself does not throttle), at that many
 * messages a minute, compacting past `backlogSeconds`.
 */
export function groupDispatcher(
  tb: TestBot,
  workerId: string,
  budget?: { perMinute: number; backlogSeconds: number },
): OutboxDispatcher {
  const rawApi = new Api(TOKEN, { apiRoot: API_ROOT, fetch: tb.api.fetch as never });
  const config = budget
    ? {
        ...tb.config,
        API_THROTTLE: true,
        GROUP_MESSAGES_PER_MINUTE_TELEGRAM: budget.perMinute,
        GROUP_BACKLOG_SECONDS: budget.backlogSeconds,
      }
    : tb.config;
  return new OutboxDispatcher({
    apis: { telegram: rawApi },
    i18n: tb.app.i18n,
    config,
    logger: tb.app.logger,
    now: () => tb.clock.now,
    workerId,
  });
}
