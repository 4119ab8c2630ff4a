// Geo queries for Point data, which mingo does not know: $near/$nearSphere (sorted by distance),
// $geoWithin ($geometry Polygon/MultiPolygon, $centerSphere, $center, $box, $polygon) and
// $geoIntersects against points. Spherical distances use the haversine formula with mongod's
// earth radius (6378.1 km). Polygon edges are treated as planar in lng/lat (mongod uses great
// circles): identical for the small city-sized shapes this project uses.
import { badValue } from "./errors.ts";
import { formatValue, isPlainObject } from "./doc.ts";
import type { Doc } from "./doc.ts";

export const EARTH_RADIUS_M = 6378100;
const RAD = Math.PI / 180;

/** [longitude, latitude] (or [x, y] for legacy planar data). */
export type Point = [number, number];

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Angle in radians between two lng/lat points (haversine). */
export function sphericalAngle(a: Point, b: Point): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLng = (b[0] - a[0]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function distanceMetres(a: Point, b: Point): number {
  return sphericalAngle(a, b) * EARTH_RADIUS_M;
}

/** A legacy coordinate pair `[x, y]` or `{lng: x, lat: y}`; undefined if the value is not one. */
function legacyPoint(value: unknown): Point | undefined {
  if (Array.isArray(value)) {
    return value.length >= 2 && isNum(value[0]) && isNum(value[1]) ? [value[0], value[1]] : undefined;
  }
  if (isPlainObject(value) && !("type" in value)) {
    const nums = Object.values(value);
    return nums.length >= 2 && isNum(nums[0]) && isNum(nums[1]) ? [nums[0], nums[1]] : undefined;
  }
  return undefined;
}

function toPoint(value: unknown, what: string): Point {
  const p = legacyPoint(value);
  if (!p) throw badValue(`${what}: expected a coordinate pair, got ${formatValue(value)}`);
  return p;
}

/** GeoJSON `{type: "Point", coordinates}` → Point. */
function geoJsonPoint(value: unknown): Point | undefined {
  if (isPlainObject(value) && value.type === "Point") return legacyPoint(value.coordinates);
  return undefined;
}

/** Every vertex of a stored geometry (Point, MultiPoint, LineString, Polygon, ... or legacy pair). */
function geometryPoints(value: unknown): Point[] | undefined {
  const legacy = legacyPoint(value);
  if (legacy) return [legacy];
  if (!isPlainObject(value) || typeof value.type !== "string") return undefined;
  const out: Point[] = [];
  const walk = (coords: unknown): void => {
    const p = legacyPoint(coords);
    if (p && Array.isArray(coords)) out.push(p);
    else if (Array.isArray(coords)) coords.forEach(walk);
  };
  if (value.type === "GeometryCollection" && Array.isArray(value.geometries)) {
    for (const g of value.geometries) out.push(...(geometryPoints(g) ?? []));
  } else {
    walk(value.coordinates);
  }
  return out.length ? out : undefined;
}

/** The raw values at `path`: arrays in the middle of the path fan out, the last step does not. */
export function rawValuesAt(doc: unknown, path: string): unknown[] {
  const raw: unknown[] = [];
  const walk = (value: unknown, parts: string[], i: number): void => {
    if (i === parts.length) {
      raw.push(value);
      return;
    }
    const part = parts[i] as string;
    if (Array.isArray(value) && !/^\d+$/.test(part)) {
      for (const el of value) walk(el, parts, i);
    } else if (Array.isArray(value)) {
      walk(value[Number(part)], parts, i + 1);
    } else if (isPlainObject(value)) {
      walk(value[part], parts, i + 1);
    }
  };
  walk(doc, path.split("."), 0);
  return raw;
}

/** The geometries stored at `path`; a final array is either a legacy pair or a list of geometries. */
export function geometriesAt(doc: unknown, path: string): Point[][] {
  const out: Point[][] = [];
  for (const value of rawValuesAt(doc, path)) {
    const single = geometryPoints(value);
    if (single) out.push(single);
    else if (Array.isArray(value)) for (const el of value) out.push(geometryPoints(el) ?? []);
  }
  return out.filter((g) => g.length > 0);
}

function inRing(p: Point, ring: Point[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i] as Point;
    const b = ring[j] as Point;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

function ringsOf(value: unknown, what: string): Point[] {
  if (!Array.isArray(value) || value.length < 3) throw badValue(`${what}: a ring needs at least 3 points`);
  return value.map((v) => toPoint(v, what));
}

type Contains = (p: Point) => boolean;

function polygonContains(coordinates: unknown): Contains {
  if (!Array.isArray(coordinates) || coordinates.length === 0)
    throw badValue("Polygon: coordinates must be an array of rings");
  const [outer, ...holes] = coordinates.map((r) => ringsOf(r, "Polygon"));
  return (p) => inRing(p, outer as Point[]) && !holes.some((h) => inRing(p, h));
}

function shapeOf(spec: unknown): Contains {
  if (!isPlainObject(spec)) throw badValue("$geoWithin requires an object");
  if (isPlainObject(spec.$geometry)) {
    const g = spec.$geometry;
    if (g.type === "Polygon") return polygonContains(g.coordinates);
    if (g.type === "MultiPolygon" && Array.isArray(g.coordinates)) {
      const parts = g.coordinates.map(polygonContains);
      return (p) => parts.some((c) => c(p));
    }
    throw badValue(`$geoWithin: unsupported $geometry type ${String(g.type)} (Polygon, MultiPolygon)`);
  }
  if (Array.isArray(spec.$centerSphere)) {
    const center = toPoint(spec.$centerSphere[0], "$centerSphere");
    const radius = spec.$centerSphere[1];
    if (!isNum(radius)) throw badValue("$centerSphere: radius must be a number (radians)");
    return (p) => sphericalAngle(center, p) <= radius;
  }
  if (Array.isArray(spec.$center)) {
    const center = toPoint(spec.$center[0], "$center");
    const radius = spec.$center[1];
    if (!isNum(radius)) throw badValue("$center: radius must be a number");
    return (p) => Math.hypot(p[0] - center[0], p[1] - center[1]) <= radius;
  }
  if (Array.isArray(spec.$box)) {
    const a = toPoint(spec.$box[0], "$box");
    const b = toPoint(spec.$box[1], "$box");
    const [minX, maxX] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])];
    const [minY, maxY] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])];
    return (p) => p[0] >= minX && p[0] <= maxX && p[1] >= minY && p[1] <= maxY;
  }
  if (Array.isArray(spec.$polygon)) {
    const ring = ringsOf(spec.$polygon, "$polygon");
    return (p) => inRing(p, ring);
  }
  throw badValue(`unknown $geoWithin shape: ${Object.keys(spec).join(", ")}`);
}

