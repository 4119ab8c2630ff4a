/**
 * Street lighting's extra question: crews find the lamp by the number painted on its pole. Optional,
 * since many citizens cannot read it from the street. Also added to existing databases by the
 * migration models/ops/migrations/ (a seeded category is never overwritten).
 */
export const LIGHTING_POLE_NUMBER = {
  code: "pole_number",
  datatype: "string" as const,
  required: false,
  order: 1,
  description: {
    fa: "شماره تیر چراغ (شماره‌ای که روی تیر نوشته شده)",
    en: "Pole number (the number painted on the pole)",
  },
  datatypeDescription: {
    fa: "معمولاً روی یک برچسب یا با رنگ روی بدنه تیر، در ارتفاع چشم نوشته شده است.",
    en: "Usually painted or on a tag at eye level on the pole, e.g. 12-345.",
  },
  values: [],
};

/**
 * Seeded categories. Department keys match the departments seed; SLA hours are the city's targets.
 * `requiresVisit`: Resolve needs an on-site visit first (damage someone must see with their own eyes).
 */
export const DEFAULT_CATEGORIES = [
  {
    key: "road",
    title: { fa: "چاله و خرابی آسفالت", en: "Pothole / road damage" },
    department: "roads",
    slaHours: 72,
    order: 10,
    active: true,
    requiresVisit: true,
  },
  {
    key: "lighting",
    title: { fa: "روشنایی معابر", en: "Street lighting" },
    department: "lighting",
    slaHours: 48,
    order: 20,
    active: true,
    requiresVisit: false,
    attributes: [LIGHTING_POLE_NUMBER],
  },
  {
    key: "garbage",
    title: { fa: "زباله و نظافت", en: "Garbage & cleaning" },
    department: "cleaning",
    slaHours: 24,
    order: 30,
    active: true,
    requiresVisit: false,
  },
  {
    key: "water",
    title: { fa: "نشت آب و فاضلاب", en: "Water / sewage leak" },
    department: "water",
    slaHours: 12,
    order: 40,
    active: true,
    requiresVisit: true,
  },
  {
    key: "green",
    title: { fa: "فضای سبز و درختان", en: "Green space / trees" },
    department: "parks",
    slaHours: 96,
    order: 50,
    active: true,
    requiresVisit: false,
  },
  {
    key: "traffic",
    title: { fa: "علائم و چراغ راهنمایی", en: "Traffic signs & signals" },
    department: "traffic",
    slaHours: 48,
    order: 60,
    active: true,
    requiresVisit: false,
  },
  {
    key: "animals",
    title: { fa: "حیوانات بلاصاحب", en: "Stray animals" },
    department: "animals",
    slaHours: 48,
    order: 70,
    active: true,
    requiresVisit: false,
  },
  {
    key: "building",
    title: { fa: "تخلف ساختمانی", en: "Building / construction violation" },
    department: "urban_planning",
    slaHours: 120,
    order: 80,
    active: true,
    requiresVisit: true,
  },
  {
    key: "other",
    title: { fa: "سایر موارد", en: "Other" },
    department: "general",
    slaHours: 72,
    order: 90,
    active: true,
    requiresVisit: false,
  },
] as const;
