// One chat as a messenger client draws it: the transcript (polled from the emulator), inline and
// reply keyboards, force-reply prompts, and an input row (text, photo, location (live ones too),
// contact). The same component shows the private chats (citizens', staff members') and the groups.

import { mentionsIn, messageNodes, nodesToDom, plainText, textDirection } from "./bot-html.js";
import { drawMap, formatLatLon, insideArea, parseLatLon, regionAt, regionName } from "./map.js";
import { applyUiText } from "./ui-text.js";
import { formatTime } from "./clock.js";

/** Small element builder: attrs holds attributes, plus `text` for textContent and `on` for listeners. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k === "on") for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

const ICONS = {
  camera: [
    "M4 7h3l2-2h6l2 2h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z",
    "M12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z",
  ],
  pin: [
    "M12 21s6.5-6.6 6.5-11.5a6.5 6.5 0 0 0-13 0C5.5 14.4 12 21 12 21z",
    "M12 12a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z",
  ],
  phone: ["M5 4h3.5l1.5 4-2 1.5a11 11 0 0 0 6.5 6.5l1.5-2 4 1.5V19a1 1 0 0 1-1 1A16 16 0 0 1 4 5a1 1 0 0 1 1-1z"],
  keyboard: [
    "M3 6h18a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1z",
    "M6 10h1M10 10h1M14 10h1M18 10h.5M7 14h10",
  ],
  reply: ["M10 8V4l-7 7 7 7v-4c5 0 8.5 1.5 11 5-1-5-4-10-11-11z"],
};

/** A small stroked SVG icon (no emoji font needed for the page's own buttons). */
function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", `icon icon-${name}`);
  svg.setAttribute("aria-hidden", "true");
  for (const d of ICONS[name]) {
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

const STATE_FIELDS = ["text", "caption", "entities", "caption_entities", "parse_mode", "location"];

/** Telegram's live-location choices (seconds; 0x7FFFFFFF = until turned off); 0 = a one-off location. */
const LIVE_FOREVER = 0x7fffffff;
const LIVE_PERIODS = [0, 900, 3600, 28800, LIVE_FOREVER];

/** A keyboard button's label whatever its shape (a string or a KeyboardButton object). */
const buttonText = (b) => (typeof b === "string" ? b : (b?.text ?? ""));

function shorten(s, n) {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

export class ChatPane {
  /**
   * opts: { api, pollMs, t(): translator, locale(): "fa"|"en", geo(): { area, regions },
   *         nameOf(userId): string, onChatMissing(): Promise<void> (creates users and chats again),
   *         liveLocation(platform): boolean (its apps can share a live location) }
   */
  constructor(root, opts) {
    this.root = root;
    this.opts = opts;
    this.target = null;
    this.gen = 0;
    this.resetState();
    this.build();
  }

  resetState() {
    this.seq = 0;
    this.first = true;
    this.messages = new Map();
    this.order = [];
    this.keyboardId = null;
    this.keyboardCollapsed = false;
    this.replyTo = null;
    this.replyManual = false;
    this.kicked = false;
    this.online = true;
    this.offlineWhy = "";
  }

  get t() {
    return this.opts.t();
  }

  // ---------------------------------------------------------------- layout

  build() {
    const t = this.t;
    this.transcript = el("div", { class: "transcript", "data-testid": "transcript", "aria-live": "polite" });
    this.empty = el("div", { class: "empty", "data-testid": "empty" });
    this.transcript.append(this.empty);
    // Follows new messages while the reader is at the bottom; scrolling up to read stops that.
    this.stuck = true;
    this.transcript.addEventListener("scroll", () => {
      const t = this.transcript;
      this.stuck = t.scrollHeight - t.scrollTop - t.clientHeight < 60;
    });
    new ResizeObserver(() => this.followEnd()).observe(this.transcript);
    this.toastEl = el("div", { class: "toast", "data-testid": "toast", role: "status", hidden: true });
    this.alertText = el("p", { dir: "auto" });
    this.alertEl = el(
      "div",
      { class: "alert-overlay", "data-testid": "alert", hidden: true, role: "alertdialog" },
      el(
        "div",
        { class: "alert-box" },
        this.alertText,
        el("button", {
          type: "button",
          "data-ui": "ok",
          "data-testid": "alert-ok",
          text: t("ok"),
          on: { click: () => (this.alertEl.hidden = true) },
        }),
      ),
    );

    this.replyChip = el("div", { class: "reply-chip", "data-testid": "reply-chip", hidden: true });
    this.replyKeyboard = el("div", { class: "reply-keyboard", "data-testid": "reply-keyboard", hidden: true });
    this.keyboardToggle = el(
      "button",
      {
        type: "button",
        class: "keyboard-toggle",
        "data-testid": "keyboard-toggle",
        "data-ui-title": "keyboard",
        title: t("keyboard"),
        hidden: true,
        on: { click: () => this.setKeyboardCollapsed(!this.keyboardCollapsed) },
      },
      icon("keyboard"),
    );

    this.buildPicker();

    this.photoInput = el("input", {
      type: "file",
      accept: "image/*",
      multiple: true,
      class: "visually-hidden",
      "data-testid": "photo-input",
      on: { change: () => void this.sendPhotos() },
    });
    this.input = el("textarea", {
      rows: 1,
      dir: "auto",
      class: "text-input",
      "data-testid": "text-input",
      "data-ui-placeholder": "placeholder",
      placeholder: t("placeholder"),
    });
    this.input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        void this.sendText();
      }
    });
    const row = el(
      "div",
      { class: "input-row" },
      el(
        "label",
        { class: "icon-btn", "data-testid": "photo-button", "data-ui-title": "photoTitle", title: t("photoTitle") },
        icon("camera"),
        this.photoInput,
      ),
      el(
        "button",
        {
          type: "button",
          class: "icon-btn",
          "data-testid": "location-button",
          "data-ui-title": "locationTitle",
          title: t("locationTitle"),
          on: { click: () => this.togglePicker(this.picker.hidden, { live: true }) },
        },
        icon("pin"),
      ),
      el(
        "button",
        {
          type: "button",
          class: "icon-btn",
          "data-testid": "contact-button",
          "data-ui-title": "contactTitle",
          title: t("contactTitle"),
          on: { click: () => void this.sendContact() },
        },
        icon("phone"),
      ),
      this.input,
      this.keyboardToggle,
      el("button", {
        type: "button",
        class: "send-btn",
        "data-testid": "send-button",
        "data-ui": "send",
        text: t("send"),
        on: { click: () => void this.sendText() },
      }),
    );
    this.statusEl = el("div", { class: "pane-status", "data-testid": "pane-status" });
    const composer = el(
      "div",
      { class: "composer" },
      this.replyChip,
      this.picker,
      this.replyKeyboard,
      row,
      this.statusEl,
    );
    this.root.append(el("div", { class: "pane-body" }, this.transcript, this.toastEl, this.alertEl), composer);
  }

  buildPicker() {
    const t = this.t;
    this.mapHolder = el("div", { class: "map-holder" });
    this.latLonInput = el("input", {
      type: "text",
      dir: "ltr",
      inputmode: "decimal",
      class: "latlon-input",
      "data-testid": "latlon-input",
      "data-ui-placeholder": "latLon",
      placeholder: t("latLon"),
    });
    this.latLonInput.addEventListener("input", () => this.pickFromText());
    this.latLonInput.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();
        void this.sendPickedLocation();
      }
    });
    this.pickInfo = el("span", { class: "pick-info", "data-testid": "pick-info", dir: "auto" });
    this.pickSend = el("button", {
      type: "button",
      class: "send-btn",
      "data-testid": "location-send",
      "data-ui": "sendLocation",
      text: t("sendLocation"),
      disabled: true,
      on: { click: () => void this.sendPickedLocation() },
    });
    // Telegram's attachment menu also shares a live location; the request_location button never does.
    this.liveSelect = el("select", {
      class: "live-select",
      "data-testid": "live-select",
      "data-ui-title": "liveChoice",
      title: t("liveChoice"),
      hidden: true,
    });
    this.pickHint = el("p", { class: "pick-hint", "data-ui": "pickHint", text: t("pickHint") });
    this.picker = el(
      "div",
      { class: "picker", "data-testid": "location-picker", hidden: true },
      this.pickHint,
      this.mapHolder,
      el(
        "div",
        { class: "pick-row" },
        this.latLonInput,
        this.pickInfo,
        this.liveSelect,
        this.pickSend,
        el("button", {
          type: "button",
          "data-testid": "location-cancel",
          "data-ui": "cancel",
          text: t("cancel"),
          on: { click: () => this.togglePicker(false) },
        }),
      ),
    );
    this.picked = null;
    /** live: the live-location choice is offered; moveId: the picker moves that live location instead. */
    this.pickerMode = { live: false, moveId: null };
  }

  /** The picker's words and the live choice for its mode (labels follow the page's language). */
  renderPickerMode() {
    const t = this.t;
    const { live, moveId } = this.pickerMode;
    const moving = moveId !== null;
    this.pickHint.setAttribute("data-ui", moving ? "moveHint" : "pickHint");
    this.pickHint.textContent = t(moving ? "moveHint" : "pickHint");
    this.pickSend.setAttribute("data-ui", moving ? "moveLocation" : "sendLocation");
    this.pickSend.textContent = t(moving ? "moveLocation" : "sendLocation");
    const offered = live && !moving && Boolean(this.target && this.opts.liveLocation?.(this.target.platform));
    const chosen = offered ? this.liveSelect.value : "0";
    this.liveSelect.replaceChildren(
      ...LIVE_PERIODS.map(
        (p) => new Option(t(p === 0 ? "liveOff" : `live${p}`), String(p), false, String(p) === chosen),
      ),
    );
    this.liveSelect.hidden = !offered;
  }

  drawPickerMap() {
    const { area, regions } = this.opts.geo();
    const map = drawMap(document, {
      regions,
      area,
      width: 480,
      locale: this.opts.locale(),
      labels: true,
      onPick: (lat, lon) => this.setPicked({ lat, lon }, true),
    });
    map.svg.setAttribute("data-testid", "map");
    this.pickerMap = map;
    this.mapHolder.replaceChildren(map.svg);
    if (this.picked) map.setMarker(this.picked.lat, this.picked.lon);
  }

  // ---------------------------------------------------------------- who and where

  /** target: { platform, chatId, me: { id, first_name, phone }, group: boolean } */
  setTarget(target) {
    const same =
      this.target && target && this.target.platform === target.platform && this.target.chatId === target.chatId;
    const meChanged = !this.target || this.target.me.id !== target.me.id;
    this.target = target;
    this.root.setAttribute("data-chat-id", String(target.chatId));
    this.root.setAttribute("data-user-id", String(target.me.id));
    if (same) {
      // Same chat, another member typing: only "whom the bot is asking" changes.
      if (meChanged) {
        this.replyManual = false;
        this.replyTo = null;
        // "Mine" (drawn on the other side) is someone else's now.
        for (const id of this.order) this.renderMessage(id);
        this.afterBatch();
      }
      return;
    }
    this.gen++;
    this.resetState();
    this.transcript.replaceChildren(this.empty);
    this.stuck = true;
    this.togglePicker(false);
    this.renderChrome();
    void this.run(this.gen);
  }

  stop() {
    this.gen++;
    this.wake?.();
  }

  /** Page language changed: relabel the chrome, redraw messages (flags, times) and the map. */
  relabel() {
    applyUiText(this.root, this.t);
    for (const id of this.order) this.renderMessage(id);
    this.renderChrome();
    this.renderPickerMode();
    if (!this.picker.hidden) this.drawPickerMap();
  }

  // ---------------------------------------------------------------- polling

  async run(gen) {
    while (gen === this.gen) {
      await this.poll(gen);
      if (gen !== this.gen) return;
      await new Promise((resolve) => {
        if (this.kicked) {
          this.kicked = false;
          resolve();
          return;
        }
        const timer = setTimeout(resolve, this.opts.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Poll now (after a send or a press) instead of at the next tick. */
  kick() {
    if (this.wake) this.wake();
    else this.kicked = true;
  }

  async poll(gen) {
    const { platform, chatId } = this.target;
    let data;
    try {
      data = await this.opts.api.transcript(platform, chatId, this.seq);
    } catch (err) {
      if (gen !== this.gen) return;
      // A network error: the emulator is away. A refusal (e.g. no bot for this platform) says why.
      this.setOnline(false, err.status ? err.message : "");
      return;
    }
    if (gen !== this.gen) return;
    this.setOnline(true);
    const items = Array.isArray(data?.items) ? data.items : [];
    const live = !this.first;
    this.first = false;
    const edited = new Set();
    for (const item of items) {
      this.seq = Math.max(this.seq, Number(item.seq) || 0);
      this.applyItem(item, live, edited);
    }
    this.seq = Math.max(this.seq, Number(data?.seq) || 0);
    if (edited.size > 0) await this.reconcile(gen, edited);
    if (gen !== this.gen) return;
    if (items.length > 0 || live === false) this.afterBatch();
  }

  applyItem(item, live, edited) {
    const id = item.message_id;
    switch (item.kind) {
      case "message": {
        if (this.messages.has(id)) return;
        this.messages.set(id, { state: { ...item }, el: null });
        this.order.push(id);
        this.renderMessage(id);
        return;
      }
      case "edit": {
        const rec = this.messages.get(id);
        if (!rec) return;
        // A live location moving is an edit too, but clients do not mark it "edited".
        const patch = { edited: Boolean(rec.state.edited) || !item.location?.live_period };
        for (const k of STATE_FIELDS) if (item[k] !== undefined) patch[k] = item[k];
        // An edit without a keyboard removes it, as in Telegram.
        patch.reply_markup = item.reply_markup;
        if (item.photo) patch.photo = item.photo;
        rec.state = { ...rec.state, ...patch };
        edited.add(id);
        this.renderMessage(id);
        return;
      }
      case "delete": {
        const rec = this.messages.get(id);
        if (!rec) return;
        rec.state = { ...rec.state, deleted: true };
        this.renderMessage(id);
        return;
      }
      case "callback_answer": {
        const alert = item.alert ?? {};
        const text = alert.text ?? item.text ?? "";
        if (!text) return;
        const showAlert = Boolean(alert.show_alert ?? item.show_alert);
        this.appendEvent(text, showAlert);
        const mine = item.user_id === undefined || item.user_id === this.target.me.id;
        if (live && mine) {
          if (showAlert) this.showAlert(text);
          else this.toast(text);
        }
        return;
      }
      default:
        return;
    }
  }

  /** An edit item may carry only what changed: the emulator's current state of each message settles it. */
  async reconcile(gen, ids) {
    let data;
    try {
      data = await this.opts.api.messages(this.target.platform, this.target.chatId);
    } catch {
      return;
    }
    if (gen !== this.gen) return;
    for (const m of data?.messages ?? []) {
      const id = m.message_id;
      const rec = this.messages.get(id);
      if (!rec || !ids.has(id)) continue;
      const next = { ...rec.state };
      for (const k of STATE_FIELDS) next[k] = m[k];
      // Kept as sent (HTML source + parse_mode) or parsed (text + entities): never lose the mode.
      if (next.parse_mode === undefined && !m.entities && !m.caption_entities) next.parse_mode = rec.state.parse_mode;
      next.reply_markup = m.reply_markup;
      rec.state = next;
      this.renderMessage(id);
    }
  }

  setOnline(online, why = "") {
    if (online === this.online && why === this.offlineWhy) return;
    this.online = online;
    this.offlineWhy = why;
    this.renderChrome();
  }

  /** Forgets what is drawn and reads the chat again from the start (after an emulator reset). */
  reload() {
    this.gen++;
    this.wake?.();
    this.resetState();
    this.transcript.replaceChildren(this.empty);
    this.stuck = true;
    this.renderChrome();
    void this.run(this.gen);
  }

  /**
   * Runs a /sim call; when the emulator no longer knows the user or chat (it was reset), the page
   * creates them again (and every pane rereads its chat), then tries once more.
   */
  async withSetup(call) {
    try {
      return await call();
    } catch (err) {
      if (!(err.status === 400 && /unknown (user|chat)/.test(err.message))) throw err;
      await this.opts.onChatMissing();
      return call();
    }
  }

  // ---------------------------------------------------------------- rendering

  followEnd() {
    if (this.stuck) this.transcript.scrollTop = this.transcript.scrollHeight;
  }

  isMine(state) {
    return state.from === "user" && state.user_id === this.target.me.id;
  }

  senderName(state) {
    if (state.from === "bot") return this.t("bot");
    return this.opts.nameOf(state.user_id);
  }

  renderMessage(id) {
    const rec = this.messages.get(id);
    if (!rec) return;
    const s = rec.state;
    const t = this.t;
    const cls = [
      "msg",
      this.isMine(s) ? "out" : "in",
      s.from === "bot" ? "bot" : "user",
      s.deleted ? "deleted" : "",
      s.edited ? "edited" : "",
    ]
      .filter(Boolean)
      .join(" ");
    const node = el("div", {
      class: cls,
      "data-testid": "message",
      "data-message-id": id,
      "data-from": s.from,
      "data-user-id": s.user_id,
    });
    if (this.target.group) node.append(el("div", { class: "sender", dir: "auto", text: this.senderName(s) }));
    if (s.reply_to_message_id !== undefined && s.reply_to_message_id !== null)
      node.append(this.quote(s.reply_to_message_id));
    const photo = this.photoOf(s);
    if (photo) {
      node.append(
        el("img", {
          class: "photo",
          "data-testid": "message-photo",
          alt: "",
          loading: "lazy",
          src: this.opts.api.fileUrl(this.target.platform, photo),
        }),
      );
    }
    const venue = s.venue;
    // A venue comes flat ({ latitude, longitude, title, address }) or Telegram-shaped ({ location, … }).
    const loc = venue ? (venue.location ?? venue) : s.location;
    if (loc) node.append(this.geoBlock(loc.latitude, loc.longitude, venue, venue ? null : this.liveOf(id, s)));
    if (s.contact) {
      const who = [s.contact.first_name, s.contact.last_name].filter(Boolean).join(" ");
      node.append(
        el(
          "div",
          { class: "contact", "data-testid": "message-contact" },
          icon("phone"),
          el("span", { dir: "auto", text: `${t("contactMsg")}: ${who}` }),
          el("bdi", { dir: "ltr", text: s.contact.phone_number ?? "" }),
        ),
      );
    }
    if (s.document) {
      const name = s.document.file_name ?? t("document");
      node.append(
        el("a", {
          class: "document",
          href: this.opts.api.fileUrl(this.target.platform, s.document.file_id),
          target: "_blank",
          rel: "noopener",
          text: `📄 ${name}`,
        }),
      );
    }
    if (s.sticker) node.append(el("div", { class: "sticker", text: `🏷 ${t("sticker")}` }));
    const nodes = messageNodes(s);
    if (nodes.length > 0) {
      const body = el("div", { class: "text", dir: textDirection(plainText(nodes)), "data-testid": "message-text" });
      body.append(nodesToDom(nodes, document));
      node.append(body);
    }
    const kb = s.reply_markup?.inline_keyboard;
    if (Array.isArray(kb) && kb.length > 0 && !s.deleted) node.append(this.inlineKeyboard(id, kb));
    node.append(
      el(
        "div",
        { class: "meta" },
        s.deleted ? el("span", { class: "flag", text: t("deleted") }) : null,
        s.edited && !s.deleted ? el("span", { class: "flag", text: t("edited") }) : null,
        el("span", { class: "time", text: this.time(s.date) }),
        s.deleted
          ? null
          : el(
              "button",
              {
                type: "button",
                class: "reply-btn",
                "data-testid": "reply-to",
                title: t("reply"),
                on: { click: () => this.setReplyTo(id, true) },
              },
              icon("reply"),
            ),
      ),
    );
    if (rec.el) rec.el.replaceWith(node);
    else this.transcript.append(node);
    rec.el = node;
    // Photos change the height when they arrive.
    for (const img of node.querySelectorAll("img"))
      img.addEventListener("load", () => this.followEnd(), { once: true });
  }

  photoOf(s) {
    const p = s.photo;
    if (!p) return null;
    if (Array.isArray(p)) return p[p.length - 1]?.file_id ?? null;
    return p.file_id ?? null;
  }

  quote(replyId) {
    const rec = this.messages.get(replyId);
    let text = "…";
    if (rec) {
      const s = rec.state;
      const plain = plainText(messageNodes(s));
      text = plain
        ? shorten(plain, 80)
        : this.photoOf(s)
          ? "📷"
          : s.location || s.venue
            ? "📍"
            : s.contact
              ? "📞"
              : "…";
    }
    return el("div", { class: "quote", dir: textDirection(text), "data-reply-to": replyId, text });
  }

  /** A live location's period and whether the current identity may still move it (null: a one-off location). */
  liveOf(id, s) {
    const period = Number(s.location?.live_period) || 0;
    if (!period) return null;
    const ends = period === LIVE_FOREVER ? Infinity : Number(s.date) + period;
    const running = ends > Date.now() / 1000;
    return { id, period, ends, running, movable: running && this.isMine(s) && !s.deleted };
  }

  geoBlock(lat, lon, venue, live) {
    const { area, regions } = this.opts.geo();
    const region = regionAt(regions, lat, lon);
    const where = region
      ? regionName(region, this.opts.locale())
      : insideArea(area, lat, lon)
        ? ""
        : this.t("outsideArea");
    const mini = drawMap(document, {
      regions,
      area,
      width: 160,
      locale: this.opts.locale(),
      marker: { lat, lon },
      markerRadius: 5,
    });
    mini.svg.classList.add("mini-map");
    const label = el(
      "div",
      { class: "geo-label" },
      icon("pin"),
      venue?.title ? el("b", { dir: "auto", text: venue.title }) : null,
      venue?.address ? el("span", { dir: "auto", text: venue.address }) : null,
      // Coordinates are isolated left-to-right, whatever the page's direction.
      el("bdi", { dir: "ltr", class: "coords", text: formatLatLon(lat, lon) }),
      where ? el("span", { dir: "auto", class: "region", text: where }) : null,
    );
    const t = this.t;
    const liveRow = live
      ? el(
          "div",
          { class: "live-row", "data-testid": "live-location" },
          el("span", { class: "live-badge", text: `📡 ${t("liveLocation")}` }),
          el("span", {
            class: "live-until",
            text:
              live.period === LIVE_FOREVER
                ? t("liveForever")
                : live.running
                  ? `${t("liveUntil")} ${this.time(live.ends)}`
                  : t("liveEnded"),
          }),
          live.movable
            ? el("button", {
                type: "button",
                class: "live-move",
                "data-testid": "live-move",
                title: t("liveMoveTitle"),
                text: t("liveMove"),
                on: { click: () => this.togglePicker(true, { moveId: live.id, from: { lat, lon } }) },
              })
            : null,
        )
      : null;
    return el(
      "div",
      {
        class: `geo${live ? " live" : ""}`,
        "data-testid": "message-location",
        "data-lat": lat,
        "data-lon": lon,
        "data-live-period": live?.period,
      },
      label,
      liveRow,
      mini.svg,
    );
  }

  inlineKeyboard(messageId, rows) {
    const box = el("div", { class: "inline-kb", "data-testid": "inline-keyboard" });
    for (const row of rows) {
      const r = el("div", { class: "kb-row" });
      for (const b of row) {
        if (b.url) {
          r.append(
            el("a", {
              class: "kb-btn",
              href: /^https?:\/\//i.test(b.url) ? b.url : "#",
              target: "_blank",
              rel: "noopener noreferrer",
              dir: "auto",
              "data-testid": "inline-button",
              text: `${b.text} ↗`,
            }),
          );
          continue;
        }
        const btn = el("button", {
          type: "button",
          class: "kb-btn",
          dir: "auto",
          "data-testid": "inline-button",
          "data-callback": b.callback_data,
          text: b.text,
          disabled: b.callback_data === undefined,
        });
        btn.addEventListener("click", () => void this.press(messageId, b.callback_data, btn));
        r.append(btn);
      }
      box.append(r);
    }
    return box;
  }

  appendEvent(text, showAlert) {
    this.transcript.append(
      el("div", {
        class: `event${showAlert ? " alert" : ""}`,
        "data-testid": "callback-answer",
        dir: textDirection(text),
        text,
      }),
    );
  }

  time(date) {
    return formatTime(date, this.opts.locale(), this.opts.timeZone);
  }

  /** The empty state, the online line, the reply chip and the reply keyboard. */
  renderChrome() {
    const t = this.t;
    if (!this.target) return;
    this.empty.replaceChildren(el("p", { text: this.target.group ? t("groupEmpty") : t("startHint") }));
    if (!this.target.group) {
      this.empty.append(
        el("button", {
          type: "button",
          class: "start-btn",
          "data-testid": "start-button",
          text: t("start"),
          on: { click: () => void this.send({ text: "/start" }) },
        }),
      );
    }
    this.empty.hidden = this.order.length > 0;
    this.statusEl.textContent = this.online ? `${t("chatId")} ${this.target.chatId}` : this.offlineWhy || t("offline");
    this.statusEl.classList.toggle("offline", !this.online);
    this.renderReplyChip();
    this.renderReplyKeyboard();
  }

  afterBatch() {
    this.empty.hidden = this.order.length > 0;
    this.updateKeyboard();
    this.updateForceReply();
    this.renderChrome();
    this.followEnd();
  }

  // ---------------------------------------------------------------- reply keyboard

  /** The keyboard on screen is the last one a bot message set (remove_keyboard clears it). */
  updateKeyboard() {
    let id = null;
    for (const mid of this.order) {
      const s = this.messages.get(mid).state;
      if (s.from !== "bot") continue;
      const rm = s.reply_markup;
      if (rm?.keyboard) id = mid;
      else if (rm?.remove_keyboard) id = null;
    }
    if (id !== this.keyboardId) {
      this.keyboardId = id;
      this.keyboardCollapsed = false;
    }
  }

  currentKeyboard() {
    return this.keyboardId === null ? null : (this.messages.get(this.keyboardId)?.state.reply_markup ?? null);
  }

  setKeyboardCollapsed(collapsed) {
    this.keyboardCollapsed = collapsed;
    this.renderReplyKeyboard();
  }

  renderReplyKeyboard() {
    const kb = this.currentKeyboard();
    this.keyboardToggle.hidden = !kb;
    this.replyKeyboard.hidden = !kb || this.keyboardCollapsed;
    this.replyKeyboard.replaceChildren();
    if (!kb) return;
    for (const row of kb.keyboard) {
      const r = el("div", { class: "kb-row" });
      for (const b of row) {
        const label = buttonText(b);
        const kind = b?.request_location ? "location" : b?.request_contact ? "contact" : "text";
        r.append(
          el("button", {
            type: "button",
            class: `kb-btn reply-kb-${kind}`,
            dir: "auto",
            "data-testid": "reply-button",
            "data-kind": kind,
            text: label,
            on: { click: () => void this.pressReplyButton(b, kb) },
          }),
        );
      }
      this.replyKeyboard.append(r);
    }
  }

  async pressReplyButton(button, kb) {
    if (kb.one_time_keyboard) this.setKeyboardCollapsed(true);
    if (button?.request_location) {
      // A one-off current location, as the button sends on Telegram and Bale.
      this.togglePicker(true, { live: false });
      return;
    }
    if (button?.request_contact) {
      await this.sendContact();
      return;
    }
    await this.send({ text: buttonText(button) });
  }

  // ---------------------------------------------------------------- replies (force-reply prompts)

  /** Is this bot message asking the current identity (a selective prompt names whom it asks)? */
  addressedToMe(s) {
    const me = this.target.me.id;
    if (!s.reply_markup?.selective) return true;
    const mentions = mentionsIn(messageNodes(s));
    if (mentions.includes(me)) return true;
    const replied = s.reply_to_message_id !== undefined ? this.messages.get(s.reply_to_message_id)?.state : null;
    if (replied) return replied.user_id === me;
    return mentions.length === 0;
  }

  /** The latest force-reply prompt to this identity that they have not answered yet becomes the reply target. */
  updateForceReply() {
    if (this.replyManual) return;
    let target = null;
    for (let i = this.order.length - 1; i >= 0; i--) {
      const id = this.order[i];
      const s = this.messages.get(id).state;
      if (s.deleted) continue;
      if (this.isMine(s)) break;
      if (s.from === "bot" && s.reply_markup?.force_reply && this.addressedToMe(s)) {
        target = id;
        break;
      }
    }
    this.replyTo = target;
  }

  setReplyTo(id, manual) {
    this.replyTo = id;
    this.replyManual = manual && id !== null;
    this.renderReplyChip();
    if (id !== null) this.input.focus();
  }

  renderReplyChip() {
    const id = this.replyTo;
    this.replyChip.hidden = id === null;
    this.replyChip.replaceChildren();
    if (id === null) return;
    this.replyChip.setAttribute("data-reply-to", String(id));
    this.replyChip.append(
      el("span", { class: "chip-label", text: `↩ ${this.t("replyingTo")}` }),
      this.quote(id),
      el("button", {
        type: "button",
        class: "chip-close",
        title: this.t("cancelReply"),
        text: "✕",
        on: { click: () => this.setReplyTo(null, true) },
      }),
    );
  }

  // ---------------------------------------------------------------- sending

  async send(payload) {
    const { platform, chatId, me } = this.target;
    const body = { from: me.id, chat: chatId, ...payload };
    if (this.replyTo !== null) body.reply_to = this.replyTo;
    try {
      await this.withSetup(() => this.opts.api.send(platform, body));
      this.replyTo = null;
      this.replyManual = false;
      this.renderReplyChip();
      this.kick();
      return true;
    } catch (err) {
      this.toast(`⚠️ ${err.message}`);
      return false;
    }
  }

  async sendText() {
    const text = this.input.value;
    if (!text.trim()) return;
    this.input.value = "";
    if (!(await this.send({ text }))) this.input.value = text;
  }

  async sendContact() {
    const me = this.target.me;
    await this.send({
      contact: {
        phone_number: me.phone,
        first_name: me.first_name,
        ...(me.last_name ? { last_name: me.last_name } : {}),
        user_id: me.id,
      },
    });
  }

  /** Each chosen file is uploaded, then sent as a photo; the text box, if filled, is the caption of the first. */
  async sendPhotos() {
    const files = [...(this.photoInput.files ?? [])];
    this.photoInput.value = "";
    if (files.length === 0) return;
    let caption = this.input.value.trim();
    this.toast(this.t("uploading"));
    for (const file of files) {
      try {
        const up = await this.withSetup(() => this.opts.api.uploadFile(this.target.platform, file, file.name));
        const ok = await this.send(caption ? { photo: up.file_id, caption } : { photo: up.file_id });
        if (ok && caption) {
          this.input.value = "";
          caption = "";
        }
      } catch (err) {
        this.toast(`⚠️ ${err.message}`);
        return;
      }
    }
  }

  async press(messageId, data, btn) {
    const { platform, chatId, me } = this.target;
    btn.disabled = true;
    try {
      await this.withSetup(() =>
        this.opts.api.press(platform, { from: me.id, chat: chatId, message_id: messageId, data }),
      );
      this.kick();
    } catch (err) {
      this.toast(`⚠️ ${err.message}`);
    } finally {
      btn.disabled = false;
    }
  }

  // ---------------------------------------------------------------- location picker

  /** mode: { live } offers the live-location choice; { moveId, from } moves that live location (starting at `from`). */
  togglePicker(show = this.picker.hidden, mode = {}) {
    this.picker.hidden = !show;
    this.pickerMode = show ? { live: Boolean(mode.live), moveId: mode.moveId ?? null } : { live: false, moveId: null };
    this.liveSelect.value = "0";
    this.renderPickerMode();
    if (show) {
      this.drawPickerMap();
      if (mode.from) this.setPicked(mode.from, true);
      this.latLonInput.focus();
    }
  }

  setPicked(point, fromMap) {
    this.picked = point;
    const { area, regions } = this.opts.geo();
    if (!point) {
      this.pickSend.disabled = true;
      this.pickInfo.textContent = this.latLonInput.value.trim() ? this.t("badCoordinates") : "";
      this.pickerMap?.setMarker(null);
      return;
    }
    if (fromMap) this.latLonInput.value = formatLatLon(point.lat, point.lon);
    else this.pickerMap?.setMarker(point.lat, point.lon);
    const region = regionAt(regions, point.lat, point.lon);
    this.pickInfo.textContent = region
      ? regionName(region, this.opts.locale())
      : insideArea(area, point.lat, point.lon)
        ? ""
        : this.t("outsideArea");
    this.pickSend.disabled = false;
  }

  pickFromText() {
    this.setPicked(parseLatLon(this.latLonInput.value), false);
  }

  async sendPickedLocation() {
    if (!this.picked) {
      this.pickFromText();
      if (!this.picked) return;
    }
    const { lat, lon } = this.picked;
    const location = { latitude: lat, longitude: lon };
    const { moveId } = this.pickerMode;
    const livePeriod = this.liveSelect.hidden ? 0 : Number(this.liveSelect.value);
    const done =
      moveId !== null
        ? await this.moveLive(moveId, location)
        : await this.send({ location: livePeriod ? { ...location, live_period: livePeriod } : location });
    if (done) {
      this.togglePicker(false);
      this.latLonInput.value = "";
      this.setPicked(null, false);
    }
  }

  /** A live location moving: the user's edit of their own message (the bot gets an edited_message). */
  async moveLive(messageId, location) {
    const { platform, chatId, me } = this.target;
    try {
      await this.withSetup(() =>
        this.opts.api.edit(platform, { from: me.id, chat: chatId, message_id: messageId, location }),
      );
      this.kick();
      return true;
    } catch (err) {
      this.toast(`⚠️ ${err.message}`);
      return false;
    }
  }

  // ---------------------------------------------------------------- toast / alert

  toast(text) {
    this.toastEl.textContent = text;
    this.toastEl.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.toastEl.hidden = true), 3000);
  }

  showAlert(text) {
    this.alertText.textContent = text;
    this.alertEl.hidden = false;
  }
}
