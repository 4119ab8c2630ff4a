import type { Api } from "grammy";

export class FileTooLargeError extends Error {
  constructor(readonly size: number) {
    super(`file of ${size} bytes is over the cap`);
    this.name = "FileTooLargeError";
  }
}

export interface DownloadDeps {
  api: Api;
  fetch: typeof fetch;
  apiRoot: string;
  token: string;
}

/**
 * getFile, then the bytes from `<apiRoot>/file/bot<token>/<file_path>` (Telegram and Bale alike).
 * The cap is enforced while streaming, not trusted from the declared size.
 */
export async function downloadFile(
  deps: DownloadDeps,
  fileId: string,
  maxBytes: number,
  timeoutMs = 30_000,
): Promise<Uint8Array> {
  const file = await deps.api.getFile(fileId);
  if (file.file_size !== undefined && file.file_size > maxBytes) throw new FileTooLargeError(file.file_size);
  if (!file.file_path) throw new Error(`getFile returned no file_path for ${fileId}`);
  const res = await deps.fetch(`${deps.apiRoot}/file/bot${deps.token}/${file.file_path}`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok || !res.body) throw new Error(`file download failed with HTTP ${res.status}`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new FileTooLargeError(total);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