/** How $near distances are measured: GeoJSON → metres, legacy $nearSphere → radians, legacy $near → planar. */
export type DistanceMetric = "metres" | "radians" | "planar";

export class NearSpec {
  constructor(
    readonly center: Point,
    readonly metric: DistanceMetric,
    readonly min: number | undefined,
    readonly max: number | undefined,
  ) {}

  distance(p: Point): number {
    if (this.metric === "metres") return distanceMetres(this.center, p);
    if (this.metric === "radians") return sphericalAngle(this.center, p);
    return Math.hypot(p[0] - this.center[0], p[1] - this.center[1]);
  }

  /** Smallest distance from the centre to any vertex of any geometry at the path. */
  distanceTo(doc: unknown, path: string): number | undefined {
    let best: number | undefined;
    for (const geometry of geometriesAt(doc, path)) {
      for (const p of geometry) {
        const d = this.distance(p);
        if (best === undefined || d < best) best = d;
      }
    }
    return best;
  }

  inRange(d: number): boolean {
    return (this.min === undefined || d >= this.min) && (this.max === undefined || d <= this.max);
  }
}

/** Parses the argument of $near / $nearSphere (plus sibling $maxDistance/$minDistance, legacy style). */
export function parseNear(op: "$near" | "$nearSphere", arg: unknown, siblings: Doc): NearSpec {
  let center: Point | undefined;
  let metric: DistanceMetric;
  let min = siblings.$minDistance;
  let max = siblings.$maxDistance;
  if (isPlainObject(arg) && "$geometry" in arg) {
    center = geoJsonPoint(arg.$geometry);
    metric = "metres";
    if (arg.$maxDistance !== undefined) max = arg.$maxDistance;
    if (arg.$minDistance !== undefined) min = arg.$minDistance;
  } else if (geoJsonPoint(arg)) {
    center = geoJsonPoint(arg);
    metric = "metres";
  } else {
    center = legacyPoint(arg);
    metric = op === "$nearSphere" ? "radians" : "planar";
  }
  if (!center) throw badValue(`${op} requires a point: { $geometry: { type: "Point", coordinates: [lng, lat] } }`);
  if (min !== undefined && !isNum(min)) throw badValue("$minDistance must be a number");
  if (max !== undefined && !isNum(max)) throw badValue("$maxDistance must be a number");
  if ((isNum(max) && max < 0) || (isNum(min) && min < 0))
    throw badValue("$maxDistance/$minDistance must be non-negative");
  return new NearSpec(center, metric, min as number | undefined, max as number | undefined);
}

