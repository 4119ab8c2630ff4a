import type http from "node:http";

/** Another part served on the desk's HTTP port (the sandbox's page and emulator): false = not mine, try the next. */
export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;
