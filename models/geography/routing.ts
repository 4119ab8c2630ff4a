import booleanPointInPolygon from "@turf/boolean-point-in-polygon";
import type { MultiPolygon, Polygon } from "geojson";
import { Department, Region } from "./region.ts";
import type { Platform } from "../common/platform.ts";

export interface ChatRef {
  platform: Platform;
  chatId: number;
}

export interface Route {
  regionKey: string;
  chat: ChatRef | null;
  /** No coordinates, or outside every region: staff must check where it is. */
  needsLocationCheck: boolean;
}

interface CachedRegion {
  key: string;
  boundary: Polygon | MultiPolygon;
  chat: ChatRef | null;
}

function chatRef(c: { platform?: string | null; chatId?: number | null } | null | undefined): ChatRef | null {
  return c && c.platform && c.chatId ? { platform: c.platform as Platform, chatId: c.chatId } : null;
}

/**
 * Point-in-polygon routing. Regions are few and change rarely: they are cached and reloaded
 * after `ttlMs`, so routing a report costs no database round trip for the polygons.
 */
export class RegionRouter {
  private regions: CachedRegion[] = [];
  private loadedAt = -Infinity;

  constructor(
    private readonly fallback: ChatRef | null,
    private readonly ttlMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  invalidate(): void {
    this.loadedAt = -Infinity;
  }

  private async load(): Promise<CachedRegion[]> {
    if (this.clock() - this.loadedAt < this.ttlMs) return this.regions;
    const rows = await Region.find({ active: true }).sort({ key: 1 }).lean();
    this.regions = rows.map((r) => ({
      key: r.key,
      boundary: r.boundary as unknown as Polygon | MultiPolygon,
      chat: chatRef(r.chat),
    }));
    this.loadedAt = this.clock();
    return this.regions;
  }

  async regionAt(at: { lat: number; lon: number }): Promise<CachedRegion | null> {
    const point: [number, number] = [at.lon, at.lat];
    return (await this.load()).find((r) => booleanPointInPolygon(point, r.boundary)) ?? null;
  }

  /** Region chat → department chat → STAFF_CHAT_ID. Without coordinates: the fallback chat. */
  async route(location: { lat: number; lon: number } | null, department: string): Promise<Route> {
    const dept = await Department.findOne({ key: department, active: true }, { chat: 1 }).lean();
    const deptChat = chatRef(dept?.chat);
    if (!location) return { regionKey: "", chat: this.fallback ?? deptChat, needsLocationCheck: true };
    const region = await this.regionAt(location);
    return {
      regionKey: region?.key ?? "",
      chat: region?.chat ?? deptChat ?? this.fallback,
      needsLocationCheck: region === null,
    };
  }
}
