import { GrammyError, type Api } from "grammy";
import type { I18n } from "@grammyjs/i18n";
import type { Config } from "../../core/config.ts";
import type { Translate } from "../../core/i18n.ts";
import { loggableRowId, type Logger } from "../../core/logger.ts";
import type { ClaimedRow } from "../../models/infra/outbox.ts";
import type { OutboxKind } from "../../models/infra/outbox-kinds.ts";
import type { ReportDoc } from "../../models/report/report.ts";
import { findReportById } from "../../models/report/report-queries.ts";

export interface RenderDeps {
  i18n: I18n;
  config: Config;
  /** The dispatcher's: for what a renderer decides on its own (a refused card edit becomes a new card). */
  logger: Logger;
  /** The dispatcher's clock (a digest says how old each case is). */
  now?: () => Date;
}

export interface RenderContext {
  api: Api;
  row: ClaimedRow;
  t: Translate;
  deps: RenderDeps;
}

/**
 * Sends one outbox row: one message (or one album), so a retry never repeats another message; a
 * row of several (the new-case alert) notes each one sent (models/infra/outbox.ts noteSentStep),
 * and its retry goes on after them.
 */
export type Renderer = (c: RenderContext) => Promise<void>;

/** One file's share of the registry: `satisfies RendererSet` refuses a key that is no outbox kind. */
export type RendererSet = Partial<Record<OutboxKind, Renderer>>;

/** A row as log lines name it: its id (without a private chat's id, core/logger.ts) and kind. */
export function rowFields(row: Pick<ClaimedRow, "id" | "kind">): { rowId: string; kind: string } {
  return { rowId: loggableRowId(row.id), kind: row.kind };
}

/** A permanent refusal: retrying the same payload cannot help. 403 and 429 have their own handling. */
export function refused(err: unknown): err is GrammyError {
  return (
    err instanceof GrammyError &&
    err.error_code >= 400 &&
    err.error_code < 500 &&
    err.error_code !== 403 &&
    err.error_code !== 429
  );
}

/** A row whose subject disappeared (report deleted by retention, say): nothing to send, not an error. */
export class NothingToSend extends Error {}

export async function rowReport(row: ClaimedRow): Promise<ReportDoc> {
  const report = await findReportById(String(row.payload.reportId ?? ""));
  if (!report) throw new NothingToSend(`report ${String(row.payload.reportId)} not found`);
  return report;
}

export function payloadString(row: ClaimedRow, key: string): string {
  const v = row.payload[key];
  return typeof v === "string" ? v : "";
}
