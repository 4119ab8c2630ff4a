import { describe, expect, it } from "vitest";
import { ApiKey, findApiClient, hashKey } from "../../models/open311/api-keys.ts";
import { useTestDb } from "../support/test-db.ts";
import { runScript, uriFor } from "./run-script.ts";

const { uri, dbName } = useTestDb({ cleanEach: true });
const apikeys = (args: string[], env: Record<string, string> = {}) =>
  runScript("apikeys", args, { MONGODB_URI: uriFor(uri, dbName), ...env });

describe("npm run apikeys (scripts/apikeys.ts as a child process)", { timeout: 180_000 }, () => {
  it("--help prints the usage; bad arguments are one line and exit 1 before touching the database", async () => {
    const help = await apikeys(["--help"]);
    expect(help.code).toBe(0);
    expect(help.output.split("\n")[0]).toBe("Usage: npm run apikeys -- <command> [options]");
    const noDb = { MONGODB_URI: "" };
    expect(await apikeys([], noDb)).toEqual({
      code: 1,
      output: "command missing; commands: add, list, revoke (see --help)\n",
    });
    expect(await apikeys(["grant"], noDb)).toEqual({
      code: 1,
      output: `unknown command "grant"; commands: add, list, revoke\n`,
    });
    expect(await apikeys(["add"], noDb)).toEqual({ code: 1, output: "add needs the client's name (see --help)\n" });
    expect(await apikeys(["add", "city app"], noDb)).toEqual({
      code: 1,
      output: `client "city app": must be 1–40 Latin letters, digits, . _ - (starting with a letter or digit)\n`,
    });
    expect(await apikeys(["add", "chat"], noDb)).toEqual({
      code: 1,
      output: `client "chat": "chat" is the bot's own source name\n`,
    });
    expect(await apikeys(["add", "app", "--rate", "fast"], noDb)).toEqual({
      code: 1,
      output: `--rate "fast" is not N/min with N at least 1 (e.g. 30/min)\n`,
    });
    expect(await apikeys(["list", "--rate", "5"], noDb)).toEqual({
      code: 1,
      output: "--rate does not apply to list (see --help)\n",
    });
    expect(await apikeys(["list", "extra"], noDb)).toEqual({
      code: 1,
      output: `unexpected argument "extra" (see --help)\n`,
    });
  });

  it("add shows the key once and stores only its hash; list; revoke stops it at once", async () => {
    const add = await apikeys(["add", "city-app", "--rate", "30/min"]);
    expect(add.code).toBe(0);
    const lines = add.output.trimEnd().split("\n");
    expect(lines[0]).toBe("API key for city-app (30 requests a minute):");
    const key = lines[1]!;
    expect(key).toMatch(/^o311_[\w-]{32}$/);
    expect(lines[2]).toBe("It is shown this once and stored only as a hash: keep it now.");
    const stored = await ApiKey.findOne({ client: "city-app" }).lean();
    expect(stored).toMatchObject({ keyHash: hashKey(key), ratePerMin: 30, active: true });
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(await findApiClient(key)).toEqual({ client: "city-app", ratePerMin: 30 });

    expect(await apikeys(["add", "city-app"])).toEqual({
      code: 1,
      output: "client city-app already has an active key (revoke it first); nothing changed\n",
    });
    expect((await apikeys(["add", "call-centre"])).code).toBe(0);

    const table = await apikeys(["list"]);
    expect(table.code).toBe(0);
    const rows = table.output.trimEnd().split("\n");
    expect(rows[0]).toMatch(/^client\s+rate\/min\s+active\s+made \(UTC\)\s+revoked \(UTC\)$/);
    expect(rows.slice(1).map((r) => r.split(/\s{2,}/).slice(0, 3))).toEqual([
      ["call-centre", "60 (default)", "yes"],
      ["city-app", "30", "yes"],
    ]);
    expect(table.output).not.toContain(key);

    // Without a terminal and without --yes, nothing is revoked.
    expect(await apikeys(["revoke", "city-app"])).toEqual({
      code: 1,
      output: "Revoke the API key of city-app? — refusing without a terminal; pass --yes to confirm\nnothing changed\n",
    });
    expect(await findApiClient(key)).not.toBeNull();
    expect(await apikeys(["revoke", "city-app", "--yes"])).toEqual({
      code: 0,
      output: "revoked the API key of city-app: its requests are refused from now on\n",
    });
    expect(await findApiClient(key)).toBeNull();
    expect(await apikeys(["revoke", "city-app", "--yes"])).toEqual({
      code: 1,
      output: "city-app has no active key; nothing changed\n",
    });

    const listed = JSON.parse((await apikeys(["list", "--json"])).output) as { client: string; active: boolean }[];
    expect(listed.map((r) => [r.client, r.active])).toEqual([
      ["call-centre", true],
      ["city-app", false],
    ]);

    // A revoked client may be given a new key; the old one stays dead.
    const again = await apikeys(["add", "city-app"]);
    const fresh = again.output.split("\n")[1]!;
    expect(fresh).not.toBe(key);
    expect(await findApiClient(fresh)).toEqual({ client: "city-app", ratePerMin: null });
    expect(await findApiClient(key)).toBeNull();
  });
});
