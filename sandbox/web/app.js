// The sandbox chat page: three panes (citizen; staff: the group or the member's private chat with
// the bot; managers group) on one simulated messenger, with a platform switch, an identity switch
// per pane and the page's language.

import { createSimApi, simBaseFromDocument } from "./api.js";
import { ChatPane } from "./chat-pane.js";
import { DEFAULT_AREA } from "./map.js";
import { applyUiText, uiText } from "./ui-text.js";
import { servedTimeZone } from "./clock.js";
import { EMOJI_INSTALL, emojiFontMissingOnPage } from "./emoji-font.js";

/** Everything the sandbox is wired to. The lead's start-up sets STAFF_CHAT_ID / MANAGERS_CHAT_ID to these chat ids. */
export const CONFIG = {
  platforms: ["telegram", "bale"],
  /** The staff and managers groups live on one messenger (the bot's STAFF_PLATFORM); the server says which. */
  staffPlatform: "telegram",
  pollMs: 700,
  /** Messengers whose apps share live locations (Bale's do not). */
  liveLocation: ["telegram"],
  staffChat: { id: -1001370000001, type: "supergroup", title: "137 — Staff" },
  managersChat: { id: -1001370000002, type: "supergroup", title: "137 — Managers" },
  citizens: [
    {
      id: 5001,
      first_name: "Sara",
      last_name: "Ahmadi",
      username: "sara_a",
      language_code: "fa",
      phone: "+989120005001",
    },
    { id: 5002, first_name: "Ali", last_name: "Karimi", language_code: "fa", phone: "+989120005002" },
    {
      id: 5003,
      first_name: "John",
      last_name: "Smith",
      username: "john_s",
      language_code: "en",
      phone: "+989120005003",
    },
  ],
  staff: [
    { id: 900, first_name: "Omid", role: "official", language_code: "fa", phone: "+989120000900" },
    { id: 901, first_name: "Mina", role: "manager", language_code: "fa", phone: "+989120000901" },
    { id: 902, first_name: "Azar", role: "admin", language_code: "fa", phone: "+989120000902" },
  ],
  /** Who sits in which group (managers are in both). */
  staffMembers: [900, 901, 902],
  managerMembers: [901, 902],
};

const STORE_KEY = "citizen137.sandbox";

function readSaved() {
  try {
    return JSON.parse(window.localStorage.getItem(STORE_KEY) ?? "{}") ?? {};
  } catch {
    return {};
  }
}

function loadPrefs() {
  const saved = readSaved();
  // The address bar wins (handy for demos and tests): ?platform=bale&lang=en&citizen=5003&staff=901
  const q = new URLSearchParams(window.location.search);
  const num = (v) => (v === null || v === undefined || v === "" ? undefined : Number(v));
  const prefs = {
    platform: q.get("platform") ?? saved.platform ?? CONFIG.platforms[0],
    // Not kept between visits: the server says where the bot sends staff messages.
    staffPlatform: q.get("staffPlatform") ?? CONFIG.staffPlatform,
    lang: q.get("lang") ?? saved.lang ?? "fa",
    citizen: num(q.get("citizen")) ?? saved.citizen ?? CONFIG.citizens[0].id,
    staff: num(q.get("staff")) ?? saved.staff ?? CONFIG.staff[0].id,
    managers: num(q.get("managers")) ?? saved.managers ?? CONFIG.managerMembers[0],
    /** The staff pane's chat: "group" (the staff group) or "private" (the member's chat with the bot). */
    staffChat: q.get("staffChat") ?? saved.staffChat ?? "group",
  };
  if (!["group", "private"].includes(prefs.staffChat)) prefs.staffChat = "group";
  if (!CONFIG.platforms.includes(prefs.platform)) prefs.platform = CONFIG.platforms[0];
  if (!CONFIG.platforms.includes(prefs.staffPlatform)) prefs.staffPlatform = CONFIG.staffPlatform;
  if (!["fa", "en"].includes(prefs.lang)) prefs.lang = "fa";
  if (!CONFIG.citizens.some((c) => c.id === prefs.citizen)) prefs.citizen = CONFIG.citizens[0].id;
  if (!CONFIG.staff.some((s) => s.id === prefs.staff)) prefs.staff = CONFIG.staff[0].id;
  if (!CONFIG.managerMembers.includes(prefs.managers)) prefs.managers = CONFIG.managerMembers[0];
  return prefs;
}

function savePrefs(prefs) {
  try {
    window.localStorage.setItem(STORE_KEY, JSON.stringify(prefs));
  } catch {
    // private mode: preferences are simply not kept
  }
}

const everyone = () => [...CONFIG.citizens, ...CONFIG.staff];
const person = (id) => everyone().find((p) => p.id === id);

