// MongoDB wire protocol framing: the legacy OP_QUERY/OP_REPLY pair (only the driver's first
// handshake uses it) and OP_MSG (everything else). See the "MongoDB Wire Protocol" spec.
import { deserialize, serialize } from "bson";
import type { DeserializeOptions } from "bson";
import type { Doc } from "./doc.ts";

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const HEADER_BYTES = 16;
const FLAG_CHECKSUM_PRESENT = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;

/** maxMessageSizeBytes advertised in hello. */
export const MAX_MESSAGE_BYTES = 48_000_000;

/**
 * How stored values look in memory: Int32/Double become JS numbers, Long becomes a number when it
 * fits in 53 bits (else stays Long), Binary stays Binary (GridFS chunks), ObjectId stays ObjectId.
 */
export const DESERIALIZE_OPTIONS: DeserializeOptions = {
  promoteValues: true,
  promoteLongs: true,
  promoteBuffers: false,
  bsonRegExp: false,
};

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export interface CommandMessage {
  header: Header;
  /** Database the command runs against (`$db`, or the OP_QUERY namespace). */
  db: string;
  body: Doc;
  /** OP_QUERY must be answered with OP_REPLY, OP_MSG with OP_MSG. */
  legacy: boolean;
  /** OP_MSG moreToCome: the client expects no reply (w:0 writes). */
  noReply: boolean;
}

export function readHeader(buf: Buffer): Header {
  return {
    length: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

export class WireError extends Error {}

function readCString(buf: Buffer, at: number): { value: string; next: number } {
  const end = buf.indexOf(0, at);
  if (end < 0) throw new WireError("unterminated cstring");
  return { value: buf.toString("utf8", at, end), next: end + 1 };
}

function readDocument(buf: Buffer, at: number): { doc: Doc; next: number } {
  const size = buf.readInt32LE(at);
  if (size < 5 || at + size > buf.length) throw new WireError("document size out of range");
  return { doc: deserialize(buf.subarray(at, at + size), DESERIALIZE_OPTIONS), next: at + size };
}

/** Parses one complete message (header included). Unsupported opcodes throw WireError. */
export function parseMessage(buf: Buffer): CommandMessage {
  const header = readHeader(buf);
  if (header.opCode === OP_MSG) return parseOpMsg(buf, header);
  if (header.opCode === OP_QUERY) return parseOpQuery(buf, header);
  throw new WireError(`unsupported opCode ${header.opCode}`);
}

function parseOpMsg(buf: Buffer, header: Header): CommandMessage {
  const flags = buf.readUInt32LE(HEADER_BYTES);
  const end = flags & FLAG_CHECKSUM_PRESENT ? header.length - 4 : header.length;
  let at = HEADER_BYTES + 4;
  let body: Doc | undefined;
  const sequences: [string, Doc[]][] = [];
  while (at < end) {
    const kind = buf.readUInt8(at);
    at += 1;
    if (kind === 0) {
      const { doc, next } = readDocument(buf, at);
      body = doc;
      at = next;
    } else if (kind === 1) {
      const sectionEnd = at + buf.readInt32LE(at);
      const id = readCString(buf, at + 4);
      const docs: Doc[] = [];
      at = id.next;
      while (at < sectionEnd) {
        const { doc, next } = readDocument(buf, at);
        docs.push(doc);
        at = next;
      }
      sequences.push([id.value, docs]);
    } else {
      throw new WireError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new WireError("OP_MSG without a body section");
  // Document sequences are fields of the command that travelled separately (e.g. `documents`).
  for (const [field, docs] of sequences) body[field] = docs;
  const db = typeof body.$db === "string" ? body.$db : "admin";
  return { header, db, body, legacy: false, noReply: (flags & FLAG_MORE_TO_COME) !== 0 };
}

function parseOpQuery(buf: Buffer, header: Header): CommandMessage {
  let at = HEADER_BYTES + 4; // skip flags
  const ns = readCString(buf, at);
  at = ns.next + 8; // numberToSkip, numberToReturn
  let { doc: body } = readDocument(buf, at);
  // Old clients wrap the command as {$query: {...}, $readPreference: ...}.
  if (body.$query && typeof body.$query === "object") body = body.$query as Doc;
  const dot = ns.value.indexOf(".");
  const db = dot > 0 ? ns.value.slice(0, dot) : ns.value;
  return { header, db, body, legacy: true, noReply: false };
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const buf = Buffer.alloc(HEADER_BYTES);
  buf.writeInt32LE(length, 0);
  buf.writeInt32LE(requestId, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(opCode, 12);
  return buf;
}

/** OP_MSG reply: flagBits 0, a single kind-0 section. */
export function encodeOpMsg(doc: Doc, requestId: number, responseTo: number): Buffer {
  const bson = serialize(doc, { ignoreUndefined: true });
  const prefix = Buffer.alloc(5); // flagBits (4) + section kind 0 (1)
  return Buffer.concat([header(HEADER_BYTES + 5 + bson.length, requestId, responseTo, OP_MSG), prefix, bson]);
}

/** OP_REPLY with one document, the answer to a legacy OP_QUERY command. */
export function encodeOpReply(doc: Doc, requestId: number, responseTo: number): Buffer {
  const bson = serialize(doc, { ignoreUndefined: true });
  const fields = Buffer.alloc(20); // responseFlags, cursorID (8), startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  return Buffer.concat([header(HEADER_BYTES + 20 + bson.length, requestId, responseTo, OP_REPLY), fields, bson]);
}
