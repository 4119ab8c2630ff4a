/**
 * Seeded categories. Department keys match the departments seed; SLA hours are the city's targets.
 * `requiresVisit`: Resolve needs an on-site visit first (damage someone must see with their own eyes).
 */
export const DEFAULT_CATEGORIES = [
  { key: "road", title: { fa: "چاله و خرابی آسفالت", en: "Pothole / road damage" }, department: "roads", slaHours: 72, order: 10, active: true, requiresVisit: true },
  { key: "lighting", title: { fa: "روشنایی معابر", en: "Street lighting" }, department: "lighting", slaHours: 48, order: 20, active: true, requiresVisit: false },
  { key: "garbage", title: { fa: "زباله و نظافت", en: "Garbage & cleaning" }, department: "cleaning", slaHours: 24, order: 30, active: true, requiresVisit: false },
  { key: "water", title: { fa: "نشت آب و فاضلاب", en: "Water / sewage leak" }, department: "water", slaHours: 12, order: 40, active: true, requiresVisit: true },
  { key: "green", title: { fa: "فضای سبز و درختان", en: "Green space / trees" }, department: "parks", slaHours: 96, order: 50, active: true, requiresVisit: false },
  { key: "traffic", title: { fa: "علائم و چراغ راهنمایی", en: "Traffic signs & signals" }, department: "traffic", slaHours: 48, order: 60, active: true, requiresVisit: false },
  { key: "animals", title: { fa: "حیوانات بلاصاحب", en: "Stray animals" }, department: "animals", slaHours: 48, order: 70, active: true, requiresVisit: false },
  { key: "building", title: { fa: "تخلف ساختمانی", en: "Building / construction violation" }, department: "urban_planning", slaHours: 120, order: 80, active: true, requiresVisit: true },
  { key: "other", title: { fa: "سایر موارد", en: "Other" }, department: "general", slaHours: 72, order: 90, active: true, requiresVisit: false },
] as const;
