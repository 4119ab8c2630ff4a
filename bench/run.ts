// npm run bench [-- --quick] [--citizens N] [--in-progress N] [--notifications N] [--chats N]
//                [--group-messages N] [--reports N] [--only commands,intake,conversations,notifications,storm,cron]
//                [--storm-reports N] [--storm-seconds N] [--no-compaction]
// Prints a table and writes bench/results.json. Backend: MONGODB_URI, else the sandbox in-memory server.
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { clearData, startBenchMongo } from "./mongo.ts";
import { benchIntake, type IntakeResult } from "./intake.ts";
import { benchConversationCost, type ConversationCostResult } from "./conversation-cost.ts";
import { benchNotifications, type NotificationResult } from "./notifications.ts";
import { benchCron, type CronResult } from "./cron.ts";
import { benchCommands, commandRows, type CommandsResult } from "./commands.ts";
import { benchStorm, type StormResult } from "./storm.ts";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

const USAGE = `usage: npm run bench -- [options]

  --quick               smoke run (~10 min, most of it the storm's real time): 50 citizens, 200 in-progress, 2,000 notifications to 400 chats, a storm of 60 reports in 90 s, 10,000 reports
  --citizens <n>        intake: citizens filing a report concurrently (default 200)
  --in-progress <n>     conversation cost: citizens stopped mid-form (default 1000)
  --notifications <n>   notification ceiling: status notifications (default 10000; ≥ 333 s at 30 msg/s)
  --chats <n>           notification ceiling: distinct private chats (default 2000)
  --group-messages <n>  notification ceiling: staff group messages (default 50)
  --reports <n>         cron at scale: reports seeded (default 100000, 20 % open)
  --storm-reports <n>   storm: reports filed into one region (default 200)
  --storm-seconds <n>   storm: over this many seconds, real time (default 300; the run lasts until every card is posted)
  --no-compaction       storm: only without the group backlog compaction (by default both run, side by side)
  --only <list>         comma list of: commands, intake, conversations, notifications, storm, cron
  -h, --help

Backend: MONGODB_URI if set, else the sandbox in-memory MongoDB in a child process.
Writes bench/results.json.
`;

