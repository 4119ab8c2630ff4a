// Typed access to Bot API parameters. Telegram reads every parameter as a string (JSON bodies
// included: numbers, booleans and nested objects alike), so accessors coerce the way it does.
import type { BotApiError } from "./errors.ts";
import { TG } from "./errors.ts";
import type { ApiRequest } from "./http.ts";
import type { Upload } from "./multipart.ts";

/** A file parameter: an upload in this request, or a file_id (or URL) string. */
export type InputFileRef = { upload: Upload } | { fileId: string };

export class Params {
  constructor(private readonly req: ApiRequest) {}

  raw(name: string): unknown {
    return this.req.params[name];
  }

  /** Absent, null and "" all count as "not given", as for Telegram. */
  has(name: string): boolean {
    const v = this.req.params[name];
    return v !== undefined && v !== null && v !== "";
  }

  str(name: string): string | undefined {
    const v = this.req.params[name];
    if (v === undefined || v === null) return undefined;
    return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
  }

  /** Telegram's to_integer: an unparsable value reads as 0. */
  int(name: string): number | undefined {
    const s = this.str(name)?.trim();
    if (s === undefined || s === "") return undefined;
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : 0;
  }

  num(name: string): number | undefined {
    const s = this.str(name)?.trim();
    if (s === undefined || s === "") return undefined;
    const n = Number(s);
    return Number.isFinite(n) ? n : 0;
  }

  bool(name: string): boolean {
    const v = this.req.params[name];
    if (typeof v === "boolean") return v;
    const s = this.str(name)?.trim().toLowerCase();
    return s === "true" || s === "yes" || s === "1";
  }

  /** A JSON-typed parameter: already an object (JSON body) or a JSON string (every other encoding). */
  json(name: string, cantParse: () => BotApiError): unknown {
    const v = this.req.params[name];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw cantParse();
    }
  }

  /** Required string: Telegram's `parameter "x" is required`. */
  required(name: string): string {
    const s = this.str(name);
    if (s === undefined || s === "") throw TG.required(name);
    return s;
  }

  /** A file given as `attach://<field>`, as a bare upload under its own name, or as a file_id. */
  file(name: string): InputFileRef | undefined {
    return this.fileFrom(this.str(name), name);
  }

  fileFrom(value: string | undefined, fallbackField?: string): InputFileRef | undefined {
    if (value?.startsWith("attach://")) {
      const upload = this.req.files.get(value.slice("attach://".length));
      return upload ? { upload } : undefined;
    }
    if (value) return { fileId: value };
    const upload = fallbackField === undefined ? undefined : this.req.files.get(fallbackField);
    return upload ? { upload } : undefined;
  }
}
