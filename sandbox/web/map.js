// The offline map: district outlines from /regions.json drawn as SVG with a linear lon/lat → x/y
// projection over the service area. The pure helpers (projection, point-in-polygon, lat/lon parsing)
// touch no DOM and are unit-tested in Node; drawing takes the document as a parameter.

const SVG_NS = "http://www.w3.org/2000/svg";

/** The default service area (the bot's SERVICE_AREA_BBOX default). */
export const DEFAULT_AREA = { minLat: 35.72, minLon: 50.8, maxLat: 35.92, maxLon: 51.2 };

/**
 * Linear projection of the area onto a `width`-wide box. The height keeps ground proportions at
 * the area's middle latitude (a degree of longitude is cos(lat) of a degree of latitude).
 */
export function makeProjection(area, width) {
  const lonSpan = area.maxLon - area.minLon;
  const latSpan = area.maxLat - area.minLat;
  const midLat = ((area.minLat + area.maxLat) / 2) * (Math.PI / 180);
  const height = Math.round((width * latSpan) / (lonSpan * Math.cos(midLat)));
  return {
    width,
    height,
    project(lon, lat) {
      return { x: ((lon - area.minLon) / lonSpan) * width, y: ((area.maxLat - lat) / latSpan) * height };
    },
    unproject(x, y) {
      return { lon: area.minLon + (x / width) * lonSpan, lat: area.maxLat - (y / height) * latSpan };
    },
  };
}

function inRing(lon, lat, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Ray casting over a GeoJSON Polygon or MultiPolygon ([lon, lat] order; holes respected). */
export function pointInGeometry(lon, lat, geometry) {
  if (!geometry) return false;
  const polygons =
    geometry.type === "MultiPolygon" ? geometry.coordinates : geometry.type === "Polygon" ? [geometry.coordinates] : [];
  return polygons.some(
    (rings) => rings.length > 0 && inRing(lon, lat, rings[0]) && !rings.slice(1).some((hole) => inRing(lon, lat, hole)),
  );
}

/** The first region whose boundary holds the point, or null. */
export function regionAt(regions, lat, lon) {
  return regions.find((r) => pointInGeometry(lon, lat, r.geometry)) ?? null;
}

export function insideArea(area, lat, lon) {
  return lat >= area.minLat && lat <= area.maxLat && lon >= area.minLon && lon <= area.maxLon;
}

/** Persian / Arabic-Indic digits and separators → ASCII. */
export function asciiDigits(s) {
  return s
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/\u066b/g, ".")
    .replace(/[\u060c\u066c]/g, ",");
}

/** "35.80, 51.05" (also with Persian digits, or separated by a space) → { lat, lon }, or null. */
export function parseLatLon(text) {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*[,\s]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(asciiDigits(text ?? ""));
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return null;
  return { lat, lon };
}

export function formatLatLon(lat, lon) {
  return `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
}

/** The SVG path of a Polygon/MultiPolygon under a projection. */
export function geometryPath(geometry, projection) {
  const polygons = geometry.type === "MultiPolygon" ? geometry.coordinates : [geometry.coordinates];
  return polygons
    .flatMap((rings) =>
      rings.map(
        (ring) =>
          ring
            .map(([lon, lat], i) => {
              const p = projection.project(lon, lat);
              return `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`;
            })
            .join(" ") + " Z",
      ),
    )
    .join(" ");
}

/** Middle of a region's outer ring's bounding box: where its label goes. */
function labelPoint(geometry) {
  const ring = geometry.type === "MultiPolygon" ? geometry.coordinates[0][0] : geometry.coordinates[0];
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  return { lon: (Math.min(...lons) + Math.max(...lons)) / 2, lat: (Math.min(...lats) + Math.max(...lats)) / 2 };
}

function svgEl(doc, name, attrs) {
  const el = doc.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * Draws the districts. `opts`: { regions, area, width, locale, labels, marker: {lat, lon}?, onPick(lat, lon)? }.
 * Returns { svg, setMarker(lat, lon) }. With onPick the map is clickable.
 */
export function drawMap(doc, opts) {
  const area = opts.area ?? DEFAULT_AREA;
  const projection = makeProjection(area, opts.width ?? 400);
  const svg = svgEl(doc, "svg", {
    viewBox: `0 0 ${projection.width} ${projection.height}`,
    class: "district-map",
    role: "img",
  });
  svg.appendChild(
    svgEl(doc, "rect", { x: 0, y: 0, width: projection.width, height: projection.height, class: "map-area" }),
  );
  opts.regions.forEach((region, i) => {
    const path = svgEl(doc, "path", {
      d: geometryPath(region.geometry, projection),
      class: `map-region tone-${i % 4}`,
    });
    const title = svgEl(doc, "title", {});
    title.textContent = regionName(region, opts.locale);
    path.appendChild(title);
    svg.appendChild(path);
    if (opts.labels) {
      const at = labelPoint(region.geometry);
      const p = projection.project(at.lon, at.lat);
      const label = svgEl(doc, "text", {
        x: p.x.toFixed(1),
        y: p.y.toFixed(1),
        class: "map-label",
        "text-anchor": "middle",
      });
      label.textContent = regionName(region, opts.locale);
      svg.appendChild(label);
    }
  });
  const marker = svgEl(doc, "circle", {
    r: opts.markerRadius ?? 6,
    class: "map-marker",
    "data-testid": "map-marker",
    visibility: "hidden",
  });
  svg.appendChild(marker);

  function setMarker(lat, lon) {
    if (lat === null || lat === undefined) {
      marker.setAttribute("visibility", "hidden");
      return;
    }
    const p = projection.project(lon, lat);
    marker.setAttribute("cx", p.x.toFixed(1));
    marker.setAttribute("cy", p.y.toFixed(1));
    // Outside the drawn area the dot would be off the picture: pinned to the edge, drawn hollow.
    const outside = !insideArea(area, lat, lon);
    if (outside) {
      marker.setAttribute("cx", Math.min(Math.max(p.x, 0), projection.width).toFixed(1));
      marker.setAttribute("cy", Math.min(Math.max(p.y, 0), projection.height).toFixed(1));
    }
    marker.setAttribute("class", outside ? "map-marker outside" : "map-marker");
    marker.setAttribute("visibility", "visible");
  }
  if (opts.marker) setMarker(opts.marker.lat, opts.marker.lon);

  if (opts.onPick) {
    svg.classList.add("pickable");
    svg.addEventListener("click", (ev) => {
      const ctm = svg.getScreenCTM();
      if (!ctm) return;
      const pt = svg.createSVGPoint();
      pt.x = ev.clientX;
      pt.y = ev.clientY;
      const local = pt.matrixTransform(ctm.inverse());
      const { lat, lon } = projection.unproject(local.x, local.y);
      const rounded = { lat: Math.round(lat * 1e5) / 1e5, lon: Math.round(lon * 1e5) / 1e5 };
      setMarker(rounded.lat, rounded.lon);
      opts.onPick(rounded.lat, rounded.lon);
    });
  }
  return { svg, setMarker, projection };
}

export function regionName(region, locale) {
  if (typeof region.name === "string") return region.name;
  return region.name?.[locale] ?? region.name?.fa ?? region.name?.en ?? region.key ?? "";
}
