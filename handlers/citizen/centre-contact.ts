import type { Config } from "../../core/config.ts";
import type { Translate } from "../../core/i18n.ts";

/** "☎️ Contact the 137 centre" with the configured phone (and hours): nothing when no phone is set. */
export function centreContactLine(t: Translate, config: Pick<Config, "CENTRE_PHONE" | "CENTRE_HOURS">): string {
  if (!config.CENTRE_PHONE) return "";
  return config.CENTRE_HOURS
    ? t("centre-contact-hours", { phone: config.CENTRE_PHONE, hours: config.CENTRE_HOURS })
    : t("centre-contact", { phone: config.CENTRE_PHONE });
}

/** A message with the centre line under it, when there is one. */
export function withCentreContact(
  text: string,
  t: Translate,
  config: Pick<Config, "CENTRE_PHONE" | "CENTRE_HOURS">,
): string {
  const line = centreContactLine(t, config);
  return line ? `${text}\n\n${line}` : text;
}
