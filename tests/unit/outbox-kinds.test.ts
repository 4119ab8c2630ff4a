import { describe, expect, it } from "vitest";
import { OUTBOX_KINDS, isOutboxKind } from "../../models/infra/outbox-kinds.ts";
import { RENDERERS } from "../../bot/outbox/render.ts";

describe("outbox kinds", () => {
  it("every kind has a renderer and every renderer a kind (the types say so; this checks the spread at run time)", () => {
    expect(Object.keys(RENDERERS).sort()).toEqual([...OUTBOX_KINDS].sort());
    for (const kind of OUTBOX_KINDS) expect(typeof RENDERERS[kind]).toBe("function");
  });

  it("lists each kind once", () => {
    expect(new Set(OUTBOX_KINDS).size).toBe(OUTBOX_KINDS.length);
  });

  it("tells a kind of another version of the code from a known one", () => {
    expect(isOutboxKind("staff_card_redraw")).toBe(true);
    expect(isOutboxKind("staff_card_v0")).toBe(false);
  });
});
