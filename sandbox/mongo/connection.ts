// One client socket: reassembles wire messages from TCP chunks, runs each command in order and
// writes the reply in the same protocol the request used.
import type { Socket } from "node:net";
import { EJSON } from "bson";
import type { Doc } from "./doc.ts";
import { MAX_MESSAGE_BYTES, WireError, encodeOpMsg, encodeOpReply, parseMessage } from "./wire.ts";
import type { CommandMessage } from "./wire.ts";

export type Dispatch = (message: CommandMessage, connectionId: number) => Doc;

/** MEMORY_MONGO_TRACE=1 logs each command and its outcome to stderr; =2 also the full documents. */
const traceLevel = Number(process.env.MEMORY_MONGO_TRACE ?? 0);
const trace = traceLevel > 0;

export class Connection {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private nextRequestId = 1;

  constructor(
    private readonly socket: Socket,
    readonly id: number,
    private readonly dispatch: Dispatch,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    // A client vanishing mid-write is normal (outage drills, process exit): nothing to report.
    socket.on("error", () => socket.destroy());
  }

  private onData(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    while (this.pendingBytes >= 4) {
      const length = this.peekLength();
      if (length < 16 || length > MAX_MESSAGE_BYTES) {
        this.socket.destroy();
        return;
      }
      // Concatenate only once the whole message is here (large inserts arrive in many chunks).
      if (this.pendingBytes < length) return;
      const buf = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
      const rest = buf.subarray(length);
      this.pending = rest.length ? [rest] : [];
      this.pendingBytes = rest.length;
      this.handle(buf.subarray(0, length));
    }
  }

  /** The messageLength field at the front of the pending bytes. */
  private peekLength(): number {
    const first = this.pending[0] as Buffer;
    if (first.length >= 4) return first.readInt32LE(0);
    const joined = Buffer.concat(this.pending);
    this.pending = [joined];
    return joined.readInt32LE(0);
  }

  private handle(raw: Buffer): void {
    let message: CommandMessage;
    try {
      message = parseMessage(raw);
    } catch (err) {
      // Unparseable framing means we no longer know where the next message starts.
      if (trace || !(err instanceof WireError)) process.stderr.write(`memory-mongo: bad message: ${String(err)}\n`);
      this.socket.destroy();
      return;
    }
    const reply = this.dispatch(message, this.id);
    if (trace) this.trace(message, reply);
    if (message.noReply || this.socket.destroyed) return;
    this.socket.write(this.encode(message, reply));
  }

  private trace(message: CommandMessage, reply: Doc): void {
    const name = JSON.stringify(Object.keys(message.body)[0]);
    let line = `memory-mongo #${this.id} ${message.db} ${name} -> ok=${String(reply.ok)}${reply.ok ? "" : ` ${String(reply.errmsg)}`}`;
    if (traceLevel > 1) line += `\n  << ${EJSON.stringify(message.body)}\n  >> ${EJSON.stringify(reply)}`;
    process.stderr.write(`${line}\n`);
  }

  private encode(message: CommandMessage, reply: Doc): Buffer {
    const encode = message.legacy ? encodeOpReply : encodeOpMsg;
    const requestId = this.nextRequestId++;
    try {
      return encode(reply, requestId, message.header.requestId);
    } catch (err) {
      const error = {
        ok: 0,
        errmsg: `reply could not be encoded: ${String(err)}`,
        code: 10334,
        codeName: "BSONObjectTooLarge",
      };
      return encode(error, requestId, message.header.requestId);
    }
  }
}
