import { errorSummary } from "../../../core/error-summary.ts";
import { NothingToSend, type Renderer } from "../renderer.ts";
import { tableGroupNames } from "../../../views/weekly-table/payload.ts";
import { sendTablePart, sendTableText, type WeeklyTableRowPayload } from "../../../views/weekly-table/send.ts";
import { buildTableView } from "../../../views/weekly-table/view.ts";

/** The outbox renderer of `weekly_table` rows (the weekly job's sections to the managers): a picture or its phone text. */
export const weeklyTableRenderer: Renderer = async ({ api, row, t, deps }) => {
  const payload = row.payload as unknown as WeeklyTableRowPayload;
  const view = buildTableView(
    payload,
    await tableGroupNames(payload.section, row.locale),
    t,
    row.locale,
    deps.config.TZ_NAME,
    "weekly",
  );
  if (payload.part !== "photo" && payload.part !== "text") return sendTableText(api, row.chatId, view);
  const outcome = await sendTablePart(api, row.chatId, row.platform, view, payload.part);
  if (!outcome.sent)
    throw new NothingToSend(
      outcome.renderError === undefined ? outcome.why : `${outcome.why} (${errorSummary(outcome.renderError)})`,
    );
};