/** One geo clause on one field, evaluated by the custom mingo query operator. */
export class GeoPredicate {
  constructor(
    readonly kind: "near" | "within" | "intersects",
    private readonly near: NearSpec | undefined,
    private readonly contains: Contains | undefined,
  ) {}

  static near(spec: NearSpec): GeoPredicate {
    return new GeoPredicate("near", spec, undefined);
  }

  static within(spec: unknown): GeoPredicate {
    return new GeoPredicate("within", undefined, shapeOf(spec));
  }

  static intersects(spec: unknown): GeoPredicate {
    if (!isPlainObject(spec) || !isPlainObject(spec.$geometry)) throw badValue("$geoIntersects requires a $geometry");
    const g = spec.$geometry;
    const point = geoJsonPoint(g);
    if (point) return new GeoPredicate("intersects", undefined, (p) => p[0] === point[0] && p[1] === point[1]);
    return new GeoPredicate("intersects", undefined, shapeOf(spec));
  }

  test(doc: unknown, path: string): boolean {
    if (this.near) {
      const d = this.near.distanceTo(doc, path);
      return d !== undefined && this.near.inRange(d);
    }
    const contains = this.contains as Contains;
    const geometries = geometriesAt(doc, path);
    if (this.kind === "within") return geometries.some((g) => g.every(contains));
    return geometries.some((g) => g.some(contains));
  }
}

/** Why a value cannot go into a 2dsphere index, or undefined if it can (missing/null is fine). */
export function invalidGeoReason(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && !value.every(isNum)) {
    for (const el of value) {
      const reason = invalidGeoReason(el);
      if (reason) return reason;
    }
    return undefined;
  }
  const legacy = legacyPoint(value);
  if (legacy && !(isPlainObject(value) && "type" in value)) return pointRangeReason(legacy);
  if (!isPlainObject(value)) return "geo element must be an array or object";
  switch (value.type) {
    case "Point": {
      const c = value.coordinates;
      if (!Array.isArray(c) || c.length < 2 || !c.every(isNum)) return "Point must only contain numeric elements";
      return pointRangeReason([c[0] as number, c[1] as number]);
    }
    case "MultiPoint":
    case "LineString":
    case "Polygon":
    case "MultiLineString":
    case "MultiPolygon":
      return Array.isArray(value.coordinates) ? undefined : `${value.type} must have a coordinates array`;
    case "GeometryCollection":
      return Array.isArray(value.geometries) ? undefined : "GeometryCollection must have a geometries array";
    default:
      return `unknown GeoJSON type: ${formatValue(value)}`;
  }
}

function pointRangeReason(p: Point): string | undefined {
  if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90) {
    return `longitude/latitude is out of bounds, lng: ${p[0]} lat: ${p[1]}`;
  }
  return undefined;
}
