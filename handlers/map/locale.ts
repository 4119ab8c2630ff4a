import type { IncomingMessage } from "node:http";
import type { Locale } from "../../models/common/platform.ts";

const LOCALES: readonly Locale[] = ["fa", "en"];

/** `?lang=` wins; then the first of our languages in Accept-Language by its q order; else the desk's default. */
export function pageLocale(req: IncomingMessage, url: URL, fallback: Locale): Locale {
  const chosen = url.searchParams.get("lang");
  if (chosen === "fa" || chosen === "en") return chosen;
  const header = req.headers["accept-language"];
  if (typeof header !== "string") return fallback;
  const ranked = header
    .split(",")
    .slice(0, 20)
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { lang: tag.trim().toLowerCase().split("-")[0] ?? "", q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked.find((r) => (LOCALES as readonly string[]).includes(r.lang))?.lang as Locale | undefined) ?? fallback;
}
