import { describe, expect, it } from "vitest";
import { parseStaffArgs } from "../../handlers/staff/staff-admin-args.ts";

describe("parseStaffArgs", () => {
  it("parses every subcommand", () => {
    expect(parseStaffArgs("list")).toEqual({ op: "list" });
    expect(parseStaffArgs("remove bale:42")).toEqual({ op: "remove", target: { platform: "bale", userId: 42 } });
    expect(parseStaffArgs("ROLE Telegram:7 Manager")).toEqual({
      op: "role",
      target: { platform: "telegram", userId: 7 },
      role: "manager",
    });
    expect(parseStaffArgs("add telegram:7 official regions=r1,r2,r1 departments=roads name=  Ali  Rezaei ")).toEqual({
      op: "add",
      target: { platform: "telegram", userId: 7 },
      role: "official",
      regions: ["r1", "r2"],
      departments: ["roads"],
      name: "Ali  Rezaei",
    });
    expect(parseStaffArgs("scope telegram:7 regions=")).toEqual({
      op: "scope",
      target: { platform: "telegram", userId: 7 },
      regions: [],
    });
  });

  it("takes Persian digits and the Persian comma", () => {
    expect(parseStaffArgs("add telegram:۷۰۱ manager departments=water،roads")).toEqual({
      op: "add",
      target: { platform: "telegram", userId: 701 },
      role: "manager",
      departments: ["water", "roads"],
    });
  });

  it("name= takes the rest of the line, other options before it only", () => {
    expect(parseStaffArgs("add telegram:7 admin name=Sara regions=r1")).toMatchObject({ name: "Sara regions=r1" });
    expect(parseStaffArgs(`add telegram:7 admin name=${"x".repeat(100)}`)).toMatchObject({ name: "x".repeat(64) });
  });

  it("names what is wrong", () => {
    for (const usage of [
      "",
      "hire telegram:7",
      "list all",
      "remove",
      "remove telegram:7 now",
      "role telegram:7",
      "role telegram:7 admin now",
      "add telegram:7",
      "scope telegram:7",
    ]) {
      expect(parseStaffArgs(usage), usage).toEqual({ error: "usage" });
    }
    expect(parseStaffArgs("remove 7")).toEqual({ error: "bad-target", input: "7" });
    expect(parseStaffArgs("remove whatsapp:7")).toEqual({ error: "bad-target", input: "whatsapp:7" });
    expect(parseStaffArgs("role telegram:7 mayor")).toEqual({ error: "bad-role", input: "mayor" });
    expect(parseStaffArgs("add telegram:7 official zone=r1")).toEqual({ error: "bad-option", input: "zone=r1" });
    expect(parseStaffArgs("add telegram:7 official r1")).toEqual({ error: "bad-option", input: "r1" });
    expect(parseStaffArgs("scope telegram:7 name=Sara")).toEqual({ error: "bad-option", input: "name=Sara" });
  });
});
