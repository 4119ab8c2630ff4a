import { HttpServer } from "../../bot/http/server.ts";
import { open311Routes } from "../../handlers/open311/routes.ts";
import { createI18n } from "../../core/i18n.ts";
import type { Logger } from "../../core/logger.ts";
import type { TestDesk } from "./test-bot.ts";

/** The desk's Open311 routes on a real HttpServer on a free port: its base URL and how to close it. */
export async function serveOpen311(desk: TestDesk, logger: Logger): Promise<{ base: string; close(): Promise<void> }> {
  const http = new HttpServer({
    readiness: { report: async () => ({ ready: true, body: { status: "ready" as const } }) },
    logger,
  });
  http.addRoutes(
    open311Routes({
      config: desk.config,
      logger,
      i18n: createI18n("fa"),
      now: () => desk.clock.now,
      router: desk.on("telegram").app.router,
    }),
  );
  const { port } = await http.listen(0, "127.0.0.1");
  return { base: `http://127.0.0.1:${port}/open311/v2`, close: () => http.close() };
}
