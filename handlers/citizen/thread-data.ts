/**
 * Buttons of the citizen–case thread, typed and checked: `th:<kept id>:<report id>` adds a kept
 * message to that report, `th:<kept id>:new` files a new report with it, `nr:<kept id>` skips
 * "what is still wrong?". 51 bytes at most, under Telegram's 64.
 */
export type ThreadButton = { kind: "add"; keptId: string; reportId: string } | { kind: "new"; keptId: string } | { kind: "skip_reason"; keptId: string };

export function addToReportData(keptId: string, reportId: string): string {
  return `th:${keptId}:${reportId}`;
}

export function newReportData(keptId: string): string {
  return `th:${keptId}:new`;
}

export function skipReasonData(keptId: string): string {
  return `nr:${keptId}`;
}

export function parseThreadData(data: string | undefined): ThreadButton | null {
  const th = /^th:([0-9a-f]{24}):([0-9a-f]{24}|new)$/.exec(data ?? "");
  if (th) return th[2] === "new" ? { kind: "new", keptId: th[1]! } : { kind: "add", keptId: th[1]!, reportId: th[2]! };
  const nr = /^nr:([0-9a-f]{24})$/.exec(data ?? "");
  return nr ? { kind: "skip_reason", keptId: nr[1]! } : null;
}
