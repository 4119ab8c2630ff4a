import type { Message } from "grammy/types";

/**
 * What counts as proof from a message. Pure parsing: the visit conversation replays this on
 * every update.
 */

/** A message someone forwarded (from another chat, channel, or an automatic forward) is not proof of being there. */
export function isForwarded(m: Message): boolean {
  const legacy = m as Message & { forward_date?: number; forward_from?: unknown; forward_from_chat?: unknown };
  return Boolean(
    m.forward_origin ??
    legacy.forward_date ??
    legacy.forward_from ??
    legacy.forward_from_chat ??
    m.is_automatic_forward,
  );
}

export interface SharedLocation {
  lat: number;
  lon: number;
  /** A Telegram live location (the message has live_period) on a platform that has them. */
  live: boolean;
  /** The message date, in ms. */
  at: number;
}

/** The official's own position: a location message, not a venue (a picked place proves nothing). */
export function sharedLocation(m: Message, liveSupported: boolean): SharedLocation | "venue" | null {
  if (m.venue) return "venue";
  if (!m.location) return null;
  return {
    lat: m.location.latitude,
    lon: m.location.longitude,
    live: liveSupported && (m.location.live_period ?? 0) > 0,
    at: m.date * 1000,
  };
}

export interface SitePhoto {
  fileId: string;
  fileUniqueId: string;
  /** The message date, in ms. */
  at: number;
}

/** The largest size of a photo, or an image sent as a file (keeps the camera's original). */
export function sitePhoto(m: Message): SitePhoto | null {
  const p = m.photo?.at(-1);
  if (p) return { fileId: p.file_id, fileUniqueId: p.file_unique_id, at: m.date * 1000 };
  const d = m.document;
  if (d?.mime_type?.startsWith("image/"))
    return { fileId: d.file_id, fileUniqueId: d.file_unique_id, at: m.date * 1000 };
  return null;
}
