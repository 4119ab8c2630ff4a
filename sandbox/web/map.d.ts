// Types of map.js's pure helpers for the TypeScript tests (the page itself is plain JS).
import type { MultiPolygon, Polygon } from "geojson";

export interface Area {
  minLat: number;
  minLon: number;
  maxLat: number;
  maxLon: number;
}
export interface MapRegion {
  key?: string;
  name: string | { fa?: string; en?: string };
  geometry: Polygon | MultiPolygon;
}
export interface Projection {
  width: number;
  height: number;
  project(lon: number, lat: number): { x: number; y: number };
  unproject(x: number, y: number): { lat: number; lon: number };
}

export const DEFAULT_AREA: Area;
export function makeProjection(area: Area, width: number): Projection;
export function pointInGeometry(lon: number, lat: number, geometry: Polygon | MultiPolygon | null | undefined): boolean;
export function regionAt<R extends MapRegion>(regions: R[], lat: number, lon: number): R | null;
export function insideArea(area: Area, lat: number, lon: number): boolean;
export function asciiDigits(s: string): string;
export function parseLatLon(text: string | null | undefined): { lat: number; lon: number } | null;
export function formatLatLon(lat: number, lon: number): string;
export function geometryPath(geometry: Polygon | MultiPolygon, projection: Projection): string;
export function regionName(region: MapRegion, locale: string): string;
/** `doc` is a DOM Document; `svg` the drawn SVG element (the tests run without the DOM lib). */
export function drawMap(
  doc: unknown,
  opts: unknown,
): { svg: unknown; setMarker(lat: number | null, lon?: number): void; projection: Projection };