const ALL = ["commands", "intake", "conversations", "notifications", "storm", "cron"] as const;
type Part = (typeof ALL)[number];

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number ≥ 0, got "${value}"`);
  return n;
}

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      citizens: { type: "string" },
      "in-progress": { type: "string" },
      notifications: { type: "string" },
      chats: { type: "string" },
      "group-messages": { type: "string" },
      reports: { type: "string" },
      "storm-reports": { type: "string" },
      "storm-seconds": { type: "string" },
      "no-compaction": { type: "boolean", default: false },
      only: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const q = values.quick;
  const only = (values.only ?? ALL.join(","))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of only)
    if (!(ALL as readonly string[]).includes(p)) throw new Error(`--only: unknown part "${p}" (${ALL.join(", ")})`);
  const o = {
    help: values.help,
    quick: q,
    only: new Set(only as Part[]),
    citizens: int("citizens", values.citizens, q ? 50 : 200),
    inProgress: int("in-progress", values["in-progress"], q ? 200 : 1000),
    notifications: int("notifications", values.notifications, q ? 2_000 : 10_000),
    chats: int("chats", values.chats, q ? 400 : 2_000),
    groupMessages: int("group-messages", values["group-messages"], 50),
    reports: int("reports", values.reports, q ? 10_000 : 100_000),
    stormReports: int("storm-reports", values["storm-reports"], q ? 60 : 200),
    stormSeconds: int("storm-seconds", values["storm-seconds"], q ? 90 : 300),
    compaction: !values["no-compaction"],
  };
  if (o.chats < 1) throw new Error("--chats must be ≥ 1");
  return o;
}

interface Results {
  date: string;
  machine: { cpu: string; cores: number; node: string; platform: string; totalMemMB: number };
  backend: string;
  options: Record<string, unknown>;
  intake?: IntakeResult;
  conversationCost?: ConversationCostResult;
  notifications?: NotificationResult;
  cron?: CronResult;
  commands?: CommandsResult;
  storm?: StormResult;
  /** The same storm without compaction, run at the same time in a child process (its own store and emulator). */
  stormWithoutCompaction?: StormResult;
  totalMs: number;
}

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined
    ? "n/a"
    : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function table(r: Results): string {
  const rows: [string, string, string][] = [];
  const add = (bench: string, figure: string, value: string) => rows.push([bench, figure, value]);
  if (r.commands) for (const [figure, value] of commandRows(r.commands)) add("commands", figure, value);
  for (const s of [r.storm, r.stormWithoutCompaction]) {
    if (!s) continue;
    const three = (x: { p50S: number; p95S: number; maxS: number }) =>
      `${fmt(x.p50S, 1)} / ${fmt(x.p95S, 1)} / ${fmt(x.maxS, 1)}`;
    const label = `${fmt(s.reports)} reports in ${fmt(s.filingSeconds)} s, compaction ${s.compaction ? "on" : "off"}`;
    add("storm", `${label}: first appearance p50 / p95 / max s (max ≤ 120)`, three(s.firstAppearance));
    add("storm", "full card p50 / p95 / max s", three(s.fullCard));
    add(
      "storm",
      "429s (target 0) / messages to the group / digests",
      `${fmt(s.received429)} / ${fmt(s.groupMessages)} / ${fmt(s.digests)}`,
    );
    add("storm", "every full card posted after s", fmt(s.allCardsS, 1));
  }
  if (r.intake) {
    const i = r.intake;
    add("intake", "citizens / reports filed / failed", `${fmt(i.citizens)} / ${fmt(i.reports)} / ${fmt(i.failed)}`);
    add("intake", "updates handled", fmt(i.updates));
    add("intake", "updates/s (target ≥ 1,000 on real MongoDB)", fmt(i.updatesPerSec, 1));
    add("intake", "reports/min", fmt(i.reportsPerMin));
    add(
      "intake",
      "latency p50 / p95 / p99 / max ms (p99 target ≤ 100)",
      `${fmt(i.latency.p50Ms, 1)} / ${fmt(i.latency.p95Ms, 1)} / ${fmt(i.latency.p99Ms, 1)} / ${fmt(i.latency.maxMs, 1)}`,
    );
    add("intake", "bare grammY updates/s (ceiling)", fmt(i.bare.updatesPerSec, 1));
    add("intake", "bare latency p50 / p99 ms", `${fmt(i.bare.latency.p50Ms, 2)} / ${fmt(i.bare.latency.p99Ms, 2)}`);
    add("intake", "ours / bare", fmt(i.ratio, 3));
  }
  if (r.conversationCost) {
    const c = r.conversationCost;
    add("conversations", "in progress (stopped at location step)", fmt(c.inProgress));
    add(
      "conversations",
      "stored state bytes mean / max (target ≤ 4 KB)",
      `${fmt(c.bytesPerReport.mean)} / ${fmt(c.bytesPerReport.max)}`,
    );
    add(
      "conversations",
      `RSS growth per 1,000 MB (target ≤ 20)${c.gc ? ", after GC" : ", NO GC"}`,
      fmt(c.rssGrowthPer1000MB, 2),
    );
    add("conversations", "heap growth per 1,000 MB", fmt(c.heapGrowthPer1000MB, 2));
  }
  if (r.notifications) {
    const n = r.notifications;
    add(
      "notifications",
      "rows (private + group) / chats",
      `${fmt(n.notifications)} + ${fmt(n.groupMessages)} / ${fmt(n.privateChats)} + ${fmt(n.groups)} groups`,
    );
    add("notifications", "sent / failed", `${fmt(n.sent)} / ${fmt(n.failed)}`);
    add("notifications", "achieved msg/s (target ≥ 27)", fmt(n.msgPerSec, 2));
    add("notifications", "429s received (target 0)", fmt(n.received429));
    add("notifications", "time to drain s", `${fmt(n.drainMs / 1000, 1)}${n.drained ? "" : " (NOT drained: capped)"}`);
  }
  if (r.cron) {
    const c = r.cron;
    add("cron", "reports / open / overdue", `${fmt(c.reports)} / ${fmt(c.open)} / ${fmt(c.overdue)}`);
    add("cron", "seed (insertMany) s", fmt(c.seedMs / 1000, 1));
    add(
      "cron",
      "reminders job ms (queued msgs / cases marked)",
      `${fmt(c.reminders.wallMs)} (${fmt(c.reminders.queued)} / ${fmt(c.reminders.updated)})`,
    );
    add("cron", "weekly-table job ms (queued msgs)", `${fmt(c.weeklyTable.wallMs)} (${fmt(c.weeklyTable.queued)})`);
    const e = c.explain;
    add(
      "cron",
      "explain(overdueFilter): returned / docs / keys examined",
      e.supported
        ? `${fmt(e.nReturned)} / ${fmt(e.totalDocsExamined)} / ${fmt(e.totalKeysExamined)}`
        : "not supported by this backend",
    );
    add("cron", "explain: plan stages", e.stages.length ? e.stages.join(" > ") : "n/a");
  }
  const w = [0, 1, 2].map((k) =>
    Math.max(...rows.map((row) => row[k]!.length), ["benchmark", "figure", "value"][k]!.length),
  );
  const line = (c: string[]) => `| ${c.map((s, k) => s.padEnd(w[k]!)).join(" | ")} |`;
  return [
    line(["benchmark", "figure", "value"]),
    `|${w.map((n) => "-".repeat(n + 2)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

async function main(): Promise<void> {
  let o: ReturnType<typeof options>;
  try {
    o = options();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (o.help) {
    process.stdout.write(USAGE);
    return;
  }
  const t0 = Date.now();
  const log = (s: string) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}\n`);
  const mongo = await startBenchMongo();
  const cpus = os.cpus();
  const results: Results = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model ?? "unknown",
      cores: cpus.length,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      totalMemMB: Math.round(os.totalmem() / 1024 / 1024),
    },
    backend: mongo.backend,
    options: {
      quick: o.quick,
      only: [...o.only],
      citizens: o.citizens,
      inProgress: o.inProgress,
      notifications: o.notifications,
      chats: o.chats,
      groupMessages: o.groupMessages,
      reports: o.reports,
    },
    totalMs: 0,
  };
  log(`backend: ${mongo.backend}; CPU ${results.machine.cpu} × ${results.machine.cores}; Node ${process.version}`);
  try {
    if (o.only.has("commands")) {
      log("commands per update: 5 reports with a photo, a Take, a field visit, 60 s idle…");
      results.commands = await benchCommands({ reports: 5, idleSeconds: 60 });
      await clearData();
    }
    if (o.only.has("intake")) {
      log(`intake: ${o.citizens} citizens…`);
      results.intake = await benchIntake(o.citizens);
      await clearData();
    }
    if (o.only.has("conversations")) {
      log(`conversation cost: ${o.inProgress} in-progress reports…`);
      results.conversationCost = await benchConversationCost(o.inProgress);
      await clearData();
    }
    if (o.only.has("notifications")) {
      log(
        `notifications: ${o.notifications} + ${o.groupMessages} group rows (≥ ${Math.ceil((o.notifications + o.groupMessages) / 30)} s at 30 msg/s)…`,
      );
      results.notifications = await benchNotifications(o.notifications, o.chats, o.groupMessages);
      await clearData();
    }
    if (o.only.has("storm")) {
      log(
        `storm: ${o.stormReports} reports into one group in ${o.stormSeconds} s (compaction ${o.compaction ? "on" : "off"}), real time…`,
      );
      // Both runs take the storm's real time (half an hour at 200 reports): the comparison without
      // compaction runs alongside, in a child process with its own store and emulator.
      const [main, without] = await Promise.all([
        benchStorm({ reports: o.stormReports, filingSeconds: o.stormSeconds, compaction: o.compaction }),
        o.compaction ? stormInChild(o.stormReports, o.stormSeconds) : Promise.resolve(undefined),
      ]);
      results.storm = main;
      if (without) results.stormWithoutCompaction = without;
      await clearData();
    }
    if (o.only.has("cron")) {
      log(`cron: seeding ${o.reports} reports…`);
      results.cron = await benchCron(o.reports);
      await clearData();
    }
  } finally {
    await mongo.stop();
  }
  results.totalMs = Date.now() - t0;
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), "results.json");
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(
    [
      "",
      `Citizen 137 bench — ${results.date}`,
      `${results.machine.cpu} × ${results.machine.cores} cores, Node ${results.machine.node}, ` +
        `MongoDB: ${results.backend}${o.quick ? " (--quick)" : ""}`,
      "",
      table(results),
      "",
      `written: ${path.relative(process.cwd(), out)} (total ${(results.totalMs / 1000).toFixed(1)} s)`,
      "",
    ].join("\n"),
  );
}

/** bench/storm.ts --no-compaction in a child process; its last output line is the result as JSON. */
async function stormInChild(reports: number, seconds: number): Promise<StormResult> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "storm.ts");
  const { stdout } = await execFileAsync(
    process.execPath,
    ["--import", "tsx", script, "--reports", String(reports), "--seconds", String(seconds), "--no-compaction"],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as StormResult;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
