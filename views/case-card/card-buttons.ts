import type { ReportDoc } from "../../models/report/report.ts";

/**
 * What the case card's buttons do. The words are the card family's actions in the button registry
 * (views/buttons/families.ts), so a word added here is a button the registry encodes and decodes.
 */
export const CARD_ACTIONS = [
  "take",
  "assign",
  "progress",
  "resolve",
  "reject",
  "dup",
  "note",
  "ask",
  "inote",
  "visit",
  "contact",
] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

/**
 * Where a case stands, as far as its buttons go. A card in a group is one message for everyone, so
 * the buttons follow the case's state, never the viewer; each press checks the presser's role.
 */
export type CardState = "free" | "held" | "working" | "working_free";

export function cardState(r: Pick<ReportDoc, "status" | "assignee">): CardState {
  if (r.status === "in_progress") return r.assignee ? "working" : "working_free";
  return r.assignee ? "held" : "free";
}

/**
 * State → buttons, row by row. Take only while nobody holds the case (after that managers hand it
 * on with Assign…); In progress only before work started. Contact shows only when there is a phone.
 */
export const CARD_BUTTONS: Record<CardState, readonly (readonly CardAction[])[]> = {
  // New, reopened with nobody on it, or its official was removed.
  free: [
    ["take", "assign", "progress"],
    ["resolve", "reject", "dup"],
    ["note", "ask", "inote"],
    ["visit", "contact"],
  ],
  // Taken or assigned (a reopened case keeps its official): they start it; managers may hand it on.
  held: [
    ["assign", "progress"],
    ["resolve", "reject", "dup"],
    ["note", "ask", "inote"],
    ["visit", "contact"],
  ],
  // Work started.
  working: [["assign"], ["resolve", "reject", "dup"], ["note", "ask", "inote"], ["visit", "contact"]],
  // Work started, then its official was removed: someone takes it over.
  working_free: [
    ["take", "assign"],
    ["resolve", "reject", "dup"],
    ["note", "ask", "inote"],
    ["visit", "contact"],
  ],
};
