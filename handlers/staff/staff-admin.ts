import { Composer } from "grammy";
import type { BotContext } from "../../core/context.ts";
import { unknownScopeKeys, type ScopeKeys } from "../../models/people/scope-keys.ts";
import { releaseCasesOf } from "../../models/report/release-cases.ts";
import { staffActor } from "../../models/people/staff-actor.ts";
import {
  deactivateStaff,
  findActiveStaff,
  listStaff,
  upsertStaff,
  type StaffMember,
} from "../../models/people/staff.ts";
import { staffOrRefuse } from "./auth.ts";
import { fitList } from "../../views/fit-message.ts";
import { parseStaffArgs, type StaffCommand, type Target } from "./staff-admin-args.ts";

/**
 * /staff add|remove|list|role|scope: admins manage staff from a private chat (a group would show
 * user ids and scopes to everyone in it). Replies are plain text: names are shown as typed.
 */
export const staffAdminHandlers = new Composer<BotContext>();

staffAdminHandlers.command("staff", async (ctx) => {
  const admin = await staffOrRefuse(ctx, ["admin"]);
  if (!admin) return;
  if (ctx.chat.type !== "private") return void (await ctx.reply(ctx.t("staff-admin-private-only")));
  const cmd = parseStaffArgs(ctx.match);
  if ("error" in cmd)
    return void (await ctx.reply(
      cmd.error === "usage" ? ctx.t("staff-admin-usage") : ctx.t(`staff-admin-${cmd.error}`, { input: cmd.input }),
    ));
  await ctx.reply(await runStaffCommand(ctx, admin, cmd));
});

const idOf = (t: Target) => `${t.platform}:${t.userId}`;

/** Deactivates a member and puts their open cases back in the queue, cards redrawn. */
async function removeMember(ctx: BotContext, admin: StaffMember, target: Target): Promise<string> {
  const member = await findActiveStaff(target.platform, target.userId);
  if (!member || !(await deactivateStaff(target.platform, target.userId)))
    return ctx.t("staff-admin-not-found", { id: idOf(target) });
  const released = await releaseCasesOf(member, staffActor(admin), ctx.app.now());
  // Each release queued its card redraw in the same write; sent now, not at the next poll.
  if (released.length > 0) ctx.app.wakeOutbox();
  return [
    ctx.t("staff-admin-removed", { id: idOf(target) }),
    released.length > 0 ? ctx.t("staff-admin-released", { count: released.length }) : "",
  ]
    .filter(Boolean)
    .join("\n");
}

/** Carries out one parsed command and returns the reply text. */
async function runStaffCommand(ctx: BotContext, admin: StaffMember, cmd: StaffCommand): Promise<string> {
  if (cmd.op === "list") return staffList(ctx, await listStaff());
  // No admin can lock themself out: removing or demoting oneself is refused.
  const self = cmd.target.platform === admin.platform && cmd.target.userId === admin.userId;
  if (self && (cmd.op === "remove" || ((cmd.op === "add" || cmd.op === "role") && cmd.role !== "admin")))
    return ctx.t("staff-admin-self-lockout");
  const unknown = cmd.op === "add" || cmd.op === "scope" ? await unknownKeysText(ctx, cmd) : "";
  if (unknown) return unknown;
  if (cmd.op === "remove") return removeMember(ctx, admin, cmd.target);
  const existing = await findActiveStaff(cmd.target.platform, cmd.target.userId);
  switch (cmd.op) {
    case "add": {
      const { op: _op, target, ...fields } = cmd;
      const member = await upsertStaff({ ...target, ...fields });
      return [
        ctx.t(existing ? "staff-admin-updated" : "staff-admin-added"),
        memberLine(ctx, member),
        scopeHint(ctx, member),
      ]
        .filter(Boolean)
        .join("\n");
    }
    case "role":
    case "scope": {
      if (!existing) return ctx.t("staff-admin-not-found", { id: idOf(cmd.target) });
      const { op: _op, target, ...fields } = cmd;
      const member = await upsertStaff({ ...target, role: existing.role, ...fields });
      return [ctx.t("staff-admin-updated"), memberLine(ctx, member), scopeHint(ctx, member)].filter(Boolean).join("\n");
    }
  }
}

/** A typo in a key would silently hide every case from the member: say which keys are unknown. */
async function unknownKeysText(ctx: BotContext, scope: ScopeKeys): Promise<string> {
  const unknown = await unknownScopeKeys(scope);
  return [
    unknown.regions.length ? ctx.t("staff-admin-unknown-regions", { keys: unknown.regions.join(", ") }) : "",
    unknown.departments.length
      ? ctx.t("staff-admin-unknown-departments", { keys: unknown.departments.join(", ") })
      : "",
  ]
    .filter(Boolean)
    .join("\n");
}

function memberLine(ctx: BotContext, m: StaffMember): string {
  return ctx.t("staff-admin-member", {
    id: idOf(m),
    name: m.name || ctx.t("staff-admin-no-name"),
    role: ctx.t(`staff-role-${m.role}`),
    regions: m.regions.join(", ") || "—",
    departments: m.departments.join(", ") || "—",
  });
}

/** An official or manager with no region and no department sees no case at all. */
function scopeHint(ctx: BotContext, m: StaffMember): string {
  return m.role !== "admin" && m.regions.length === 0 && m.departments.length === 0
    ? ctx.t("staff-admin-no-scope")
    : "";
}

function staffList(ctx: BotContext, members: StaffMember[]): string {
  if (members.length === 0) return ctx.t("staff-admin-list-empty");
  return fitList({
    head: ctx.t("staff-admin-list-title", { count: members.length }),
    lines: members.map((m) => memberLine(ctx, m)),
    more: (count) => ctx.t("case-list-more", { count }),
    keep: "first",
  });
}
