// The /sim API: the other side of the chats (users, groups, files, messages, button presses),
// what the bots did (transcripts, current messages, file bytes), faults and reset. JSON in and out;
// refusals are `{ error }` with a 4xx status. Documented in README.md.
import type { IncomingMessage } from "node:http";
import { parseFaultSpec } from "./faults.ts";
import { readBody } from "./http.ts";
import { describeChat, upsertChat, upsertUser, userEdits, userSends, userPresses } from "./sim-actions.ts";
import { SimError } from "./sim-error.ts";
import { jsonBody } from "./sim-input.ts";
import type { PlatformState, StoredMessage, World } from "./state.ts";
import { describe } from "./transcript.ts";

export type SimReply = { status: number; json: unknown } | { status: 200; bytes: Buffer; contentType: string };

const ok = (json: unknown): SimReply => ({ status: 200, json });

/** Longest a transcript long poll (?wait=) may hold. */
const MAX_WAIT_SECONDS = 60;

function platformOf(world: World, name: string): PlatformState {
  const p = world.platforms.get(name);
  if (!p) throw new SimError(404, `no bot for platform "${name}" (have: ${[...world.platforms.keys()].join(", ")})`);
  return p;
}

function chatParam(url: URL): number | undefined {
  const raw = url.searchParams.get("chat");
  if (raw === null || raw === "") return undefined;
  const id = Number(raw);
  if (!Number.isSafeInteger(id)) throw new SimError(400, "chat must be an integer chat id");
  return id;
}

function state(world: World): SimReply {
  const all = [...world.platforms.values()];
  return ok({
    bots: all.map((p) => ({
      platform: p.bot.platform,
      id: p.bot.id,
      username: p.bot.username,
      first_name: p.bot.firstName,
      commands: Object.fromEntries(p.commands),
    })),
    users: all.flatMap((p) => [...p.users.values()].map((u) => ({ platform: p.bot.platform, ...u }))),
    chats: all.flatMap((p) => [...p.chats.values()].map((c) => ({ platform: p.bot.platform, ...describeChat(c) }))),
  });
}

async function transcript(world: World, p: PlatformState, url: URL, signal: AbortSignal): Promise<SimReply> {
  const chat = chatParam(url);
  const since = Number(url.searchParams.get("since") ?? 0) || 0;
  const wait = Math.min(MAX_WAIT_SECONDS, Math.max(0, Number(url.searchParams.get("wait") ?? 0) || 0));
  const pick = () => p.transcript.filter((i) => i.seq > since && (chat === undefined || i.chat_id === chat));
  const deadline = Date.now() + wait * 1000;
  let items = pick();
  while (items.length === 0 && Date.now() < deadline && !signal.aborted) {
    await world.changed.wait(deadline - Date.now(), signal);
    items = pick();
  }
  const keyboard = chat === undefined ? undefined : (p.chats.get(chat)?.keyboard ?? null);
  return ok({ seq: world.currentSeq, items, ...(keyboard !== undefined ? { keyboard } : {}) });
}

function messages(world: World, p: PlatformState, url: URL): SimReply {
  const chat = chatParam(url);
  const chats =
    chat === undefined ? [...p.messages.values()] : [p.messages.get(chat) ?? new Map<number, StoredMessage>()];
  const list = chats.flatMap((m) => [...m.values()]).map((s) => describe(s, world.baseUrl, p.bot.platform));
  return ok({ messages: list });
}

function fileBytes(p: PlatformState, fileId: string): SimReply {
  const file = p.files.get(fileId);
  if (!file) throw new SimError(404, `no file ${fileId}`);
  return { status: 200, bytes: file.bytes, contentType: file.mime_type };
}

async function uploadFile(p: PlatformState, req: IncomingMessage, url: URL): Promise<SimReply> {
  const bytes = await readBody(req);
  if (bytes.length === 0) throw new SimError(400, "send the file's bytes as the request body");
  const name = url.searchParams.get("name") ?? undefined;
  const declared = req.headers["content-type"];
  const file = p.files.add({
    kind: "upload",
    bytes,
    ...(name ? { file_name: name } : {}),
    ...(declared ? { mime_type: declared } : {}),
  });
  return ok({ file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: bytes.length });
}

function faults(world: World, method: string, body: Buffer): SimReply {
  if (method === "POST") {
    const spec = parseFaultSpec(jsonBody(body));
    if (spec.platform !== undefined) platformOf(world, spec.platform);
    world.faults.add(spec);
  } else if (method === "DELETE") {
    world.faults.clear();
  } else if (method !== "GET") {
    throw new SimError(405, "use GET, POST or DELETE");
  }
  return ok({ faults: world.faults.list() });
}

export async function handleSim(world: World, req: IncomingMessage, url: URL, signal: AbortSignal): Promise<SimReply> {
  const method = req.method ?? "GET";
  const [first = "", action, fileId, ...rest] = url.pathname.split("/").slice(2).map(decodeURIComponent);
  const notFound = () => new SimError(404, `no route ${method} ${url.pathname}`);
  if (action === undefined) {
    if (first === "faults") return faults(world, method, await readBody(req));
    if (method === "GET" && first === "state") return state(world);
    if (method === "POST" && first === "reset") {
      world.reset();
      return ok({ ok: true });
    }
    throw notFound();
  }
  const p = platformOf(world, first);
  if (rest.length > 0 || (fileId !== undefined && !(method === "GET" && action === "file"))) throw notFound();
  switch (`${method} ${action}`) {
    case "GET file":
      return fileBytes(p, fileId ?? "");
    case "GET transcript":
      return transcript(world, p, url, signal);
    case "GET messages":
      return messages(world, p, url);
    case "POST files":
      return uploadFile(p, req, url);
    case "POST users":
      return ok(upsertUser(p, jsonBody(await readBody(req))));
    case "POST chats":
      return ok(describeChat(upsertChat(p, jsonBody(await readBody(req)))));
    case "POST send":
      return ok(userSends(world, p, jsonBody(await readBody(req))));
    case "POST edit":
      return ok(userEdits(world, p, jsonBody(await readBody(req))));
    case "POST press":
      return ok(userPresses(p, jsonBody(await readBody(req))));
    default:
      throw notFound();
  }
}
