import type { Renderer } from "../renderer.ts";

/** Messages of the cron jobs (reminders, escalations, digests, weekly table). */
export const jobRenderers: Record<string, Renderer> = {};
