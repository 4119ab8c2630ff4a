// MemoryMongoServer: a MongoDB-wire-compatible in-memory server for tests and the no-token
// sandbox. The unmodified mongodb driver and mongoose talk to it over TCP. Data lives in memory
// (optionally snapshotted to a file) and survives stop()/restart(), which simulate an outage.
import { createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { runCommand } from "./commands/index.ts";
import type { CommandContext, ServerInfo } from "./commands/context.ts";
import { Connection } from "./connection.ts";
import { CursorRegistry } from "./cursors.ts";
import { Persister } from "./persist.ts";
import { Store } from "./store.ts";
import type { CommandMessage } from "./wire.ts";
import { listen } from "../listen.ts";

export interface MemoryMongoOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Optional EJSON snapshot file: loaded at start, written ~200 ms after writes and on stop. */
  persistPath?: string;
}

/** mongod's TTL monitor runs every 60 s. */
const TTL_INTERVAL_MS = 60_000;

export class MemoryMongoServer {
  readonly uri: string;
  readonly port: number;
  private readonly host: string;
  private readonly store: Store;
  private readonly cursors = new CursorRegistry();
  private readonly persister: Persister | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly info: ServerInfo;
  private listener: Server | undefined;
  private ttlTimer: NodeJS.Timeout | undefined;
  private nextConnectionId = 1;

  private constructor(host: string, port: number, persister: Persister | undefined, store: Store) {
    this.host = host;
    this.port = port;
    this.uri = `mongodb://${host.includes(":") ? `[${host}]` : host}:${port}/`;
    this.store = store;
    this.persister = persister;
    this.info = {
      host,
      port,
      startedAt: Date.now(),
      connections: () => this.sockets.size,
    };
  }

  static async start(opts: MemoryMongoOptions = {}): Promise<MemoryMongoServer> {
    const host = opts.host ?? "127.0.0.1";
    const store = new Store();
    const persister = opts.persistPath ? new Persister(opts.persistPath, store) : undefined;
    persister?.load();
    if (persister) store.onChange = () => persister.schedule();
    // Bind first so `port` is known (and final) when the instance is built.
    const listener = createServer();
    const port = await listen(listener, host, opts.port ?? 0);
    const server = new MemoryMongoServer(host, port, persister, store);
    server.attach(listener);
    return server;
  }

  private attach(listener: Server): void {
    this.listener = listener;
    listener.on("connection", (socket) => this.accept(socket));
    this.ttlTimer = setInterval(() => this.store.expireAll(), TTL_INTERVAL_MS);
    this.ttlTimer.unref();
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    new Connection(socket, this.nextConnectionId++, (message, id) => this.dispatch(message, id));
  }

  private dispatch(message: CommandMessage, connectionId: number): Record<string, unknown> {
    const ctx: CommandContext = {
      store: this.store,
      cursors: this.cursors,
      server: this.info,
      db: message.db,
      connectionId,
    };
    return runCommand(message.body, ctx);
  }

  /** Closes the listener and drops every open connection, like a crashed mongod. Data is kept. */
  async stop(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    if (this.ttlTimer) clearInterval(this.ttlTimer);
    this.ttlTimer = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (listener) await new Promise<void>((resolve) => listener.close(() => resolve()));
    await this.persister?.flush();
  }

  /** Listens again on the same port with the same data (outage drills). */
  async restart(): Promise<void> {
    if (this.listener) return;
    const listener = createServer();
    await listen(listener, this.host, this.port);
    this.attach(listener);
  }

  /** Drops every database and open cursor (test convenience). */
  reset(): void {
    this.cursors.clear();
    this.store.clear();
  }
}
