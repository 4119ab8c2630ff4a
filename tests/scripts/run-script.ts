import path from "node:path";
import { fileURLToPath } from "node:url";
import { startProcess } from "../support/child-process.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A URI whose path names `dbName`: what a child script gets as MONGODB_URI. */
export function uriFor(uri: string, dbName: string): string {
  const u = new URL(uri);
  u.pathname = `/${dbName}`;
  return u.toString();
}

export interface ScriptRun {
  code: number | null;
  output: string;
}

/** Runs scripts/<name>.ts as a child process, the way `npm run <name>` does (stdin is not a TTY). */
export async function runScript(name: string, args: string[], env: Record<string, string>): Promise<ScriptRun> {
  const child = startProcess(process.execPath, ["--import", "tsx", `scripts/${name}.ts`, ...args], { cwd: ROOT, env });
  const code = await child.exited;
  return { code, output: child.output() };
}
