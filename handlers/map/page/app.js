/* global L, document, window, fetch, URLSearchParams, Option */
// The public map (/map): open and recently closed reports from the desk's own Open311 API as
// circles coloured by status, the region outlines from /map/regions.json, a category filter.
// Everything comes from this origin (the CSP allows nothing else but the tile host, when one is
// configured). Data from the API is only ever placed as text (textContent, Option), never as HTML.

const API = "/open311/v2";
const DAY_MS = 86_400_000;
/** Open reports of any age: the API's default window is only the last 90 days of filings. */
const OPEN_SINCE = "2000-01-01T00:00:00Z";
/** Closed reports filed within this many days are asked for; those updated within recentDays are kept. */
const CLOSED_FILED_WITHIN_DAYS = 365;
/** The API answers at most this many per call (newest filed first); a full page means ask again, older. */
const API_PAGE = 1000;
/** At most this many pages per status: a desk with more shows its newest. */
const MAX_PAGES = 10;
/** The same colours as map.css's --open / --closed / --region (Leaflet paths take them as options). */
const COLOURS = { open: "#d9480f", closed: "#2b8a3e", region: "#3b5b7a" };

const data = JSON.parse(document.getElementById("map-data").textContent);
const { texts, lang } = data;
const dateFormat = new Intl.DateTimeFormat(lang === "fa" ? "fa-IR-u-ca-persian" : "en-GB-u-ca-gregory", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: data.timeZone || undefined,
});
const numberFormat = new Intl.NumberFormat(lang === "fa" ? "fa-IR" : "en-US");

function setState(state, message) {
  document.body.dataset.state = state;
  document.getElementById("status").textContent = message;
}

