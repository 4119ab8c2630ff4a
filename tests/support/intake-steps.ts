import type { ChatSim } from "./chat-sim.ts";
import type { TestBot } from "./test-bot.ts";

export interface ReportInput {
  category?: string;
  description?: string;
  location?: { lat: number; lon: number } | { address: string };
  photos?: { fileId: string; bytes: Uint8Array }[];
  phone?: string | null;
}

/** Karaj city centre: inside the default service area. */
export const KARAJ = { lat: 35.8327, lon: 50.9915 };

/** Drives the form up to the summary (Persian labels), answering every step. */
export async function fillReport(tb: TestBot, sim: ChatSim, input: ReportInput = {}): Promise<void> {
  await sim.text("/new");
  await sim.press(input.category ?? "نشت آب و فاضلاب");
  await sim.text(input.description ?? "لوله آب جلوی مدرسه شکسته است");
  const where = input.location ?? KARAJ;
  if ("address" in where) await sim.text(where.address);
  else await sim.location(where.lat, where.lon);
  const photos = input.photos ?? [];
  for (const p of photos) {
    tb.api.addFile(p.fileId, p.bytes);
    await sim.photo(p.fileId, p.bytes.byteLength);
  }
  if (photos.length === 0) await sim.press("⏭ بدون عکس");
  else if (photos.length < 3) await sim.press("✅ تمام");
  if (input.phone) await sim.contact(input.phone);
  else await sim.text("رد شدن");
}

/** Fills the form and submits it; returns the tracking code (digits only). */
export async function fileReport(tb: TestBot, sim: ChatSim, input: ReportInput = {}): Promise<string> {
  await fillReport(tb, sim, input);
  await sim.press("✅ ثبت");
  const m = /کد رهگیری: \u200e(\d{4})-(\d{4})/.exec(sim.lastReply());
  if (!m) throw new Error(`no tracking code in: ${sim.lastReply()}`);
  return `${m[1]}${m[2]}`;
}