/** Users and the two groups on one platform: upserts, so doing it again after an emulator reset is harmless. */
async function setUpPlatform(api, platform) {
  for (const p of everyone()) {
    const user = { id: p.id, first_name: p.first_name, language_code: p.language_code };
    if (p.last_name) user.last_name = p.last_name;
    if (p.username) user.username = p.username;
    await api.createUser(platform, user);
  }
  await api.createChat(platform, { ...CONFIG.staffChat, members: CONFIG.staffMembers });
  await api.createChat(platform, { ...CONFIG.managersChat, members: CONFIG.managerMembers });
}

async function loadGeo() {
  try {
    const res = await fetch("/regions.json");
    if (!res.ok) throw new Error(String(res.status));
    const data = await res.json();
    return { area: data.area ?? DEFAULT_AREA, regions: Array.isArray(data.regions) ? data.regions : [] };
  } catch {
    return { area: DEFAULT_AREA, regions: [] };
  }
}

/** Without an emoji font every 📍 ✅ 🔎 would be an empty box: say which package fixes it (its text follows the page's language). */
function showEmojiHint(doc) {
  const hint = doc.querySelector('[data-testid="emoji-hint"]');
  if (!hint || !emojiFontMissingOnPage(doc, window.location.search)) return;
  hint.querySelector('[data-testid="emoji-install"]').textContent = EMOJI_INSTALL;
  hint.hidden = false;
}

