// The page's only server: the Bot API emulator's simulation API (sandbox/bot-api/CONTRACT.md),
// on the page's own origin unless index.html names another base (<meta name="sim-base">).

export class SimError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The base the page was served with: "" (same origin) unless the server set the meta tag. */
export function simBaseFromDocument(doc) {
  const meta = doc.querySelector('meta[name="sim-base"]');
  return (meta?.getAttribute("content") ?? "").replace(/\/+$/, "");
}

function parseJson(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

export function createSimApi(base = "") {
  const p = (platform) => `${base}/sim/${encodeURIComponent(platform)}`;

  async function request(method, url, body, headers = {}) {
    const init = { method, headers: { ...headers } };
    if (body !== undefined) {
      if (body instanceof Blob) {
        init.body = body;
        if (!init.headers["content-type"]) init.headers["content-type"] = body.type || "application/octet-stream";
      } else {
        init.body = JSON.stringify(body);
        init.headers["content-type"] = "application/json";
      }
    }
    const res = await fetch(url, init);
    const text = await res.text();
    const data = parseJson(text);
    if (!res.ok)
      throw new SimError(res.status, (data && (data.error || data.description)) || `${res.status} ${res.statusText}`);
    return data;
  }

  return {
    state: () => request("GET", `${base}/sim/state`),
    createUser: (platform, user) => request("POST", `${p(platform)}/users`, user),
    createChat: (platform, chat) => request("POST", `${p(platform)}/chats`, chat),
    /** Uploads a file the user "has"; returns { file_id, file_unique_id, file_size }. */
    uploadFile: (platform, blob, name) =>
      request("POST", `${p(platform)}/files${name ? `?name=${encodeURIComponent(name)}` : ""}`, blob),
    send: (platform, payload) => request("POST", `${p(platform)}/send`, payload),
    press: (platform, payload) => request("POST", `${p(platform)}/press`, payload),
    /** The user edits their own message: { from, chat, message_id, location } moves a live location. */
    edit: (platform, payload) => request("POST", `${p(platform)}/edit`, payload),
    transcript: (platform, chat, since) =>
      request("GET", `${p(platform)}/transcript?chat=${encodeURIComponent(chat)}&since=${encodeURIComponent(since)}`),
    messages: (platform, chat) => request("GET", `${p(platform)}/messages?chat=${encodeURIComponent(chat)}`),
    fileUrl: (platform, fileId) => `${p(platform)}/file/${encodeURIComponent(fileId)}`,
  };
}
