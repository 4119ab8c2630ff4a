// Container health probe: `node dist/bot/healthcheck.js [/healthz|/readyz]` exits 0 when the bot's
// HTTP server answers 2xx on HTTP_PORT, else 1. Slim images have no curl, so the Dockerfile and
// docker-compose.yml both run this one script instead of each carrying an inline fetch.
import "dotenv/config";
import { configSchema } from "../core/config.ts";

const path = process.argv[2] ?? "/healthz";
// Same parsing and default as the bot's config (an empty value counts as unset there too).
const port = configSchema.shape.HTTP_PORT.parse(process.env.HTTP_PORT?.trim() || undefined);

try {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4_000) });
  if (!res.ok) console.error(`GET ${path}: HTTP ${res.status}`);
  process.exit(res.ok ? 0 : 1);
} catch (err) {
  // fetch() hides the useful part (ECONNREFUSED, timeout) in `cause`.
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
  console.error(`GET ${path} on port ${port}: ${err instanceof Error ? err.message : String(err)}${cause}`);
  process.exit(1);
}
