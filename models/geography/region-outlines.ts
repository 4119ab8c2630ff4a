import type { Feature, FeatureCollection, MultiPolygon, Polygon } from "geojson";
import { Region } from "./region.ts";

export interface RegionOutlineProps {
  key: string;
  name: { fa: string; en: string };
}

export type RegionOutlines = FeatureCollection<Polygon | MultiPolygon, RegionOutlineProps>;

/**
 * The active regions' boundaries as GeoJSON, for the public map: key, names and outline only
 * (never the staff chat), in key order so the page draws the same picture every time.
 */
export async function regionOutlines(): Promise<RegionOutlines> {
  const rows = await Region.find({ active: true }, { key: 1, name: 1, boundary: 1 }).sort({ key: 1 }).lean();
  const features: Feature<Polygon | MultiPolygon, RegionOutlineProps>[] = [];
  for (const r of rows) {
    const b = r.boundary;
    if (!b || (b.type !== "Polygon" && b.type !== "MultiPolygon") || !Array.isArray(b.coordinates)) continue;
    features.push({
      type: "Feature",
      properties: { key: r.key, name: { fa: r.name?.fa ?? r.key, en: r.name?.en ?? r.key } },
      geometry: { type: b.type, coordinates: b.coordinates } as Polygon | MultiPolygon,
    });
  }
  return { type: "FeatureCollection", features };
}
