// multipart/form-data reader, lenient where grammY's writer is loose: header names in any case,
// no space after ":" or ";", and `filename=` without quotes (`filename=photo.jpg`).

export interface Upload {
  /** The form field name (grammY: a random id referenced as `attach://<id>`). */
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface FormData {
  fields: Record<string, string>;
  files: Map<string, Upload>;
}

const CRLF2 = Buffer.from("\r\n\r\n");

function headerParam(head: string, name: string): string | undefined {
  // name="quoted value" or name=bare-value (up to ";" or the end of the line)
  const re = new RegExp(`(?:^|[;\\s])${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\r\\n]*))`, "i");
  const m = re.exec(head);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? "").trim();
}

export function boundaryOf(contentType: string): string | undefined {
  return headerParam(contentType, "boundary");
}

export function parseMultipart(body: Buffer, boundary: string): FormData {
  const fields: Record<string, string> = {};
  const files = new Map<string, Upload>();
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    // "--" right after a delimiter closes the body.
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    readPart(body.subarray(start, next), fields, files);
    pos = next;
  }
  return { fields, files };
}

function readPart(part: Buffer, fields: Record<string, string>, files: Map<string, Upload>): void {
  const headerEnd = part.indexOf(CRLF2);
  if (headerEnd === -1) return;
  const head = part.subarray(0, headerEnd).toString("utf8");
  let content = part.subarray(headerEnd + CRLF2.length);
  // The CRLF before the next delimiter belongs to the delimiter, not to the content.
  if (content.subarray(-2).toString() === "\r\n") content = content.subarray(0, -2);
  const disposition = /content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? "";
  const name = headerParam(disposition, "name");
  if (!name) return;
  const filename = headerParam(disposition, "filename");
  if (filename === undefined) {
    fields[name] = content.toString("utf8");
    return;
  }
  const contentType = /content-type:\s*([^\r\n;]*)/i.exec(head)?.[1]?.trim() ?? "application/octet-stream";
  files.set(name, { field: name, filename, contentType, bytes: Buffer.from(content) });
}
