import mongoose, { Schema } from "mongoose";
import { PLATFORMS, type Platform } from "../common/platform.ts";
import { invalidIdError, isPlatform, isUserId, SANITIZED } from "../common/ids.ts";

export const ROLES = ["official", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

const staffSchema = new Schema(
  {
    platform: { type: String, enum: PLATFORMS, required: true },
    userId: { type: Number, required: true },
    name: { type: String, default: "" },
    role: { type: String, enum: ROLES, required: true },
    /** Region keys this person answers for; empty = none (admins see everything regardless). */
    regions: { type: [String], default: [] },
    /** Department keys this person answers for. */
    departments: { type: [String], default: [] },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);
staffSchema.index({ platform: 1, userId: 1 }, { unique: true });

export const Staff = mongoose.model("Staff", staffSchema, "staff");

export interface StaffMember {
  platform: Platform;
  userId: number;
  name: string;
  role: Role;
  regions: string[];
  departments: string[];
}

/** A stored member as the rest of the code sees them (copies of the scope arrays, typed role and platform). */
export function staffView(doc: {
  platform: string;
  userId: number;
  name: string;
  role: string;
  regions: string[];
  departments: string[];
}): StaffMember {
  return {
    platform: doc.platform as Platform,
    userId: doc.userId,
    name: doc.name,
    role: doc.role as Role,
    regions: [...doc.regions],
    departments: [...doc.departments],
  };
}

/**
 * Read on every press: a person removed or demoted a second ago can no longer act. An id that is
 * not a messenger id (an operator object from a forged update) is nobody: null, never a match.
 */
export async function findActiveStaff(platform: Platform, userId: number): Promise<StaffMember | null> {
  if (!isPlatform(platform) || !isUserId(userId)) return null;
  const doc = await Staff.findOne({ platform, userId, active: true }, null, SANITIZED).lean();
  return doc ? staffView(doc) : null;
}

export async function listStaff(): Promise<StaffMember[]> {
  return (await Staff.find({ active: true }).sort({ role: 1, name: 1 }).lean()).map(staffView);
}

/** The user ids of a platform's active staff (the flood guard's roster: staff are never throttled). */
export async function activeStaffUserIds(platform: Platform): Promise<number[]> {
  const rows = await Staff.find({ platform, active: true }, { userId: 1, _id: 0 }).lean();
  return rows.map((r) => r.userId);
}

export interface StaffInput {
  platform: Platform;
  userId: number;
  name?: string;
  role: Role;
  regions?: string[];
  departments?: string[];
}

/** Adds or updates (re-activates) one staff member; throws a DomainError for an id no person has. */
export async function upsertStaff(input: StaffInput): Promise<StaffMember> {
  if (!isPlatform(input.platform) || !isUserId(input.userId)) throw invalidIdError("upsertStaff");
  const doc = await Staff.findOneAndUpdate(
    { platform: input.platform, userId: input.userId },
    {
      $set: {
        role: input.role,
        active: true,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.regions !== undefined ? { regions: input.regions } : {}),
        ...(input.departments !== undefined ? { departments: input.departments } : {}),
      },
    },
    { upsert: true, returnDocument: "after", setDefaultsOnInsert: true, ...SANITIZED },
  ).lean();
  return staffView(doc);
}

/** False when nothing changed, an id no person has included. */
export async function deactivateStaff(platform: Platform, userId: number): Promise<boolean> {
  if (!isPlatform(platform) || !isUserId(userId)) return false;
  const res = await Staff.updateOne({ platform, userId, active: true }, { $set: { active: false } }, SANITIZED);
  return res.modifiedCount === 1;
}

/** Bootstrap admins from ADMIN_USER_IDS; never demotes anyone. */
export async function ensureAdmins(ids: { platform: Platform; userId: number }[]): Promise<void> {
  for (const id of ids) {
    await Staff.updateOne(
      { platform: id.platform, userId: id.userId },
      { $set: { role: "admin", active: true } },
      { upsert: true },
    );
  }
}

/** May this person act on a case of this region/department? */
export function inScope(member: StaffMember, scope: { regionKey: string; department: string }): boolean {
  if (member.role === "admin") return true;
  return (
    (scope.regionKey !== "" && member.regions.includes(scope.regionKey)) ||
    member.departments.includes(scope.department)
  );
}

/** Mongo filter for the cases a member answers for (null = all). */
export function scopeFilter(member: StaffMember): Record<string, unknown> | null {
  if (member.role === "admin") return null;
  return { $or: [{ regionKey: { $in: member.regions } }, { department: { $in: member.departments } }] };
}
