/** Every record carries the messenger it came from: ids are only unique within one platform. */
export const PLATFORMS = ["telegram", "bale"] as const;
export type Platform = (typeof PLATFORMS)[number];
export type Locale = "fa" | "en";
