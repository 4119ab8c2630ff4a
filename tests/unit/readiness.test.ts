import mongoose from "mongoose";
import { describe, expect, inject, it } from "vitest";
import { Readiness } from "../../bot/http/readiness.ts";
import { pingMongo } from "../../models/infra/db-ping.ts";
import { MemoryMongoServer } from "../../sandbox/mongo/server.ts";

describe("readiness", () => {
  it("a mongoose connection that is not connected fails the ping at once", async () => {
    const conn = mongoose.createConnection();
    await expect(pingMongo(conn)).rejects.toThrow("not connected (disconnected)");
  });

  it("the ping passes while MongoDB answers and fails once it is gone", async () => {
    const server = await MemoryMongoServer.start({ host: "127.0.0.1", port: 0 });
    const conn = await mongoose.createConnection(server.uri, { serverSelectionTimeoutMS: 500 }).asPromise();
    try {
      await expect(pingMongo(conn)).resolves.toBeUndefined();
      await server.stop();
      await expect(pingMongo(conn, 300)).rejects.toThrow();
    } finally {
      await conn.close();
    }
  });

  it("the test database answers", async () => {
    const conn = await mongoose.createConnection(inject("mongoUri"), { serverSelectionTimeoutMS: 2_000 }).asPromise();
    try {
      await expect(pingMongo(conn)).resolves.toBeUndefined();
    } finally {
      await conn.close();
    }
  });

  it("is ready only with MongoDB answering and every bot initialised; never while shutting down", async () => {
    let dbUp = false;
    const r = new Readiness(["telegram", "bale"], async () => {
      if (!dbUp) throw new Error("not connected (disconnected)");
    });
    expect(await r.report()).toEqual({
      ready: false,
      body: {
        status: "not ready",
        checks: {
          mongodb: "unreachable: not connected (disconnected)",
          "bot:telegram": "not initialised",
          "bot:bale": "not initialised",
        },
      },
    });
    dbUp = true;
    r.botReady("telegram");
    expect((await r.report()).body.checks).toEqual({
      mongodb: "ok",
      "bot:telegram": "ok",
      "bot:bale": "not initialised",
    });
    r.botReady("bale");
    expect(await r.report()).toEqual({
      ready: true,
      body: { status: "ready", checks: { mongodb: "ok", "bot:telegram": "ok", "bot:bale": "ok" } },
    });
    r.botStopped("bale", "polling failed");
    expect(await r.report()).toMatchObject({
      ready: false,
      body: { checks: { "bot:bale": "stopped: polling failed" } },
    });
    r.beginShutdown();
    expect(await r.report()).toEqual({ ready: false, body: { status: "shutting down" } });
  });
});
