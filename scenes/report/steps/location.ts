import { Keyboard } from "grammy";
import { insideBox } from "../../../models/geo.ts";
import { ask, done, hint, retry } from "../ask.ts";
import { ADDRESS_MAX, ADDRESS_MIN } from "../draft.ts";
import type { StepEnv } from "./env.ts";

export interface LocationAnswer {
  location: { lat: number; lon: number } | null;
  address: string;
  venueTitle: string;
}

export async function askLocation(env: StepEnv): Promise<LocationAnswer> {
  const kb = new Keyboard().requestLocation(env.t("location-button")).resized().oneTime();
  await env.ctx.reply(env.t("ask-location"), { reply_markup: kb });
  return ask<LocationAnswer>(env.conversation, {
    formKey: env.formKey,
    t: env.t,
    hintKey: "hint-location",
    markup: kb,
    menuLabels: env.menuLabels,
    handle(ctx) {
      const msg = ctx.message;
      if (!msg) return hint;
      // A venue carries a location too; keep its title as the address people recognise.
      const point = msg.venue?.location ?? msg.location;
      if (point) {
        const location = { lat: point.latitude, lon: point.longitude };
        if (!insideBox(location, env.serviceArea)) return retry(env.t("location-outside-area"));
        return done({ location, address: msg.venue?.address ?? "", venueTitle: msg.venue?.title ?? "" });
      }
      if (msg.text !== undefined) {
        const address = msg.text.trim();
        if (address.length < ADDRESS_MIN) return retry(env.t("address-too-short"));
        if (address.length > ADDRESS_MAX) return retry(env.t("address-too-long"));
        return done({ location: null, address, venueTitle: "" });
      }
      return hint;
    },
  });
}
