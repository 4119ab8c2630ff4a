import {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  clientNameProblem,
  type ApiKeyRecord,
} from "../models/open311/api-keys.ts";
import { ApiKey } from "../models/open311/api-keys.ts";
import { confirm, fail, parseCli, runScript, scriptConfig, textTable } from "./lib/cli.ts";

const USAGE = `Usage: npm run apikeys -- <command> [options]

Manages the Open311 API keys (README "Open311"): who may file reports at /open311/v2/requests.

Commands:
  add <client> [--rate N/min]
      makes a key for a client (its name becomes the source of the reports it files) and prints it
      once: only its SHA-256 is stored. --rate: requests a minute (default OPEN311_RATE_PER_MIN)
  list [--json]
      every client: rate, active, made, revoked
  revoke <client> [--yes]
      the key stops working at once (asks first unless --yes)

Options:
  --yes        do not ask for confirmation
  -h, --help   this text

Environment: MONGODB_URI (required).`;

const OPTIONS = {
  rate: { type: "string" },
  json: { type: "boolean" },
  yes: { type: "boolean" },
} as const;
type Values = { rate?: string; json?: boolean; yes?: boolean };

const ALLOWED: Record<string, { client: boolean; options: (keyof Values)[] }> = {
  add: { client: true, options: ["rate", "yes"] },
  list: { client: false, options: ["json", "yes"] },
  revoke: { client: true, options: ["yes"] },
};

interface Request {
  command: string;
  client: string;
  rate: number | null;
  v: Values;
}

/** Everything checkable without the database, checked before connecting. */
function parse(): Request {
  const { values, positionals } = parseCli(USAGE, OPTIONS, { positionals: true });
  const [command, client, ...extra] = positionals;
  const commands = Object.keys(ALLOWED).join(", ");
  if (!command) fail(`command missing; commands: ${commands} (see --help)`);
  const spec = ALLOWED[command];
  if (!spec) fail(`unknown command "${command}"; commands: ${commands}`);
  const v = values as Values;
  const wrong = Object.keys(v).find((k) => !spec.options.includes(k as keyof Values));
  if (wrong) fail(`--${wrong} does not apply to ${command} (see --help)`);
  if (spec.client && client === undefined) fail(`${command} needs the client's name (see --help)`);
  const unexpected = spec.client ? extra[0] : client;
  if (unexpected !== undefined) fail(`unexpected argument "${unexpected}" (see --help)`);
  const problem = client !== undefined ? clientNameProblem(client) : null;
  if (problem) fail(`client "${client}": ${problem}`);
  return { command, client: client ?? "", rate: v.rate === undefined ? null : rate(v.rate), v };
}

/** "30/min" or "30": requests a minute. */
function rate(raw: string): number {
  const m = /^(\d{1,6})(\/min)?$/.exec(raw.trim());
  const n = m ? Number(m[1]) : 0;
  if (n < 1) fail(`--rate "${raw}" is not N/min with N at least 1 (e.g. 30/min)`);
  return n;
}

function table(rows: ApiKeyRecord[], defaultRate: number): string {
  const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "-");
  const head = ["client", "rate/min", "active", "made (UTC)", "revoked (UTC)"];
  const cells = rows.map((r) => [
    r.client,
    r.ratePerMin === null ? `${defaultRate} (default)` : String(r.ratePerMin),
    r.active ? "yes" : "no",
    day(r.createdAt),
    day(r.revokedAt),
  ]);
  return textTable(head, cells);
}

async function run(r: Request, defaultRate: number): Promise<number> {
  // Unique client names and key hashes: a database made before this script ran has no index yet.
  await ApiKey.createIndexes();
  if (r.command === "list") {
    const rows = await listApiKeys();
    console.log(r.v.json ? JSON.stringify(rows, null, 2) : rows.length > 0 ? table(rows, defaultRate) : "no API keys");
    return 0;
  }
  if (r.command === "add") {
    const made = await createApiKey(r.client, r.rate);
    if ("problem" in made) {
      console.error(`${made.problem}; nothing changed`);
      return 1;
    }
    console.log(`API key for ${r.client} (${r.rate ?? `${defaultRate} (default)`} requests a minute):`);
    console.log(made.key);
    console.log("It is shown this once and stored only as a hash: keep it now.");
    return 0;
  }
  if (!(await confirm(`Revoke the API key of ${r.client}?`, r.v.yes ?? false))) {
    console.error("nothing changed");
    return 1;
  }
  if (!(await revokeApiKey(r.client, new Date()))) {
    console.error(`${r.client} has no active key; nothing changed`);
    return 1;
  }
  console.log(`revoked the API key of ${r.client}: its requests are refused from now on`);
  return 0;
}

async function main(): Promise<void> {
  const request = parse();
  const cfg = scriptConfig();
  await runScript(cfg, () => run(request, cfg.OPEN311_RATE_PER_MIN));
}

main().catch((err: unknown) => fail(`apikeys failed: ${err instanceof Error ? err.message : String(err)}`));
