import { isOpen, type ReportStatus } from "../report/report-status.ts";

/** GeoReport v2 knows two states. */
export function open311Status(status: ReportStatus): "open" | "closed" {
  return isOpen(status) ? "open" : "closed";
}

/** FixMyStreet's extended statuses (its servicerequestupdates extension). */
export const FMS_STATUSES = [
  "OPEN",
  "INVESTIGATING",
  "IN_PROGRESS",
  "ACTION_SCHEDULED",
  "FIXED",
  "DUPLICATE",
  "NOT_COUNCILS_RESPONSIBILITY",
  "NO_FURTHER_ACTION",
  "CLOSED",
] as const;
export type FmsStatus = (typeof FMS_STATUSES)[number];

/**
 * Ours to FixMyStreet's. An official holding the case is "investigating"; a rejection gives no
 * reason a machine could tell apart, so it is "no further action". CLOSED is a resolution the
 * reporter confirmed as fixed. Nothing of ours means ACTION_SCHEDULED or NOT_COUNCILS_RESPONSIBILITY.
 */
const FMS: Record<ReportStatus, FmsStatus> = {
  new: "OPEN",
  reopened: "OPEN",
  assigned: "INVESTIGATING",
  in_progress: "IN_PROGRESS",
  resolved: "FIXED",
  duplicate: "DUPLICATE",
  rejected: "NO_FURTHER_ACTION",
};

export function fmsStatus(status: ReportStatus, confirmedFixed = false): FmsStatus {
  return status === "resolved" && confirmedFixed ? "CLOSED" : FMS[status];
}
