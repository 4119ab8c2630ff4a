import type { IncomingMessage } from "node:http";
import type { Locale } from "../../models/common/platform.ts";

/** The best of fa and en by the Accept-Language header's weights; fa when it names neither. */
export function requestLocale(req: IncomingMessage): Locale {
  const header = req.headers["accept-language"];
  if (typeof header !== "string") return "fa";
  const ranked = header
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { lang: tag.trim().toLowerCase().split("-")[0], q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.q > 0 && (r.lang === "fa" || r.lang === "en"))
    // Equal weights keep the header's order.
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked[0]?.lang as Locale | undefined) ?? "fa";
}
