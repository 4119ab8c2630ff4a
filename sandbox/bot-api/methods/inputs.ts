// File parameters of send* methods: an upload (stored, new file_id) or a file_id this bot knows,
// with Telegram's refusals for unknown ids and for a file of the wrong type.
import type { Document, PhotoSize } from "grammy/types";
import { TG } from "../errors.ts";
import { mimeFor } from "../files.ts";
import type { InputFileRef } from "../params.ts";
import type { PlatformState } from "../state.ts";

export function photoFrom(p: PlatformState, ref: InputFileRef): PhotoSize[] {
  if ("upload" in ref) return p.files.newPhoto(ref.upload.bytes);
  const existing = p.files.photoSet(ref.fileId);
  if (existing) return existing;
  const file = p.files.get(ref.fileId);
  if (!file) throw TG.wrongFileId();
  if (file.kind !== "upload") throw TG.fileTypeMismatch();
  return p.files.newPhoto(file.bytes);
}

export function documentFrom(p: PlatformState, ref: InputFileRef): Document {
  if ("upload" in ref) {
    const { bytes, filename, contentType } = ref.upload;
    return p.files.asDocument(
      p.files.add({ kind: "document", bytes, file_name: filename, mime_type: mimeFor(filename, contentType) }),
    );
  }
  const file = p.files.get(ref.fileId);
  if (!file) throw TG.wrongFileId();
  if (file.kind === "document") return p.files.asDocument(file);
  if (file.kind !== "upload") throw TG.fileTypeMismatch();
  return p.files.asDocument(
    p.files.add({
      kind: "document",
      bytes: file.bytes,
      mime_type: file.mime_type,
      ...(file.file_name ? { file_name: file.file_name } : {}),
    }),
  );
}