function main() {
  const api = createSimApi(simBaseFromDocument(document));
  const served = document.querySelector('meta[name="staff-platform"]')?.getAttribute("content");
  if (served && CONFIG.platforms.includes(served)) CONFIG.staffPlatform = served;
  const prefs = loadPrefs();
  let t = uiText(prefs.lang);
  let geo = { area: DEFAULT_AREA, regions: [] };
  const setupDone = new Map();

  /** Runs the platform's set-up once (again when a pane finds its chat gone). */
  function ensureSetup(platform, again = false) {
    if (again || !setupDone.has(platform)) {
      const running = setUpPlatform(api, platform).catch((err) => {
        setupDone.delete(platform);
        throw err;
      });
      setupDone.set(platform, running);
    }
    return setupDone.get(platform);
  }
  // Several panes may find the world reset at once: one set-up serves them all.
  let resetup = null;
  const onChatMissing = () => {
    resetup ??= Promise.all([...new Set([prefs.platform, prefs.staffPlatform])].map((p) => ensureSetup(p, true)))
      .then(() => {
        for (const pane of Object.values(panes)) pane.reload();
      })
      .finally(() => {
        setTimeout(() => (resetup = null), 1000);
      });
    return resetup;
  };

  const paneOpts = {
    api,
    pollMs: CONFIG.pollMs,
    t: () => t,
    locale: () => prefs.lang,
    geo: () => geo,
    nameOf: (id) => {
      const p = person(id);
      return p ? p.first_name : `#${id}`;
    },
    onChatMissing,
    liveLocation: (platform) => CONFIG.liveLocation.includes(platform),
    // The desk's TZ_NAME: message times as the bot's texts date them.
    timeZone: servedTimeZone(document),
  };
  const panes = {
    citizen: new ChatPane(document.querySelector('[data-testid="pane-citizen"]'), paneOpts),
    staff: new ChatPane(document.querySelector('[data-testid="pane-staff"]'), paneOpts),
    managers: new ChatPane(document.querySelector('[data-testid="pane-managers"]'), paneOpts),
  };

  const platformSelect = document.querySelector('[data-testid="platform-select"]');
  const staffPlatformSelect = document.querySelector('[data-testid="staff-platform-select"]');
  const langToggle = document.querySelector('[data-testid="lang-toggle"]');
  const status = document.querySelector('[data-testid="page-status"]');
  const selects = {
    citizen: document.querySelector('[data-testid="pane-citizen"] [data-testid="identity-select"]'),
    staff: document.querySelector('[data-testid="pane-staff"] [data-testid="identity-select"]'),
    managers: document.querySelector('[data-testid="pane-managers"] [data-testid="identity-select"]'),
  };

  function fillSelects() {
    platformSelect.replaceChildren(...CONFIG.platforms.map((p) => new Option(t(p), p, false, p === prefs.platform)));
    staffPlatformSelect.replaceChildren(
      ...CONFIG.platforms.map((p) => new Option(t(p), p, false, p === prefs.staffPlatform)),
    );
    const label = (p) =>
      `${p.first_name} · ${p.id} · ${t(`role_${p.role ?? "citizen"}`)}${p.role ? "" : ` · ${p.language_code}`}`;
    selects.citizen.replaceChildren(
      ...CONFIG.citizens.map((p) => new Option(label(p), String(p.id), false, p.id === prefs.citizen)),
    );
    selects.staff.replaceChildren(
      ...CONFIG.staff
        .filter((p) => CONFIG.staffMembers.includes(p.id))
        .map((p) => new Option(label(p), String(p.id), false, p.id === prefs.staff)),
    );
    selects.managers.replaceChildren(
      ...CONFIG.staff
        .filter((p) => CONFIG.managerMembers.includes(p.id))
        .map((p) => new Option(label(p), String(p.id), false, p.id === prefs.managers)),
    );
  }

  function applyLanguage() {
    t = uiText(prefs.lang);
    document.documentElement.lang = prefs.lang;
    document.documentElement.dir = prefs.lang === "fa" ? "rtl" : "ltr";
    document.title = t("title");
    applyUiText(document, t);
    fillSelects();
    for (const pane of Object.values(panes)) pane.relabel();
  }

  function target(role) {
    if (role === "citizen")
      return { platform: prefs.platform, chatId: prefs.citizen, me: person(prefs.citizen), group: false };
    const platform = prefs.staffPlatform;
    if (role === "staff")
      return {
        platform,
        chatId: staffChatId(prefs.staffChat),
        me: person(prefs.staff),
        group: prefs.staffChat === "group",
      };
    return { platform, chatId: CONFIG.managersChat.id, me: person(prefs.managers), group: true };
  }

  // The staff pane's two chats: the tabs switch them, a dot on the hidden one says the bot wrote
  // there (e.g. a field-visit invitation arrives in private while the group is shown).
  const chatTabs = [...document.querySelectorAll('[data-testid="pane-staff"] [data-testid="chat-tab"]')];
  const staffChatId = (which) => (which === "private" ? prefs.staff : CONFIG.staffChat.id);
  /** "platform:chatId" → the transcript seq already looked at. */
  const seen = new Map();
  const seenKey = (which) => `${prefs.staffPlatform}:${staffChatId(which)}`;

  function renderTabs() {
    for (const tab of chatTabs) {
      const shown = tab.dataset.chat === prefs.staffChat;
      tab.setAttribute("aria-pressed", String(shown));
      if (shown) tab.removeAttribute("data-unread");
    }
  }

  async function peekHiddenChat() {
    const hidden = prefs.staffChat === "group" ? "private" : "group";
    const key = seenKey(hidden);
    let data;
    try {
      data = await api.transcript(prefs.staffPlatform, staffChatId(hidden), seen.get(key) ?? 0);
    } catch {
      return; // the panes show that the emulator is away
    }
    if (seenKey(hidden) !== key || prefs.staffChat === hidden) return; // switched meanwhile
    const botWrote = seen.has(key) && (data?.items ?? []).some((i) => i.kind === "message" && i.from === "bot");
    seen.set(key, Number(data?.seq) || 0);
    if (botWrote) chatTabs.find((tab) => tab.dataset.chat === hidden)?.setAttribute("data-unread", "");
  }

  async function watchHiddenChat() {
    for (;;) {
      if (document.body.hasAttribute("data-ready")) await peekHiddenChat();
      await new Promise((r) => setTimeout(r, CONFIG.pollMs));
    }
  }

  for (const tab of chatTabs) {
    tab.addEventListener("click", () => {
      if (tab.dataset.chat === prefs.staffChat) return;
      // What the pane showed of the chat it leaves counts as read.
      seen.set(seenKey(prefs.staffChat), Math.max(seen.get(seenKey(prefs.staffChat)) ?? 0, panes.staff.seq));
      prefs.staffChat = tab.dataset.chat;
      savePrefs(prefs);
      renderTabs();
      panes.staff.setTarget(target("staff"));
    });
  }

  let connecting = 0;
  async function connect() {
    const attempt = ++connecting;
    document.body.setAttribute("data-platform", prefs.platform);
    document.body.removeAttribute("data-ready");
    status.textContent = "…";
    const platforms = [...new Set([prefs.platform, prefs.staffPlatform])];
    for (;;) {
      try {
        await Promise.all(platforms.map((p) => ensureSetup(p)));
        break;
      } catch (err) {
        if (attempt !== connecting) return;
        status.textContent = `${t("offline")} (${err.message})`;
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
    if (attempt !== connecting) return;
    status.textContent = "";
    for (const role of Object.keys(panes)) panes[role].setTarget(target(role));
    // Tests wait for this: users and chats exist and every pane is polling.
    document.body.setAttribute("data-ready", `${prefs.platform}+${prefs.staffPlatform}`);
  }

  platformSelect.addEventListener("change", () => {
    prefs.platform = platformSelect.value;
    savePrefs(prefs);
    void connect();
  });
  staffPlatformSelect.addEventListener("change", () => {
    prefs.staffPlatform = staffPlatformSelect.value;
    savePrefs(prefs);
    void connect();
  });
  langToggle.addEventListener("click", () => {
    prefs.lang = prefs.lang === "fa" ? "en" : "fa";
    savePrefs(prefs);
    applyLanguage();
  });
  for (const role of Object.keys(selects)) {
    selects[role].addEventListener("change", () => {
      prefs[role] = Number(selects[role].value);
      savePrefs(prefs);
      panes[role].setTarget(target(role));
    });
  }

  applyLanguage();
  showEmojiHint(document);
  renderTabs();
  void watchHiddenChat();
  void loadGeo().then((g) => {
    geo = g;
    for (const pane of Object.values(panes)) pane.relabel();
    return connect();
  });
}

main();
