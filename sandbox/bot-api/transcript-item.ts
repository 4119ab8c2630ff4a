// The shape of a transcript item, apart from the code that builds them (transcript.ts), so the
// emulator's state can hold items without importing the builders that read the state.
import type { Contact, Document, Location } from "grammy/types";
import type { AnyMarkup } from "./markup.ts";

export type ItemKind = "message" | "edit" | "delete" | "callback_answer";

export interface TranscriptItem {
  seq: number;
  kind: ItemKind;
  chat_id: number;
  message_id: number;
  from: "bot" | "user";
  user_id?: number;
  date: number;
  edit_date?: number;
  text?: string;
  caption?: string;
  parse_mode?: string;
  photo?: { file_id: string; url: string; width: number; height: number };
  media_group_id?: string;
  location?: Location;
  venue?: { latitude: number; longitude: number; title: string; address: string };
  contact?: Contact;
  document?: Document & { url: string };
  sticker?: { file_id: string; emoji?: string };
  reply_markup?: AnyMarkup;
  reply_to_message_id?: number;
  alert?: { text: string; show_alert: boolean };
}

export type ItemBody = Omit<TranscriptItem, "seq" | "kind">;
