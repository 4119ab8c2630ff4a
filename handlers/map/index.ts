export { createMapRoute, type MapRouteOptions } from "./route.ts";
