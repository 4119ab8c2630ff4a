import mongoose, { Schema } from "mongoose";
import { type Platform } from "../common/platform.ts";
import { invalidIdError, isChatId, isPlatform, isUserId, SANITIZED } from "../common/ids.ts";
import { cleanUserText } from "../common/clean-text.ts";

const citizenSchema = new Schema(
  {
    platform: { type: String, enum: ["telegram", "bale"], required: true },
    userId: { type: Number, required: true },
    chatId: { type: Number, required: true },
    firstName: { type: String, default: "" },
    lastName: { type: String, default: "" },
    username: { type: String, default: "" },
    languageCode: { type: String, default: "" },
    /** Chosen with /language; empty = follow the Telegram client language. */
    locale: { type: String, enum: ["fa", "en", ""], default: "" },
    phone: { type: String, default: "" },
    /** Set when the messenger answers 403 (bot blocked): the outbox stops trying. */
    unreachableAt: { type: Date, default: null },
  },
  { timestamps: true },
);
citizenSchema.index({ platform: 1, userId: 1 }, { unique: true });

export const Citizen = mongoose.model("Citizen", citizenSchema);

export interface CitizenProfile {
  platform: Platform;
  userId: number;
  chatId: number;
  firstName?: string | undefined;
  lastName?: string | undefined;
  username?: string | undefined;
  languageCode?: string | undefined;
}

export interface CitizenView {
  platform: Platform;
  userId: number;
  chatId: number;
  firstName: string;
  username: string;
  locale: "fa" | "en" | "";
  languageCode: string;
  phone: string;
}

/**
 * Every update of a private chat touches its citizen, yet the profile Telegram sends rarely changes
 * between two of them: the bot process remembers the profile it last wrote for `ttlMs`
 * (cacheCitizenProfiles) and skips a write that would change nothing. Writes made here
 * (locale, unreachable) update what it remembers; one made elsewhere (another instance's
 * /language or 403, the retention job's erasure) is seen at the first write after `ttlMs`, which
 * every citizen gets at least once per `ttlMs`. Off (0) unless turned on: tests and scripts change
 * citizens behind the bot's back.
 */
let profileTtlMs = 0;
/** What the bot process uses (bot/main.ts). */
export const CITIZEN_PROFILE_TTL_MS = 30_000;
const remembered = new Map<string, { at: number; profile: string; view: CitizenView }>();
/** Bounded: a flood of first contacts may not grow the process without end (oldest forgotten first). */
const MAX_REMEMBERED = 20_000;

/** Remembers written profiles for `ttlMs` in this process (0: write on every update). */
export function cacheCitizenProfiles(ttlMs: number): void {
  profileTtlMs = ttlMs;
  remembered.clear();
}

/** Forgets what this process remembers of a citizen (after erasing them). */
export function forgetCitizenProfile(platform: Platform, userId: number): void {
  remembered.delete(`${platform}:${userId}`);
}

/** Creates the citizen on first contact and keeps name/username fresh: one round trip, none when nothing changed. */
export async function touchCitizen(p: CitizenProfile): Promise<CitizenView> {
  if (!isPlatform(p.platform) || !isUserId(p.userId) || !isChatId(p.chatId)) throw invalidIdError("touchCitizen");
  const fields = {
    chatId: p.chatId,
    // Shown to staff: no override may disguise a name.
    firstName: cleanUserText(p.firstName ?? "", { singleLine: true }),
    lastName: cleanUserText(p.lastName ?? "", { singleLine: true }),
    username: cleanUserText(p.username ?? "", { singleLine: true }),
    languageCode: p.languageCode ?? "",
  };
  const key = `${p.platform}:${p.userId}`;
  const profile = JSON.stringify(fields);
  const known = remembered.get(key);
  // `at` is the write's time, not the last hit's: a change made elsewhere is seen within the TTL.
  if (known && known.profile === profile && Date.now() - known.at < profileTtlMs) return { ...known.view };
  const doc = await Citizen.findOneAndUpdate(
    { platform: p.platform, userId: p.userId },
    { $set: { ...fields, unreachableAt: null } },
    { upsert: true, returnDocument: "after", setDefaultsOnInsert: true, ...SANITIZED },
  ).lean();
  const view: CitizenView = {
    platform: doc.platform as Platform,
    userId: doc.userId,
    chatId: doc.chatId,
    firstName: doc.firstName,
    username: doc.username,
    locale: doc.locale as CitizenView["locale"],
    languageCode: doc.languageCode,
    phone: doc.phone,
  };
  if (profileTtlMs > 0) {
    remembered.delete(key);
    remembered.set(key, { at: Date.now(), profile, view: { ...view } });
    if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
  }
  return view;
}

export async function setCitizenLocale(platform: Platform, userId: number, locale: "fa" | "en"): Promise<void> {
  if (!isPlatform(platform) || !isUserId(userId)) throw invalidIdError("setCitizenLocale");
  await Citizen.updateOne({ platform, userId }, { $set: { locale } }, SANITIZED);
  const known = remembered.get(`${platform}:${userId}`);
  if (known) known.view = { ...known.view, locale };
}

export async function markChatUnreachable(platform: Platform, chatId: number, at: Date): Promise<void> {
  await Citizen.updateMany({ platform, chatId }, { $set: { unreachableAt: at } });
  // Their next update must clear the mark again: the write may not be skipped.
  for (const [key, known] of remembered)
    if (known.view.platform === platform && known.view.chatId === chatId) remembered.delete(key);
}
