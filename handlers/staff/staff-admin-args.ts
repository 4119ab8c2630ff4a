import { PLATFORMS, type Platform } from "../../models/common/platform.ts";
import { ROLES, type Role } from "../../models/people/staff.ts";
import { normalizeCodeInput } from "../../models/report/tracking-code.ts";
import { cleanUserText } from "../../models/common/clean-text.ts";

export interface Target {
  platform: Platform;
  userId: number;
}

export interface ScopeArgs {
  regions?: string[];
  departments?: string[];
}

export type StaffCommand =
  | ({ op: "add"; target: Target; role: Role; name?: string } & ScopeArgs)
  | { op: "remove"; target: Target }
  | { op: "list" }
  | { op: "role"; target: Target; role: Role }
  | ({ op: "scope"; target: Target } & ScopeArgs);

export type StaffArgsError = { error: "usage" } | { error: "bad-target" | "bad-role" | "bad-option"; input: string };

type Token = { value: string; index: number };

const TARGET = new RegExp(`^(${PLATFORMS.join("|")}):(\\d{1,15})$`);
const NAME_MAX = 64;
const USAGE: StaffArgsError = { error: "usage" };

/**
 * `/staff add|remove|list|role|scope …` arguments. Pure, so every syntax error is unit-testable;
 * `name=` takes the rest of the line because names have spaces.
 */
export function parseStaffArgs(text: string): StaffCommand | StaffArgsError {
  const tokens: Token[] = [...text.matchAll(/\S+/g)].map((m) => ({ value: m[0], index: m.index }));
  const op = tokens[0]?.value.toLowerCase();
  if (op === "list") return tokens.length === 1 ? { op: "list" } : USAGE;
  if (op !== "add" && op !== "remove" && op !== "role" && op !== "scope") return USAGE;
  const minTokens = op === "remove" ? 2 : 3;
  const maxTokens = op === "remove" ? 2 : op === "role" ? 3 : Infinity;
  if (tokens.length < minTokens || tokens.length > maxTokens) return USAGE;
  const target = parseTarget(tokens[1]!.value);
  if ("error" in target) return target;
  if (op === "remove") return { op, target };
  if (op === "scope") {
    const options = parseOptions(text, tokens.slice(2), false);
    if ("error" in options) return options;
    return options.regions === undefined && options.departments === undefined ? USAGE : { op, target, ...options };
  }
  const role = parseRole(tokens[2]!.value);
  if (typeof role !== "string") return role;
  if (op === "role") return { op, target, role };
  const options = parseOptions(text, tokens.slice(3), true);
  return "error" in options ? options : { op, target, role, ...options };
}

/** `telegram:12345`, digits typed on a Persian keyboard included. */
function parseTarget(input: string): Target | StaffArgsError {
  const m = TARGET.exec(normalizeCodeInput(input).toLowerCase());
  return m ? { platform: m[1] as Platform, userId: Number(m[2]) } : { error: "bad-target", input };
}

function parseRole(input: string): Role | StaffArgsError {
  return ROLES.find((r) => r === input.toLowerCase()) ?? { error: "bad-role", input };
}

type Options = ScopeArgs & { name?: string };

function parseOptions(text: string, tokens: Token[], allowName: boolean): Options | StaffArgsError {
  const out: Options = {};
  for (const { value, index } of tokens) {
    const eq = value.indexOf("=");
    const key = eq > 0 ? value.slice(0, eq).toLowerCase() : "";
    if (key === "name" && allowName) {
      // A staff name is shown to citizens and on cards: no override may disguise it.
      out.name = cleanUserText(text.slice(index + eq + 1), { singleLine: true })
        .trim()
        .slice(0, NAME_MAX);
      return out;
    }
    if (key !== "regions" && key !== "departments") return { error: "bad-option", input: value };
    // Persian keyboards type "،" for a comma; an empty list (`regions=`) clears the field.
    out[key] = [
      ...new Set(
        value
          .slice(eq + 1)
          .split(/[,،]/)
          .map((k) => k.trim())
          .filter(Boolean),
      ),
    ];
  }
  return out;
}
