// npm run build [-- --outDir <dir>]: compiles the app to JS (tsconfig.build.json), then copies what
// tsc does not emit but the code reads at run time relative to its own file: locales/ and the
// non-TypeScript files beside the sources (the sandbox's browser page). Plain Node, no tsx.
import { spawnSync } from "node:child_process";
import { cpSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { outDir: { type: "string", default: "dist" } } });
const outDir = path.resolve(root, values.outDir);
// It is emptied first: never the project itself or a folder holding it.
if (!path.relative(outDir, root).startsWith("..")) {
  console.error(`build: refusing to use ${outDir} as outDir (it holds the project)`);
  process.exit(1);
}

// A clean outDir: a file renamed or deleted in the sources must not linger in the build.
rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", outDir], {
  cwd: root,
  stdio: "inherit",
});
if (result.status !== 0) process.exit(result.status ?? 1);

// The source folders are the build's "include" (read with TypeScript's parser: the file has comments).
const { config } = ts.readConfigFile(path.join(root, "tsconfig.build.json"), ts.sys.readFile);
const self = fileURLToPath(import.meta.url); // a build tool, not part of the app
const isAsset = (src) => statSync(src).isDirectory() || (!/\.(ts|md)$/.test(src) && src !== self);
for (const dir of [...config.include, "locales"])
  cpSync(path.join(root, dir), path.join(outDir, dir), { recursive: true, filter: isAsset });
console.log(`build: ${outDir} ready (entry: ${path.join(outDir, "bot", "main.js")})`);
