// Message times on the page in the desk's time zone (TZ_NAME, named by the server in
// <meta name="time-zone">), as the bot's own texts show dates: a tester abroad sees the clock a
// citizen in the city would see, and a time on the page matches the dates inside the messages.

const formats = new Map();

/** hh:mm of a Bot API date (unix seconds) in `timeZone` (undefined = the browser's), in the page's language. */
export function formatTime(unixSeconds, locale, timeZone) {
  if (!unixSeconds) return "";
  const key = `${locale}|${timeZone ?? ""}`;
  let fmt = formats.get(key);
  if (!fmt) {
    const lang = locale === "fa" ? "fa-IR" : "en-GB";
    const options = { hour: "2-digit", minute: "2-digit" };
    try {
      fmt = new Intl.DateTimeFormat(lang, timeZone ? { ...options, timeZone } : options);
    } catch {
      // A zone this browser does not know: its own clock rather than no time at all.
      fmt = new Intl.DateTimeFormat(lang, options);
    }
    formats.set(key, fmt);
  }
  return fmt.format(new Date(Number(unixSeconds) * 1000));
}

/** The zone the server put in the page; empty or absent = the browser's own. */
export function servedTimeZone(doc) {
  return doc.querySelector('meta[name="time-zone"]')?.getAttribute("content") || undefined;
}
