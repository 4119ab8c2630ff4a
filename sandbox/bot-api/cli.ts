// Runs the Bot API emulator on its own (for curl, scripted demos, or a bot started by hand with
// TELEGRAM_API_ROOT / BALE_API_ROOT pointing at it). Prints the URL, runs until Ctrl-C.
//   npx tsx sandbox/bot-api/cli.ts [--port 8081] [--host 127.0.0.1] [--bot telegram=111111:SANDBOX-telegram[,username]]... [--enforce-limits]
import { parseArgs } from "node:util";
import type { BotConfig } from "./server.ts";
import { startBotApiEmulator } from "./server.ts";

const DEFAULT_BOTS = ["telegram=111111:SANDBOX-telegram", "bale=222222:SANDBOX-bale"];

/** "platform=token[,username]"; the id is the token's numeric prefix, as in real bot tokens. */
function parseBot(spec: string): BotConfig {
  const m = /^([a-z0-9_-]+)=((\d+):[^,]+)(?:,(\w+))?$/i.exec(spec);
  if (!m) throw new Error(`--bot ${spec}: expected platform=<id>:<secret>[,username]`);
  const [, platform = "", token = "", id = "", username] = m;
  return {
    platform,
    token,
    id: Number(id),
    username: username ?? `citizen137_${platform}_bot`,
    firstName: "Citizen 137",
  };
}

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8081" },
    bot: { type: "string", multiple: true },
    "enforce-limits": { type: "boolean", default: false },
  },
});

const bots = (values.bot ?? DEFAULT_BOTS).map(parseBot);
const emulator = await startBotApiEmulator({
  host: values.host,
  port: Number(values.port),
  bots,
  enforceLimits: values["enforce-limits"],
});
console.log(`Bot API emulator on ${emulator.url}`);
for (const b of bots) console.log(`  ${b.platform}: token ${b.token} (apiRoot ${emulator.url})`);

const stop = () => void emulator.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
