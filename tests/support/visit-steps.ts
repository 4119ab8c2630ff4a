import { Types } from "mongoose";
import type { ChatSim } from "./chat-sim.ts";
import type { TestBot } from "./test-bot.ts";
import { KARAJ } from "./intake-steps.ts";
import { tinyPhoto } from "./photo-bytes.ts";
import { recordVisit } from "../../models/report/visit.ts";
import type { StaffMember } from "../../models/people/staff.ts";
import type { ReportDoc } from "../../models/report/report.ts";

export interface VisitInput {
  /** Where the official stands; default: 22 m north of KARAJ (on site for a report at KARAJ). */
  at?: { lat: number; lon: number };
  live?: boolean;
  photos?: string[];
  note?: string | null;
  tell?: boolean;
}

/** 0.0002° of latitude ≈ 22 m. */
export const NEAR_KARAJ = { lat: KARAJ.lat + 0.0002, lon: KARAJ.lon };

/**
 * The whole visit in the official's private chat (Persian labels), from "Start visit" to the
 * result line, with the site on site; returns the bot's last reply.
 */
export async function recordVisitInChat(tb: TestBot, dm: ChatSim, v: VisitInput = {}): Promise<string> {
  await dm.press("▶️ شروع بازدید");
  const at = v.at ?? NEAR_KARAJ;
  // Message dates on the desk's clock, as a real messenger's would be on the server's.
  const date = Math.floor(tb.clock.now.getTime() / 1000);
  await dm.location(at.lat, at.lon, v.live === false ? { date } : { livePeriod: 900, date });
  for (const id of v.photos ?? ["site-1"]) {
    tb.api.addFile(id, tinyPhoto(id));
    await dm.photo(id, 4, { date });
  }
  if ((v.photos ?? ["site-1"]).length < 5) await dm.press("✔️ تمام");
  if (v.note) await dm.text(v.note);
  else await dm.press("بدون یادداشت");
  await dm.press(v.tell ? "📣 بله، اطلاع بده" : "خیر");
  return dm.lastReply();
}

/** A recorded on-site visit written through the domain (for tests about something else that need one). */
export async function seedOnSiteVisit(report: Pick<ReportDoc, "_id">, who: StaffMember, now: Date): Promise<ReportDoc> {
  return recordVisit(
    report._id,
    who,
    {
      lat: NEAR_KARAJ.lat,
      lon: NEAR_KARAJ.lon,
      live: true,
      locationAt: now,
      site: { distanceM: 22, radiusM: 150, onSite: true },
      photos: [new Types.ObjectId()],
      note: "",
      offSiteReason: "",
      tellCitizen: false,
    },
    now,
  );
}
