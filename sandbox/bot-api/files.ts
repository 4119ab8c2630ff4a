// Files the emulator knows, per bot: uploaded by the bot, or "owned" by simulated users. Each has a
// Telegram-looking file_id, a file_path for /file/bot<token>/<path>, and its bytes. A photo is a
// set of PhotoSize entries; every size serves the same bytes (nothing is resized).
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Document, PhotoSize } from "grammy/types";
import { imageSize } from "./image-size.ts";

/** "upload": a file a simulated user has and has not sent yet; it may become a photo or a document. */
export type FileKind = "photo" | "document" | "sticker" | "upload";

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  kind: FileKind;
  bytes: Buffer;
  mime_type: string;
  file_name?: string;
  file_path: string;
  width?: number;
  height?: number;
}

export interface NewFile {
  kind: FileKind;
  bytes: Buffer;
  mime_type?: string;
  file_name?: string;
  width?: number;
  height?: number;
}

/** Telegram's standard photo size bounds (s, m, x, y); the original is kept up to 2560. */
const PHOTO_BOUNDS = [90, 320, 800, 1280];
const PHOTO_MAX_SIDE = 2560;
/** When the bytes are not a recognisable image (test fixtures often are not), a nominal size. */
const NOMINAL = { width: 800, height: 600 };

const PREFIX: Record<FileKind, string> = {
  photo: "AgACAgIAAxkBAA",
  document: "BQACAgIAAxkBAA",
  sticker: "CAACAgIAAxkBAA",
  upload: "BAACAgIAAxkBAA",
};
const FOLDER: Record<FileKind, string> = {
  photo: "photos",
  document: "documents",
  sticker: "stickers",
  upload: "uploads",
};
const MIME_BY_EXT: Record<string, string> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".pdf": "application/pdf",
  ".txt": "text/plain",
  ".csv": "text/csv",
  ".json": "application/json",
  ".zip": "application/zip",
};
/** The first extension listed for a MIME type (.jpg, not .jpeg). */
const EXT_BY_MIME: Record<string, string> = Object.fromEntries(
  Object.entries(MIME_BY_EXT)
    .reverse()
    .map(([ext, mime]) => [mime, ext]),
);

export function mimeFor(fileName: string | undefined, declared?: string): string {
  if (declared && declared !== "application/octet-stream") return declared;
  return MIME_BY_EXT[path.extname(fileName ?? "").toLowerCase()] ?? "application/octet-stream";
}

export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  /** Any size's file_id → the whole size set, so re-sending a photo by file_id returns the same sizes. */
  private readonly photoSets = new Map<string, PhotoSize[]>();
  private counter = 0;

  add(f: NewFile): StoredFile {
    this.counter++;
    const mime = f.mime_type ?? mimeFor(f.file_name);
    const ext = path.extname(f.file_name ?? "") || EXT_BY_MIME[mime] || ".dat";
    const file: StoredFile = {
      file_id: `${PREFIX[f.kind]}${randomBytes(24).toString("base64url")}`,
      file_unique_id: `AQAD${randomBytes(8).toString("base64url")}`,
      kind: f.kind,
      bytes: f.bytes,
      mime_type: mime,
      file_path: `${FOLDER[f.kind]}/file_${this.counter}${ext}`,
      ...(f.file_name ? { file_name: f.file_name } : {}),
      ...(f.width !== undefined ? { width: f.width, height: f.height } : {}),
    };
    this.byId.set(file.file_id, file);
    this.byPath.set(file.file_path, file);
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  atPath(filePath: string): StoredFile | undefined {
    return this.byPath.get(filePath);
  }

  /** The sizes of an existing photo (any of its file_ids), or undefined. */
  photoSet(fileId: string): PhotoSize[] | undefined {
    return this.photoSets.get(fileId);
  }

  /** A new photo from bytes: standard sizes below the original, then the original. */
  newPhoto(bytes: Buffer): PhotoSize[] {
    const dims = imageSize(bytes) ?? { ...NOMINAL, mime: "image/jpeg" };
    const scale = (bound: number) => Math.min(1, bound / Math.max(dims.width, dims.height));
    const bounds = [...PHOTO_BOUNDS.filter((b) => b < Math.max(dims.width, dims.height)), PHOTO_MAX_SIDE];
    const sizes = bounds.map((bound) => {
      const k = scale(bound);
      const file = this.add({
        kind: "photo",
        bytes,
        mime_type: dims.mime,
        width: Math.max(1, Math.round(dims.width * k)),
        height: Math.max(1, Math.round(dims.height * k)),
      });
      return {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: bytes.length,
        width: file.width ?? 0,
        height: file.height ?? 0,
      };
    });
    for (const size of sizes) this.photoSets.set(size.file_id, sizes);
    return sizes;
  }

  asDocument(file: StoredFile): Document {
    return {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.bytes.length,
      mime_type: file.mime_type,
      ...(file.file_name ? { file_name: file.file_name } : {}),
    };
  }

  clear(): void {
    this.byId.clear();
    this.byPath.clear();
    this.photoSets.clear();
  }
}
