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

/** One round trip per update: creates the citizen on first contact and keeps name/username fresh. */
export async function touchCitizen(p: CitizenProfile): Promise<CitizenView> {
  if (!isPlatform(p.platform) || !isUserId(p.userId) || !isChatId(p.chatId)) throw invalidIdError("touchCitizen");
  const doc = await Citizen.findOneAndUpdate(
    { platform: p.platform, userId: p.userId },
    {
      $set: {
        chatId: p.chatId,
        // Shown to staff: no override may disguise a name.
        firstName: cleanUserText(p.firstName ?? "", { singleLine: true }),
        lastName: cleanUserText(p.lastName ?? "", { singleLine: true }),
        username: cleanUserText(p.username ?? "", { singleLine: true }),
        languageCode: p.languageCode ?? "",
        unreachableAt: null,
      },
    },
    { upsert: true, returnDocument: "after", setDefaultsOnInsert: true, ...SANITIZED },
  ).lean();
  return {
    platform: doc.platform as Platform,
    userId: doc.userId,
    chatId: doc.chatId,
    firstName: doc.firstName,
    username: doc.username,
    locale: doc.locale as CitizenView["locale"],
    languageCode: doc.languageCode,
    phone: doc.phone,
  };
}

export async function setCitizenLocale(platform: Platform, userId: number, locale: "fa" | "en"): Promise<void> {
  if (!isPlatform(platform) || !isUserId(userId)) throw invalidIdError("setCitizenLocale");
  await Citizen.updateOne({ platform, userId }, { $set: { locale } }, SANITIZED);
}

export async function markChatUnreachable(platform: Platform, chatId: number, at: Date): Promise<void> {
  await Citizen.updateMany({ platform, chatId }, { $set: { unreachableAt: at } });
}
