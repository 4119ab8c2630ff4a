import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// No YAML parser is installed (and none is worth adding for this): these check the text for what
// operators rely on, and docker-compose itself validates the file when it is installed (CI installs it).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const compose = read("docker-compose.yml");
const dockerfile = read("Dockerfile");
const hasComposeV1 = spawnSync("docker-compose", ["version"]).status === 0;

describe("Dockerfile", () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? "";

  it("builds on node:20-bookworm-slim and ships only production dependencies and dist/", () => {
    expect(stages.map((s) => s.split("\n")[0])).toEqual([
      "node:20-bookworm-slim AS build",
      "node:20-bookworm-slim AS runtime",
    ]);
    expect(stages[0]).toMatch(/^RUN npm run build$/m);
    expect(runtime).toMatch(/^RUN npm ci --omit=dev /m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(runtime).toMatch(/^ENV NODE_ENV=production/m);
  });

  it("runs as a non-root user, exposes 8137 and probes /healthz", () => {
    expect(runtime.match(/^USER (\S+)$/gm)).toEqual(["USER node"]);
    expect(runtime).toMatch(/^EXPOSE 8137$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "dist\/bot\/healthcheck\.js", "\/healthz"\]$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/bot\/main\.js"\]$/m);
  });

  it("keeps secrets and local state out of the build context", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const entry of [".env", "node_modules", "dist", ".git"]) expect(ignored).toContain(entry);
  });
});

describe("docker-compose.yml", () => {
  it("runs MongoDB as a single-node replica set on a named volume, healthy once PRIMARY", () => {
    expect(compose).toContain("image: mongo:7");
    expect(compose).toContain('command: ["--replSet", "rs0", "--bind_ip_all"]');
    expect(compose).toMatch(/^ {6}- mongo-data:\/data\/db$/m);
    expect(compose).toMatch(/^volumes:\n {2}mongo-data:$/m);
    expect(compose).toContain('rs.initiate({ _id: "rs0", members: [{ _id: 0, host: "mongo:27017" }] })');
    expect(compose).toContain("db.hello().isWritablePrimary");
  });

  it("starts the bot on that replica set once MongoDB is healthy, with its own /healthz check", () => {
    const bot = compose.slice(compose.indexOf("\n  bot:\n"), compose.indexOf("\nvolumes:"));
    expect(bot).toContain("build: .");
    expect(bot).toContain("MONGODB_URI: mongodb://mongo:27017/citizen137?replicaSet=rs0");
    expect(bot).toMatch(/depends_on:\n {6}mongo:\n {8}condition: service_healthy/);
    expect(bot).toContain('test: ["CMD", "node", "dist/bot/healthcheck.js", "/healthz"]');
    expect(bot).toContain('- "8137:8137"');
    expect(bot).toContain("restart: unless-stopped");
  });

  it("names only compiled files that the build produces", () => {
    for (const [, file] of `${compose}\n${dockerfile}`.matchAll(/dist\/([\w/-]+)\.js/g))
      expect(existsSync(path.join(root, `${file}.ts`)), `${file}.ts`).toBe(true);
  });

  it(
    hasComposeV1
      ? "passes docker-compose config"
      : "passes docker-compose config (skipped: docker-compose is not installed here; .ci/run installs it)",
    ({ skip }) => {
      if (!hasComposeV1) skip();
      // env_file .env must exist and a checkout has none (it holds secrets): an empty one elsewhere.
      const dir = mkdtempSync(path.join(tmpdir(), "compose-"));
      try {
        writeFileSync(path.join(dir, ".env"), "");
        const r = spawnSync(
          "docker-compose",
          ["-f", path.join(root, "docker-compose.yml"), "--project-directory", dir, "config", "-q"],
          { encoding: "utf8" },
        );
        expect(r.status, r.stderr).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
