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
 * Point-in-polygon routing. Regions and departments are few and change rarely: they are cached and
 * reloaded after `ttlMs`, so routing a report costs no database round trip.
 */
export class RegionRouter {
  private regions: CachedRegion[] = [];
  private loadedAt = -Infinity;
  /** Active departments' chats by key; loaded with the regions, under the same time. */
  private departments = new Map<string, ChatRef | null>();
  private departmentsAt = -Infinity;

  constructor(
    private readonly fallback: ChatRef | null,
    private readonly ttlMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  invalidate(): void {
    this.loadedAt = -Infinity;
    this.departmentsAt = -Infinity;
  }

  private async departmentChat(key: string): Promise<ChatRef | null> {
    // Uncached (tests, ttl 0): the one department asked for, as one round trip either way.
    if (this.ttlMs <= 0) return chatRef((await Department.findOne({ key, active: true }, { chat: 1 }).lean())?.chat);
    if (this.clock() - this.departmentsAt >= this.ttlMs) {
      const rows = await Department.find({ active: true }, { key: 1, chat: 1 }).lean();
      this.departments = new Map(rows.map((d) => [d.key, chatRef(d.chat)]));
      this.departmentsAt = this.clock();
    }
    return this.departments.get(key) ?? null;
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
    const deptChat = await this.departmentChat(department);
    if (!location) return { regionKey: "", chat: this.fallback ?? deptChat, needsLocationCheck: true };
    const region = await this.regionAt(location);
    return {
      regionKey: region?.key ?? "",
      chat: region?.chat ?? deptChat ?? this.fallback,
      needsLocationCheck: region === null,
    };
  }
}
