import type { Renderer } from "../renderer.ts";

/** Messages that close the loop with the citizen (resolution with feedback buttons, questions). */
export const closureRenderers: Record<string, Renderer> = {};
