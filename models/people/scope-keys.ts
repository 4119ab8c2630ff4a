import { Department, Region } from "../geography/region.ts";

export interface ScopeKeys {
  regions?: string[];
  departments?: string[];
}

/**
 * The region and department keys that name no active region/department. A typo in a staff
 * member's scope would silently hide every case from them, so it is refused up front.
 */
export async function unknownScopeKeys(scope: ScopeKeys): Promise<{ regions: string[]; departments: string[] }> {
  const [regions, departments] = await Promise.all([
    missing(scope.regions ?? [], (keys) => Region.distinct("key", { key: { $in: keys }, active: true })),
    missing(scope.departments ?? [], (keys) => Department.distinct("key", { key: { $in: keys }, active: true })),
  ]);
  return { regions, departments };
}

async function missing(keys: string[], existing: (keys: string[]) => Promise<string[]>): Promise<string[]> {
  if (keys.length === 0) return [];
  const found = new Set(await existing(keys));
  return keys.filter((k) => !found.has(k));
}
