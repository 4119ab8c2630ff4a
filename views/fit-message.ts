import { truncate } from "../core/format.ts";

/** Telegram's limit for a message text (Bale's is no larger). */
export const MESSAGE_MAX = 4096;

export interface FitOptions {
  head: string;
  lines: string[];
  tail?: string;
  /** Items left out before fitting (e.g. beyond a query limit), counted in the "more" line too. */
  omitted?: number;
  /** The line that stands for the items left out, given how many. */
  more: (hidden: number) => string;
  /** Which end of the list survives when it does not fit: lists keep their top, histories their newest entries. */
  keep: "first" | "last";
  max?: number;
}

/** One message of a head, as many list lines as fit, a "…and N more" line and a tail. */
export function fitList(o: FitOptions): string {
  const max = o.max ?? MESSAGE_MAX;
  const render = (visible: string[], hidden: number) => {
    const more = hidden > 0 ? [o.more(hidden)] : [];
    const body = o.keep === "last" ? [...more, ...visible] : [...visible, ...more];
    return [o.head, ...body, o.tail ?? ""].filter((s) => s !== "").join("\n");
  };
  const omitted = o.omitted ?? 0;
  const whole = render(o.lines, omitted);
  if (whole.length <= max) return whole;
  // Room left once the head, the tail and the longest possible "more" line are in.
  let used = render([], o.lines.length + omitted).length;
  const picked: string[] = [];
  for (const line of o.keep === "last" ? [...o.lines].reverse() : o.lines) {
    if (used + 1 + line.length > max) break;
    picked.push(line);
    used += 1 + line.length;
  }
  const visible = o.keep === "last" ? picked.reverse() : picked;
  return truncate(render(visible, o.lines.length - picked.length + omitted), max);
}
