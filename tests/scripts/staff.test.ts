import { describe, expect, it } from "vitest";
import { Staff, upsertStaff } from "../../models/people/staff.ts";
import { Report } from "../../models/report/report.ts";
import { rejectCase, takeCase } from "../../models/report/case-actions.ts";
import { formatCode } from "../../models/report/tracking-code.ts";
import { seedReport } from "../support/seed-reports.ts";
import { useTestDb } from "../support/test-db.ts";
import { runScript, uriFor } from "./run-script.ts";

const { uri, dbName } = useTestDb({ cleanEach: true });
const staff = (args: string[], env: Record<string, string> = {}) =>
  runScript("staff", args, { MONGODB_URI: uriFor(uri, dbName), ...env });

/** The staff collection without ids and timestamps. */
async function rows() {
  return Staff.find({}, { _id: 0, __v: 0, createdAt: 0, updatedAt: 0 }).sort({ platform: 1, userId: 1 }).lean();
}

describe("npm run staff (scripts/staff.ts as a child process)", { timeout: 180_000 }, () => {
  it("--help prints the usage; bad arguments are one line and exit 1 before touching the database", async () => {
    const help = await staff(["--help"]);
    expect(help.code).toBe(0);
    expect(help.output.split("\n")[0]).toBe("Usage: npm run staff -- <command> [options]");
    expect(help.output).toContain("scope --platform P --user ID");

    // MONGODB_URI unset: these must fail on the arguments, not on the connection.
    const noDb = { MONGODB_URI: "" };
    expect(await staff([], noDb)).toEqual({
      code: 1,
      output: "command missing; commands: list, add, remove, role, scope (see --help)\n",
    });
    expect(await staff(["fire"], noDb)).toEqual({
      code: 1,
      output: `unknown command "fire"; commands: list, add, remove, role, scope\n`,
    });
    expect(await staff(["add", "--platform", "whatsapp", "--user", "5", "--role", "admin"], noDb)).toEqual({
      code: 1,
      output: `--platform "whatsapp" is not one of telegram, bale\n`,
    });
    expect(await staff(["add", "--platform", "bale", "--user", "abc", "--role", "admin"], noDb)).toEqual({
      code: 1,
      output: `--user "abc" is not a numeric user id\n`,
    });
    expect(await staff(["add", "--platform", "bale", "--user", "5", "--role", "boss"], noDb)).toEqual({
      code: 1,
      output: `--role "boss" is not one of official, manager, admin\n`,
    });
    expect(await staff(["role", "--platform", "bale", "--user", "5"], noDb)).toEqual({
      code: 1,
      output: "--role is required (official, manager, admin)\n",
    });
    expect(await staff(["scope", "--platform", "bale", "--user", "5"], noDb)).toEqual({
      code: 1,
      output: "scope needs --regions and/or --departments (see --help)\n",
    });
    expect(await staff(["list", "--role", "admin"], noDb)).toEqual({
      code: 1,
      output: "--role does not apply to list (see --help)\n",
    });
    expect(await staff(["list"], noDb)).toEqual({
      code: 1,
      output:
        "MONGODB_URI is not set: point it at the bot's MongoDB (in .env or the environment; the sandbox prints its URI)\n",
    });
  });

  it("add, role, scope and list: real changes, readable table and JSON; unknown region/department keys refused", async () => {
    const add = await staff([
      "add",
      "--platform",
      "telegram",
      "--user",
      "9001",
      "--role",
      "official",
      "--regions",
      "r1, r2",
      "--departments",
      "roads",
      "--name",
      "Mr. Karimi",
    ]);
    expect(add).toEqual({
      code: 0,
      output: `saved telegram:9001 "Mr. Karimi" official, regions [r1, r2], departments [roads]\n`,
    });
    expect((await staff(["add", "--platform", "bale", "--user", "42", "--role", "manager"])).code).toBe(0);

    const unknown = await staff([
      "add",
      "--platform",
      "telegram",
      "--user",
      "9002",
      "--role",
      "official",
      "--regions",
      "r1,r9",
      "--departments",
      "roads,wter",
    ]);
    expect(unknown).toEqual({
      code: 1,
      output:
        "unknown region r9; unknown department wter; nothing changed (keys must name active regions/departments)\n",
    });
    const badScope = await staff(["scope", "--platform", "telegram", "--user", "9001", "--regions", "r7"]);
    expect(badScope).toEqual({
      code: 1,
      output: "unknown region r7; nothing changed (keys must name active regions/departments)\n",
    });

    expect(await staff(["role", "--platform", "telegram", "--user", "9001", "--role", "manager"])).toEqual({
      code: 0,
      output: `saved telegram:9001 "Mr. Karimi" manager, regions [r1, r2], departments [roads]\n`,
    });
    expect(
      await staff(["scope", "--platform", "telegram", "--user", "9001", "--departments", "water,lighting"]),
    ).toEqual({
      code: 0,
      output: `saved telegram:9001 "Mr. Karimi" manager, regions [r1, r2], departments [water, lighting]\n`,
    });
    expect(await staff(["role", "--platform", "telegram", "--user", "777", "--role", "admin"])).toEqual({
      code: 1,
      output: "telegram:777 is not active staff; use add\n",
    });

    expect(await rows()).toEqual([
      { platform: "bale", userId: 42, name: "", role: "manager", regions: [], departments: [], active: true },
      {
        platform: "telegram",
        userId: 9001,
        name: "Mr. Karimi",
        role: "manager",
        regions: ["r1", "r2"],
        departments: ["water", "lighting"],
        active: true,
      },
    ]);

    const table = await staff(["list"]);
    expect(table).toEqual({
      code: 0,
      output: [
        "platform:user  name        role     regions  departments     active",
        "bale:42        -           manager  -        -               yes",
        "telegram:9001  Mr. Karimi  manager  r1,r2    water,lighting  yes",
        "",
      ].join("\n"),
    });
    const json = await staff(["list", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.output)).toEqual([
      { platform: "bale", userId: 42, name: "", role: "manager", regions: [], departments: [], active: true },
      {
        platform: "telegram",
        userId: 9001,
        name: "Mr. Karimi",
        role: "manager",
        regions: ["r1", "r2"],
        departments: ["water", "lighting"],
        active: true,
      },
    ]);
  });

  it('--yes, listed in the help as "do not ask for confirmation", is accepted by every command: add, role, scope and list (where nothing asks) as well as remove', async () => {
    const help = await staff(["--help"]);
    expect(help.output).toMatch(/--yes +do not ask for confirmation/);
    expect(
      await staff([
        "add",
        "--platform",
        "telegram",
        "--user",
        "9101",
        "--role",
        "official",
        "--name",
        "Rahimi",
        "--yes",
      ]),
    ).toEqual({ code: 0, output: `saved telegram:9101 "Rahimi" official, regions [], departments []\n` });
    expect(await staff(["role", "--platform", "telegram", "--user", "9101", "--role", "manager", "--yes"])).toEqual({
      code: 0,
      output: `saved telegram:9101 "Rahimi" manager, regions [], departments []\n`,
    });
    expect(await staff(["scope", "--platform", "telegram", "--user", "9101", "--regions", "r1", "--yes"])).toEqual({
      code: 0,
      output: `saved telegram:9101 "Rahimi" manager, regions [r1], departments []\n`,
    });
    const list = await staff(["list", "--json", "--yes"]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.output)).toMatchObject([
      { platform: "telegram", userId: 9101, role: "manager", regions: ["r1"] },
    ]);
  });

  it("remove puts the member's open cases back in the queue (assignee cleared, an internal history line); closed ones stay as they were", async () => {
    const karimi = await upsertStaff({
      platform: "telegram",
      userId: 9002,
      name: "Mr. Karimi",
      role: "official",
      regions: ["r1"],
      departments: [],
    });
    const open = await seedReport({ createdAt: new Date("2026-11-20T08:00:00Z"), regionKey: "r1", status: "new" });
    const other = await seedReport({ createdAt: new Date("2026-11-20T09:00:00Z"), regionKey: "r1", status: "new" });
    await takeCase(open._id, karimi, new Date("2026-11-20T10:00:00Z"));
    await takeCase(other._id, karimi, new Date("2026-11-20T10:00:00Z"));
    await rejectCase(other._id, karimi, "not ours", new Date("2026-11-20T11:00:00Z"));
    const run = await staff(["remove", "--platform", "telegram", "--user", "9002", "--yes"]);
    expect(run).toEqual({
      code: 0,
      output: `deactivated telegram:9002; 1 open case(s) back in the queue: ${formatCode(open.code)}\n`,
    });
    const released = (await Report.findById(open._id).lean())!;
    expect(released.assignee).toBeNull();
    expect(released.status).toBe("assigned");
    expect(released.history.at(-1)).toMatchObject({
      kind: "unassign",
      note: "Mr. Karimi",
      public: false,
      by: { kind: "system", name: "npm run staff" },
    });
    expect((await Report.findById(other._id).lean())!.assignee).toMatchObject({ userId: 9002 });
  });

  it("--dry-run changes nothing; remove asks (refuses without a terminal), --yes deactivates; list --all shows them", async () => {
    await upsertStaff({
      platform: "telegram",
      userId: 9001,
      name: "Mr. Karimi",
      role: "official",
      regions: ["r1"],
      departments: [],
    });
    const before = await rows();

    expect(await staff(["remove", "--platform", "telegram", "--user", "9001", "--dry-run"])).toEqual({
      code: 0,
      output: `dry run: would deactivate telegram:9001 "Mr. Karimi" official, regions [r1], departments []; nothing changed\n`,
    });
    expect(await staff(["role", "--platform", "telegram", "--user", "9001", "--role", "admin", "--dry-run"])).toEqual({
      code: 0,
      output: `dry run: would change telegram:9001 "Mr. Karimi" official, regions [r1], departments [] to telegram:9001 "Mr. Karimi" admin, regions [r1], departments []; nothing changed\n`,
    });
    expect(
      await staff(["add", "--platform", "bale", "--user", "5", "--role", "official", "--regions", "r3", "--dry-run"]),
    ).toEqual({
      code: 0,
      output: "dry run: would add bale:5 official, regions [r3], departments []; nothing changed\n",
    });
    expect(await staff(["remove", "--platform", "telegram", "--user", "9001"])).toEqual({
      code: 1,
      output: `Deactivate telegram:9001 "Mr. Karimi" official, regions [r1], departments []? — refusing without a terminal; pass --yes to confirm\nnothing changed\n`,
    });
    expect(await rows()).toEqual(before);

    expect(await staff(["remove", "--platform", "telegram", "--user", "9001", "--yes"])).toEqual({
      code: 0,
      output: "deactivated telegram:9001\n",
    });
    expect(await rows()).toEqual([{ ...before[0], active: false }]);
    expect(await staff(["remove", "--platform", "telegram", "--user", "9001", "--yes"])).toEqual({
      code: 1,
      output: "telegram:9001 is not active staff; nothing to remove\n",
    });

    expect(await staff(["list"])).toEqual({ code: 0, output: "no staff\n" });
    const all = await staff(["list", "--all", "--json"]);
    expect(JSON.parse(all.output)).toEqual([
      {
        platform: "telegram",
        userId: 9001,
        name: "Mr. Karimi",
        role: "official",
        regions: ["r1"],
        departments: [],
        active: false,
      },
    ]);
  });
});
