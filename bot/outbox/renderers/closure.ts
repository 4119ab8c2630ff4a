import { InputFile } from "grammy";
import type { RendererSet } from "../renderer.ts";
import { payloadString } from "../renderer.ts";
import { truncate } from "../../../core/format.ts";
import { readPhoto } from "../../../models/report/photos.ts";
import { parseId } from "../../../models/common/object-id.ts";
import { formatCode } from "../../../models/report/tracking-code.ts";
import { feedbackKeyboard } from "../../../views/feedback-keyboard.ts";

/** Messages that close the loop with the reporter. */
export const closureRenderers = {
  /** The resolution note, the "after" photo if any, and the Fixed / Not fixed / stars buttons. */
  async resolution({ api, row, t }) {
    const reportId = payloadString(row, "reportId");
    const text = [
      t("notify-resolved", { code: formatCode(payloadString(row, "code")), note: payloadString(row, "note") }),
      t("feedback-ask"),
    ].join("\n\n");
    const reply_markup = feedbackKeyboard(t, reportId);
    const photoId = payloadString(row, "afterPhotoId");
    const photo = parseId(photoId);
    if (photo) {
      await api.sendPhoto(row.chatId, new InputFile(await readPhoto(photo), "after.jpg"), {
        caption: truncate(text, 1024),
        reply_markup,
      });
      return;
    }
    await api.sendMessage(row.chatId, truncate(text, 4096), { reply_markup });
  },

  /** A question from staff; the citizen's next message is the answer. */
  async info_request({ api, row, t }) {
    await api.sendMessage(
      row.chatId,
      truncate(
        t("notify-info-request", {
          code: formatCode(payloadString(row, "code")),
          question: payloadString(row, "question"),
        }),
        4096,
      ),
    );
  },
} satisfies RendererSet;
