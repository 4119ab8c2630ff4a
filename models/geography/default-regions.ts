/**
 * Example districts of a Karaj-like city: four rectangles splitting the default service area.
 * Real boundaries are data: admins replace them with the seed script (GeoJSON, [lon, lat] order).
 */
function box(minLon: number, minLat: number, maxLon: number, maxLat: number) {
  return {
    type: "Polygon" as const,
    coordinates: [
      [
        [minLon, minLat],
        [maxLon, minLat],
        [maxLon, maxLat],
        [minLon, maxLat],
        [minLon, minLat],
      ],
    ],
  };
}

export const DEFAULT_REGIONS = [
  {
    key: "r1",
    name: { fa: "منطقه ۱ (شمال غرب)", en: "District 1 (north-west)" },
    boundary: box(50.8, 35.82, 51.0, 35.92),
  },
  {
    key: "r2",
    name: { fa: "منطقه ۲ (شمال شرق)", en: "District 2 (north-east)" },
    boundary: box(51.0, 35.82, 51.2, 35.92),
  },
  {
    key: "r3",
    name: { fa: "منطقه ۳ (جنوب غرب)", en: "District 3 (south-west)" },
    boundary: box(50.8, 35.72, 51.0, 35.82),
  },
  {
    key: "r4",
    name: { fa: "منطقه ۴ (جنوب شرق)", en: "District 4 (south-east)" },
    boundary: box(51.0, 35.72, 51.2, 35.82),
  },
];

export const DEFAULT_DEPARTMENTS = [
  { key: "roads", name: { fa: "معاونت عمرانی (راه و آسفالت)", en: "Roads" } },
  { key: "lighting", name: { fa: "روشنایی معابر", en: "Street lighting" } },
  { key: "cleaning", name: { fa: "خدمات شهری (پسماند)", en: "Waste & cleaning" } },
  { key: "water", name: { fa: "آب و فاضلاب", en: "Water & sewage" } },
  { key: "parks", name: { fa: "سازمان پارک‌ها و فضای سبز", en: "Parks & green space" } },
  { key: "traffic", name: { fa: "حمل‌ونقل و ترافیک", en: "Traffic" } },
  { key: "animals", name: { fa: "کنترل حیوانات", en: "Animal control" } },
  { key: "urban_planning", name: { fa: "شهرسازی", en: "Urban planning" } },
  { key: "general", name: { fa: "امور عمومی", en: "General affairs" } },
];
