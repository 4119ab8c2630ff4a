import { Keyboard } from "grammy";
import { insideBox } from "../../../models/geography/geo.ts";
import { cleanUserText } from "../../../models/common/clean-text.ts";
import { done, hint, retry } from "../ask.ts";
import { ADDRESS_MAX, ADDRESS_MIN } from "../draft.ts";
import { askStep, type StepEnv } from "./env.ts";

export interface LocationAnswer {
  location: { lat: number; lon: number } | null;
  address: string;
  venueTitle: string;
}

export async function askLocation(env: StepEnv): Promise<LocationAnswer> {
  const kb = new Keyboard().requestLocation(env.t("location-button")).resized().oneTime();
  await env.ctx.reply(env.t("ask-location"), { reply_markup: kb });
  return askStep<LocationAnswer>(env, {
    hintKey: "hint-location",
    markup: kb,
    handle(ctx) {
      const msg = ctx.message;
      if (!msg) return hint;
      // A venue carries a location too; keep its title as the address people recognise.
      const point = msg.venue?.location ?? msg.location;
      if (point) {
        const location = { lat: point.latitude, lon: point.longitude };
        if (!insideBox(location, env.serviceArea)) return retry(env.t("location-outside-area"));
        // A venue's title and address are whatever the sending client put there: cleaned like typed text.
        return done({
          location,
          address: cleanUserText(msg.venue?.address ?? "").trim(),
          venueTitle: cleanUserText(msg.venue?.title ?? "", { singleLine: true }).trim(),
        });
      }
      if (msg.text !== undefined) {
        const address = cleanUserText(msg.text).trim();
        if (address.length < ADDRESS_MIN) return retry(env.t("address-too-short"));
        if (address.length > ADDRESS_MAX) return retry(env.t("address-too-long"));
        return done({ location: null, address, venueTitle: "" });
      }
      return hint;
    },
  });
}
