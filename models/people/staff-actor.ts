import type { Actor } from "../report/report-transition.ts";
import type { StaffMember } from "./staff.ts";

/** How an official appears in a case's history. */
export function staffActor(m: StaffMember): Actor {
  return { kind: "staff", platform: m.platform, id: m.userId, name: m.name };
}
