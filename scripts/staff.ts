import { releaseCasesOf } from "../models/report/release-cases.ts";
import { formatCode } from "../models/report/tracking-code.ts";
import {
  deactivateStaff,
  findActiveStaff,
  upsertStaff,
  ROLES,
  type Role,
  type StaffMember,
} from "../models/people/staff.ts";
import {
  changeStaff,
  listStaffRecords,
  scopeProblem,
  type StaffPatch,
  type StaffRecord,
} from "../models/people/staff-admin.ts";
import { PLATFORMS, type Platform } from "../models/common/platform.ts";
import { confirm, fail, parseCli, runScript, scriptConfig, textTable } from "./lib/cli.ts";

const USAGE = `Usage: npm run staff -- <command> [options]

Manages who may act on cases from the staff chats.

Commands:
  list [--all] [--json]
      active staff as a table (--all: the deactivated too; --json: one JSON array)
  add --platform telegram|bale --user ID --role official|manager|admin
      [--regions r1,r2] [--departments roads,water] [--name "…"]
      adds a member, or updates and re-activates an existing one
  remove --platform P --user ID [--dry-run] [--yes]
      deactivates a member (asks first unless --yes)
  role --platform P --user ID --role ROLE [--dry-run]
  scope --platform P --user ID [--regions …] [--departments …] [--dry-run]
      replaces the regions and/or departments ("" clears them)

Region and department keys must exist (npm run seed); unknown ones are refused.

Options:
  --dry-run    print what would change; change nothing
  --yes        do not ask for confirmation (any command; only remove asks)
  -h, --help   this text

Environment: MONGODB_URI (required).`;

const OPTIONS = {
  platform: { type: "string" },
  user: { type: "string" },
  role: { type: "string" },
  regions: { type: "string" },
  departments: { type: "string" },
  name: { type: "string" },
  all: { type: "boolean" },
  json: { type: "boolean" },
  "dry-run": { type: "boolean" },
  yes: { type: "boolean" },
} as const;
type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "string" ? string : boolean };

/**
 * Which options each command takes; any other is a mistake worth one clear line. --yes is listed
 * for every command in the help, so every command takes it (only remove asks anything).
 */
const ALLOWED: Record<string, (keyof Values)[]> = {
  list: ["all", "json", "yes"],
  add: ["platform", "user", "role", "regions", "departments", "name", "dry-run", "yes"],
  remove: ["platform", "user", "dry-run", "yes"],
  role: ["platform", "user", "role", "dry-run", "yes"],
  scope: ["platform", "user", "regions", "departments", "dry-run", "yes"],
};

function parse(): { command: string; v: Values } {
  const { values, positionals } = parseCli(USAGE, OPTIONS, { positionals: true });
  const [command, ...extra] = positionals;
  if (!command) fail(`command missing; commands: ${Object.keys(ALLOWED).join(", ")} (see --help)`);
  const allowed = ALLOWED[command];
  if (!allowed) fail(`unknown command "${command}"; commands: ${Object.keys(ALLOWED).join(", ")}`);
  if (extra.length > 0) fail(`unexpected argument "${extra[0]}" (see --help)`);
  const wrong = Object.keys(values).find((k) => !allowed.includes(k as keyof Values));
  if (wrong) fail(`--${wrong} does not apply to ${command} (see --help)`);
  return { command, v: values as Values };
}

function who(v: Values): { platform: Platform; userId: number } {
  if (v.platform === undefined) fail("--platform is required (telegram or bale)");
  if (!(PLATFORMS as readonly string[]).includes(v.platform))
    fail(`--platform "${v.platform}" is not one of ${PLATFORMS.join(", ")}`);
  if (v.user === undefined) fail("--user is required (the numeric user id)");
  if (!/^\d+$/.test(v.user) || !Number.isSafeInteger(Number(v.user)) || Number(v.user) === 0)
    fail(`--user "${v.user}" is not a numeric user id`);
  return { platform: v.platform as Platform, userId: Number(v.user) };
}

function role(v: Values): Role {
  if (v.role === undefined) fail(`--role is required (${ROLES.join(", ")})`);
  if (!(ROLES as readonly string[]).includes(v.role)) fail(`--role "${v.role}" is not one of ${ROLES.join(", ")}`);
  return v.role as Role;
}