async function getJson(path) {
  // The page's language, not the browser's: service names come back in the language shown.
  const res = await fetch(path, { headers: { accept: "application/json", "accept-language": lang } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

/** Every request of one status filed from `start` on, newest first, paging back by requested_datetime. */
async function requestsOf(status, start, now) {
  const out = [];
  let end = new Date(now).toISOString();
  for (let page = 0; page < MAX_PAGES; page++) {
    const params = new URLSearchParams({ status, start_date: start, end_date: end });
    const list = await getJson(`${API}/requests.json?${params}`);
    if (!Array.isArray(list)) break;
    out.push(...list);
    const oldest = Date.parse(list.at(-1)?.requested_datetime ?? "");
    // end_date is exclusive and datetimes are whole seconds: the next page takes the oldest one's
    // second again (duplicates are dropped later); a page that would not move back ends the paging.
    const next = oldest + 1000;
    if (list.length < API_PAGE || !Number.isFinite(next) || next >= Date.parse(end)) break;
    end = new Date(next).toISOString();
  }
  return out;
}

/**
 * Open reports, and closed ones updated (closed, or noted) within recentDays: the API filters on
 * the filing date, so closed ones filed within a year are asked for and kept by updated_datetime.
 */
async function loadRequests(now) {
  const recentFrom = now - data.recentDays * DAY_MS;
  const closedFrom = new Date(now - CLOSED_FILED_WITHIN_DAYS * DAY_MS).toISOString();
  const [open, closed] = await Promise.all([
    requestsOf("open", OPEN_SINCE, now),
    requestsOf("closed", closedFrom, now),
  ]);
  const seen = new Set();
  const keep = (r) => {
    if (!r || typeof r.service_request_id !== "string" || seen.has(r.service_request_id)) return false;
    if (typeof r.lat !== "number" || typeof r.long !== "number") return false;
    if (!Number.isFinite(r.lat) || !Number.isFinite(r.long)) return false;
    seen.add(r.service_request_id);
    return true;
  };
  const recent = (r) => r.status === "closed" && Date.parse(r.updated_datetime) >= recentFrom;
  return [...open.filter((r) => r.status === "open"), ...closed.filter(recent)].filter(keep);
}

function formatDate(iso) {
  const at = Date.parse(iso);
  return Number.isFinite(at) ? dateFormat.format(at) : "";
}

function statusText(status) {
  return status === "open" ? texts.statusOpen : status === "closed" ? texts.statusClosed : String(status);
}

function row(dl, label, value, className) {
  if (!value) return;
  const dt = document.createElement("dt");
  dt.textContent = label;
  const dd = document.createElement("dd");
  dd.textContent = value;
  dd.dir = "auto";
  if (className) dd.className = className;
  dl.append(dt, dd);
}

/** A pin's popup, built from elements: the public note is staff's words and stays text. */
function popupContent(r) {
  const box = document.createElement("div");
  box.className = "popup";
  box.dir = lang === "fa" ? "rtl" : "ltr";
  box.dataset.testid = "popup";
  const dl = document.createElement("dl");
  row(dl, texts.popupCategory, r.service_name || r.service_code);
  row(dl, texts.popupStatus, statusText(r.status), `status-${r.status === "open" ? "open" : "closed"}`);
  row(dl, texts.popupRequested, formatDate(r.requested_datetime));
  if (r.updated_datetime !== r.requested_datetime) row(dl, texts.popupUpdated, formatDate(r.updated_datetime));
  row(dl, texts.popupNote, typeof r.status_notes === "string" ? r.status_notes : "", "note");
  box.append(dl);
  return box;
}

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function createMap() {
  const map = L.map("map", { zoomControl: true, attributionControl: true });
  if (data.tileUrl) {
    // Leaflet writes attributions as HTML: the configured credit is escaped to stay text.
    L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: escapeHtml(data.tileAttribution || "") }).addTo(map);
  }
  return map;
}

function drawRegions(map, outlines) {
  return L.geoJSON(outlines, {
    style: { color: COLOURS.region, weight: 2, fillColor: COLOURS.region, fillOpacity: 0.08 },
    interactive: true,
    onEachFeature(feature, layer) {
      const name = feature.properties?.name;
      const label = document.createElement("span");
      label.textContent = (name && (name[lang] || name.fa || name.en)) || feature.properties?.key || "";
      layer.bindTooltip(label, { sticky: true });
    },
  }).addTo(map);
}

/** The filter's options: the API's services (grouped by department), then any other code a pin has. */
function fillFilter(select, services, requests) {
  const groups = new Map();
  const known = new Set();
  for (const s of Array.isArray(services) ? services : []) {
    if (!s || typeof s.service_code !== "string") continue;
    known.add(s.service_code);
    const group = typeof s.group === "string" ? s.group : "";
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(new Option(s.service_name || s.service_code, s.service_code));
  }
  for (const r of requests) {
    if (known.has(r.service_code)) continue;
    known.add(r.service_code);
    if (!groups.has("")) groups.set("", []);
    groups.get("").push(new Option(r.service_name || r.service_code, r.service_code));
  }
  for (const [group, options] of groups) {
    if (!group) {
      select.append(...options);
      continue;
    }
    const optgroup = document.createElement("optgroup");
    optgroup.label = group;
    optgroup.append(...options);
    select.append(optgroup);
  }
}

function drawPins(layer, requests, code) {
  layer.clearLayers();
  const shown = requests.filter((r) => !code || r.service_code === code);
  for (const r of shown) {
    const status = r.status === "open" ? "open" : "closed";
    const pin = L.circleMarker([r.lat, r.long], {
      radius: 8,
      weight: 2,
      color: "#ffffff",
      fillColor: COLOURS[status],
      fillOpacity: 0.9,
      className: `map-pin map-pin-${status}`,
    });
    pin.bindPopup(() => popupContent(r), { maxWidth: 280 });
    layer.addLayer(pin);
    const el = pin.getElement();
    if (el) {
      el.dataset.status = status;
      el.dataset.service = r.service_code;
      el.dataset.id = r.service_request_id;
    }
  }
  const count = document.getElementById("pin-count");
  count.textContent = numberFormat.format(shown.length);
  count.dataset.count = String(shown.length);
  return shown;
}

function fit(map, regions, pins) {
  const bounds = L.latLngBounds([]);
  if (regions) bounds.extend(regions.getBounds());
  for (const p of pins) bounds.extend([p.lat, p.long]);
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });
  else map.fitBounds(data.area);
}

async function main() {
  const map = createMap();
  const pinLayer = L.layerGroup().addTo(map);
  const [outlines, services, requests] = await Promise.all([
    // Outlines and categories help but are not the data: the pins show without them.
    getJson("/map/regions.json").catch(() => null),
    getJson(`${API}/services.json`).catch(() => []),
    loadRequests(Date.now()),
  ]);
  const regions = outlines ? drawRegions(map, outlines) : null;
  const select = document.getElementById("category");
  fillFilter(select, services, requests);
  const wanted = new URLSearchParams(window.location.search).get("category");
  if (wanted && [...select.options].some((o) => o.value === wanted)) select.value = wanted;
  const redraw = () => {
    const shown = drawPins(pinLayer, requests, select.value);
    setState(shown.length ? "ready" : "empty", shown.length ? "" : texts.empty);
  };
  // The view first: Leaflet adds layers to a map without one only later, and the pins are tagged as they are added.
  fit(map, regions, requests);
  select.addEventListener("change", redraw);
  redraw();
}

main().catch(() => setState("error", texts.error));
