// Bot message text → a safe node tree → DOM. Pure functions (no DOM access at import time), so
// they are unit-tested in Node. Bot text is never assigned to innerHTML: it is parsed into
// {type:"text"} / {type:"el"} nodes holding only whitelisted tags, then built with createElement.

/** Tags Telegram's HTML parse mode knows, mapped to the element we draw. Anything else is dropped (its text kept). */
const TAGS = {
  b: "b",
  strong: "b",
  i: "i",
  em: "i",
  u: "u",
  ins: "u",
  s: "s",
  strike: "s",
  del: "s",
  code: "code",
  pre: "pre",
  a: "a",
  "tg-spoiler": "span",
  blockquote: "blockquote",
};

const NAMED = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: "\u00a0" };

/** Decodes the HTML entities Telegram accepts (&lt; &gt; &amp; &quot; and numeric ones). */
export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    const named = NAMED[body.toLowerCase()];
    return named ?? whole;
  });
}

/** Reads one attribute (href) from the inside of a start tag. */
function attribute(inside, name) {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(inside);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? "") : null;
}

/**
 * Parses the HTML subset of Telegram's parse_mode HTML into a node tree:
 * `{ type: "text", text }` and `{ type: "el", tag, href?, children }`. Unknown tags vanish (their
 * text stays); unbalanced tags are closed at the end; text is entity-decoded.
 */
