/** The report lifecycle (DESIGN.md): one table, so the bot, scripts and cron agree on what is legal. */
export const STATUSES = ["new", "assigned", "in_progress", "resolved", "rejected", "duplicate", "reopened"] as const;
export type ReportStatus = (typeof STATUSES)[number];

export const OPEN_STATUSES: readonly ReportStatus[] = ["new", "assigned", "in_progress", "reopened"];

const TRANSITIONS: Record<ReportStatus, readonly ReportStatus[]> = {
  new: ["assigned", "in_progress", "resolved", "rejected", "duplicate"],
  assigned: ["assigned", "in_progress", "resolved", "rejected", "duplicate"],
  in_progress: ["assigned", "resolved", "rejected", "duplicate"],
  reopened: ["assigned", "in_progress", "resolved", "rejected", "duplicate"],
  resolved: ["reopened"],
  rejected: [],
  duplicate: [],
};

export function canTransition(from: ReportStatus, to: ReportStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isOpen(status: ReportStatus): boolean {
  return OPEN_STATUSES.includes(status);
}
