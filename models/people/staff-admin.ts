import { Staff, findActiveStaff, listStaff, staffView, upsertStaff, type Role, type StaffMember } from "./staff.ts";
import { unknownScopeKeys, type ScopeKeys } from "./scope-keys.ts";
import type { Platform } from "../common/platform.ts";

/** Staff administration on top of models/people/staff.ts (used by `npm run staff`). */

export interface StaffRecord extends StaffMember {
  active: boolean;
}

/** Active members (as the bot sees them), or everyone including the deactivated. */
export async function listStaffRecords(includeInactive: boolean): Promise<StaffRecord[]> {
  const active = (await listStaff()).map((m) => ({ ...m, active: true }));
  if (!includeInactive) return active;
  const inactive = await Staff.find({ active: false }).sort({ role: 1, name: 1 }).lean();
  return [...active, ...inactive.map((d) => ({ ...staffView(d), active: false }))];
}

/** One line naming every unknown region/department key, or null when all exist. */
export async function scopeProblem(scope: ScopeKeys): Promise<string | null> {
  const unknown = await unknownScopeKeys(scope);
  const parts = [
    ...(unknown.regions.length > 0 ? [`unknown region ${unknown.regions.join(", ")}`] : []),
    ...(unknown.departments.length > 0 ? [`unknown department ${unknown.departments.join(", ")}`] : []),
  ];
  return parts.length > 0 ? parts.join("; ") : null;
}

export interface StaffPatch {
  role?: Role;
  regions?: string[];
  departments?: string[];
}

/** Changes role or scope of an active member; null when there is none (adding is explicit: `add`). */
export async function changeStaff(platform: Platform, userId: number, patch: StaffPatch): Promise<StaffMember | null> {
  const current = await findActiveStaff(platform, userId);
  if (!current) return null;
  return upsertStaff({ ...current, ...patch });
}