/** "r1, r2" → ["r1", "r2"]; "" → [] (clears); absent → undefined (unchanged). */
function list(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  return [
    ...new Set(
      raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

const label = (m: { platform: string; userId: number }) => `${m.platform}:${m.userId}`;
const describe = (m: StaffMember) =>
  `${label(m)} ${m.name ? `"${m.name}" ` : ""}${m.role}, regions [${m.regions.join(", ")}], departments [${m.departments.join(", ")}]`;

function table(rows: StaffRecord[]): string {
  const head = ["platform:user", "name", "role", "regions", "departments", "active"];
  const cells = rows.map((m) => [
    label(m),
    m.name || "-",
    m.role,
    m.regions.join(",") || "-",
    m.departments.join(",") || "-",
    m.active ? "yes" : "no",
  ]);
  return textTable(head, cells);
}

/** Everything checkable without the database, checked before connecting. */
interface Request {
  command: string;
  v: Values;
  id: { platform: Platform; userId: number };
  patch: StaffPatch;
}

function validate(command: string, v: Values): Request | null {
  if (command === "list") return null;
  const id = who(v);
  const scope = definedOnly({ regions: list(v.regions), departments: list(v.departments) });
  if (command === "scope" && Object.keys(scope).length === 0)
    fail("scope needs --regions and/or --departments (see --help)");
  const patch: StaffPatch =
    command === "role" ? { role: role(v) } : command === "add" ? { role: role(v), ...scope } : scope;
  return { command, v, id, patch };
}

async function listCommand(v: Values): Promise<number> {
  const rows = await listStaffRecords(v.all ?? false);
  return done(v.json ? JSON.stringify(rows, null, 2) : rows.length > 0 ? table(rows) : "no staff");
}

async function change({ command, v, id, patch }: Request): Promise<number> {
  const dry = v["dry-run"] ?? false;
  const current = await findActiveStaff(id.platform, id.userId);
  if (command === "remove") {
    if (!current) return problem(`${label(id)} is not active staff; nothing to remove`);
    if (dry) return done(`dry run: would deactivate ${describe(current)}; nothing changed`);
    if (!(await confirm(`Deactivate ${describe(current)}?`, v.yes ?? false))) return problem("nothing changed");
    await deactivateStaff(id.platform, id.userId);
    const released = await releaseCasesOf(current, { kind: "system", name: "npm run staff" }, new Date());
    // No bot here to redraw the cards: each shows "nobody's" from its next change on.
    return done(
      `deactivated ${label(id)}` +
        (released.length > 0
          ? `; ${released.length} open case(s) back in the queue: ${released.map((r) => formatCode(r.code)).join(", ")}`
          : ""),
    );
  }
  const bad = await scopeProblem(patch);
  if (bad) return problem(`${bad}; nothing changed (keys must name active regions/departments)`);
  if (command === "add") {
    const input = { ...id, ...patch, role: role(v), ...(v.name !== undefined ? { name: v.name } : {}) };
    const before = current ?? { name: "", regions: [], departments: [] };
    if (dry)
      return done(`dry run: would ${current ? "update" : "add"} ${describe({ ...before, ...input })}; nothing changed`);
    return done(`saved ${describe(await upsertStaff(input))}`);
  }
  if (!current) return problem(`${label(id)} is not active staff; use add`);
  if (dry)
    return done(`dry run: would change ${describe(current)} to ${describe({ ...current, ...patch })}; nothing changed`);
  const updated = await changeStaff(id.platform, id.userId, patch);
  return updated ? done(`saved ${describe(updated)}`) : problem(`${label(id)} is not active staff; use add`);
}

function definedOnly<T extends object>(p: T): Partial<T> {
  return Object.fromEntries(Object.entries(p).filter(([, x]) => x !== undefined)) as Partial<T>;
}

function done(line: string): number {
  console.log(line);
  return 0;
}

function problem(line: string): number {
  console.error(line);
  return 1;
}

async function main(): Promise<void> {
  const { command, v } = parse();
  // Argument mistakes surface before connecting, so they never wait on the database.
  const request = validate(command, v);
  const cfg = scriptConfig();
  await runScript(cfg, () => (request ? change(request) : listCommand(v)));
}

main().catch((err: unknown) => fail(`staff failed: ${err instanceof Error ? err.message : String(err)}`));
