import type { InlineKeyboardMarkup, Message } from "grammy/types";
import type { AppDeps } from "../core/app.ts";
import type { Translate } from "../core/i18n.ts";
import { insideBox } from "../models/geography/geo.ts";
import { listCategoryTitles } from "../models/geography/category.ts";
import { NEARBY_DEFAULTS, openReportsNear, type NearbyCase } from "../models/report/nearby.ts";
import type { Locale } from "../models/common/platform.ts";
import { encode } from "./buttons/callback-data.ts";

/** What "📍 Nearby" answers a shared location with: plain JSON (a conversation's replay log stores it). */
export interface NearbyReply {
  text: string;
  /** One "👍 Me too" per case; null when nothing is listed. */
  markup: InlineKeyboardMarkup | null;
  /** The cases listed (the hint under them is sent only then). */
  count: number;
}

const DAY = 86_400_000;
/** A phone's fix varies by a few metres: closer than this is "this very spot", farther is rounded to tens of metres. */
const SAME_SPOT_M = 10;

/** The point of a location or venue message (Telegram and Bale send both the same way); null for anything else. */
export function sharedPoint(msg: Pick<Message, "location" | "venue"> | undefined): { lat: number; lon: number } | null {
  const p = msg?.venue?.location ?? msg?.location;
  return p ? { lat: p.latitude, lon: p.longitude } : null;
}

/** The open cases near the point, in the reader's language: category, status, age, distance, supporters; nobody's name or words. */
export async function nearbyReply(
  app: Pick<AppDeps, "config" | "now">,
  t: Translate,
  locale: Locale,
  point: { lat: number; lon: number },
): Promise<NearbyReply> {
  const radius = NEARBY_DEFAULTS.radiusM;
  if (!insideBox(point, app.config.SERVICE_AREA_BBOX))
    return { text: t("nearby-outside-area"), markup: null, count: 0 };
  const cases = await openReportsNear(point, NEARBY_DEFAULTS);
  if (cases.length === 0) return { text: t("nearby-empty", { radius }), markup: null, count: 0 };
  const titles = new Map((await listCategoryTitles()).map((c) => [c.key, c.title[locale] || c.key]));
  const now = app.now().getTime();
  const item = (c: NearbyCase, n: number) => {
    const line = t("nearby-item", {
      n,
      category: titles.get(c.categoryKey) ?? c.categoryKey,
      status: t(`status-${c.status}`),
      age: t("nearby-age", { days: Math.max(0, Math.floor((now - c.createdAt.getTime()) / DAY)) }),
      distance: t("nearby-distance", { distance: shownDistance(c.distanceM) }),
    });
    return c.supporters > 0 ? `${line} · ${t("nearby-supporters", { count: c.supporters })}` : line;
  };
  return {
    text: [t("nearby-title", { radius }), ...cases.map((c, i) => item(c, i + 1))].join("\n\n"),
    markup: {
      inline_keyboard: cases.map((c, i) => [
        { text: t("nearby-me-too", { n: i + 1 }), callback_data: encode("meToo", { reportId: c.id }) },
      ]),
    },
    count: cases.length,
  };
}

/** Metres as the list shows them: 0 = this very spot, else to the nearest ten. */
export function shownDistance(metres: number): number {
  return metres < SAME_SPOT_M ? 0 : Math.round(metres / 10) * 10;
}