export function parseBotHtml(html) {
  const root = { type: "el", tag: "root", children: [] };
  const stack = [root];
  const top = () => stack[stack.length - 1];
  const tagRe = /<(\/?)([a-zA-Z][\w-]*)([^>]*)>/g;
  let last = 0;
  let m;
  const pushText = (raw) => {
    if (!raw) return;
    const text = decodeEntities(raw);
    const kids = top().children;
    const prev = kids[kids.length - 1];
    if (prev && prev.type === "text") prev.text += text;
    else kids.push({ type: "text", text });
  };
  while ((m = tagRe.exec(html)) !== null) {
    pushText(html.slice(last, m.index));
    last = tagRe.lastIndex;
    const closing = m[1] === "/";
    const name = m[2].toLowerCase();
    const inside = m[3] ?? "";
    const isSpoilerSpan = name === "span" && /class\s*=\s*["']?tg-spoiler/i.test(inside);
    const tag = isSpoilerSpan ? "span" : TAGS[name];
    if (name === "br" && !closing) {
      pushText("\n");
      continue;
    }
    if (!tag && name !== "span") continue;
    if (closing) {
      // Close the nearest open element of this name (and anything left open inside it).
      for (let i = stack.length - 1; i > 0; i--) {
        if (stack[i].source === name) {
          stack.length = i;
          break;
        }
      }
      continue;
    }
    if (!tag) continue; // a plain <span> without the spoiler class
    const el = { type: "el", tag, source: name, children: [] };
    if (tag === "a") el.href = attribute(inside, "href") ?? "";
    if (tag === "span") el.spoiler = true;
    if (tag === "code" && top().tag === "pre") {
      const lang = /class\s*=\s*["']?language-([\w+-]+)/i.exec(inside);
      if (lang) top().language = lang[1];
    }
    top().children.push(el);
    stack.push(el);
  }
  pushText(html.slice(last));
  return stripSource(root.children);
}

function stripSource(nodes) {
  return nodes.map((n) => {
    if (n.type === "text") return n;
    const { source: _source, ...rest } = n;
    return { ...rest, children: stripSource(n.children) };
  });
}

const ENTITY_TAGS = {
  bold: "b",
  italic: "i",
  underline: "u",
  strikethrough: "s",
  code: "code",
  pre: "pre",
  text_link: "a",
  text_mention: "a",
  spoiler: "span",
  blockquote: "blockquote",
  expandable_blockquote: "blockquote",
  url: "a",
};

/**
 * The same node tree from plain text plus Telegram MessageEntity[] (offsets in UTF-16 code units,
 * which is what JS strings index). Entities may nest but not overlap partially; an overlapping one is
 * cut at its parent's end.
 */
export function entitiesToNodes(text, entities) {
  const list = (entities ?? [])
    .filter((e) => ENTITY_TAGS[e.type] && e.length > 0 && e.offset >= 0 && e.offset < text.length)
    .slice()
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  let i = 0;
  function build(start, end) {
    const out = [];
    let pos = start;
    const textUpTo = (to) => {
      if (to > pos) out.push({ type: "text", text: text.slice(pos, to) });
      pos = to;
    };
    while (i < list.length && list[i].offset < end) {
      const e = list[i++];
      if (e.offset < pos) continue; // overlaps what is already drawn: skipped
      textUpTo(e.offset);
      const stop = Math.min(e.offset + e.length, end);
      const el = { type: "el", tag: ENTITY_TAGS[e.type], children: build(e.offset, stop) };
      if (e.type === "text_link") el.href = e.url ?? "";
      if (e.type === "url") el.href = text.slice(e.offset, stop);
      if (e.type === "text_mention") el.href = `tg://user?id=${e.user?.id ?? ""}`;
      if (e.type === "spoiler") el.spoiler = true;
      out.push(el);
      pos = stop;
    }
    textUpTo(end);
    return out;
  }
  return build(0, text.length);
}

/** A link target we let the page open: http(s) only. `tg://user?id=` becomes a mention. */
export function safeHref(href) {
  if (typeof href !== "string") return null;
  const h = href.trim();
  return /^https?:\/\//i.test(h) ? h : null;
}

/** The user id a `tg://user?id=N` link points at, or null. */
export function mentionedUserId(href) {
  const m = /^tg:\/\/user\?id=(\d+)$/i.exec((href ?? "").trim());
  return m ? Number(m[1]) : null;
}

/** User ids mentioned anywhere in a node tree (force-reply prompts name whom they ask). */
export function mentionsIn(nodes) {
  const ids = [];
  const walk = (list) => {
    for (const n of list) {
      if (n.type !== "el") continue;
      const id = n.tag === "a" ? mentionedUserId(n.href) : null;
      if (id !== null) ids.push(id);
      walk(n.children);
    }
  };
  walk(nodes);
  return ids;
}

/** Plain text of a node tree (quotes of replied-to messages). */
export function plainText(nodes) {
  return nodes.map((n) => (n.type === "text" ? n.text : plainText(n.children))).join("");
}

/** The node tree of a transcript item's text or caption, whatever form the emulator kept it in. */
export function messageNodes(item) {
  const text = item.text ?? item.caption ?? "";
  const entities = item.text !== undefined ? item.entities : item.caption_entities;
  if (Array.isArray(entities) && entities.length > 0) return entitiesToNodes(text, entities);
  if ((item.parse_mode ?? "").toUpperCase() === "HTML") return parseBotHtml(text);
  return text ? [{ type: "text", text }] : [];
}

/** Builds DOM nodes from a node tree with `doc.createElement`/`createTextNode` only. */
export function nodesToDom(nodes, doc) {
  const frag = doc.createDocumentFragment();
  for (const n of nodes) {
    if (n.type === "text") {
      frag.appendChild(doc.createTextNode(n.text));
      continue;
    }
    let el;
    if (n.tag === "a") {
      const href = safeHref(n.href);
      const mention = mentionedUserId(n.href);
      if (href) {
        el = doc.createElement("a");
        el.setAttribute("href", href);
        el.setAttribute("target", "_blank");
        el.setAttribute("rel", "noopener noreferrer");
      } else {
        el = doc.createElement("span");
        el.className = mention !== null ? "mention" : "link";
        if (mention !== null) el.setAttribute("data-user-id", String(mention));
      }
    } else {
      el = doc.createElement(n.tag);
      if (n.spoiler) el.className = "spoiler";
    }
    el.appendChild(nodesToDom(n.children, doc));
    frag.appendChild(el);
  }
  return frag;
}

const RTL_CHAR = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
const LTR_CHAR = /[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]/;

/**
 * The dir attribute for a message: "auto" (the browser takes the first strong character), except
 * when that character disagrees with most of the text, as in a Persian prompt that starts with a
 * Latin name ("Omid، شرح رسیدگی …"): then the majority's direction.
 */
export function textDirection(text) {
  let rtl = 0;
  let ltr = 0;
  let first = null;
  for (const ch of text) {
    // RLM and LRM are strong characters to the algorithm (a Persian text may open with an RLM so a
    // Latin name first does not turn it left-to-right): they decide the first, but are not text to count.
    if (first === null && (ch === "\u200f" || ch === "\u200e")) first = ch === "\u200f" ? "rtl" : "ltr";
    const isRtl = RTL_CHAR.test(ch);
    const isLtr = !isRtl && LTR_CHAR.test(ch);
    if (isRtl) rtl++;
    if (isLtr) ltr++;
    if (first === null && (isRtl || isLtr)) first = isRtl ? "rtl" : "ltr";
  }
  if (first === null || rtl === ltr) return "auto";
  const majority = rtl > ltr ? "rtl" : "ltr";
  return majority === first ? "auto" : majority;
}
