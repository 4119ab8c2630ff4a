import type { TestProject } from "vitest/node";
import { startTestMongo } from "./mongo-backend.ts";

declare module "vitest" {
  export interface ProvidedContext {
    mongoUri: string;
    mongoBackend: string;
  }
}

/** One MongoDB for the whole run; each test file uses its own database on it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mongo = await startTestMongo();
  console.log(`[tests] MongoDB backend: ${mongo.backend} (${mongo.uri.replace(/\/\/[^@]*@/, "//***@")})`);
  project.provide("mongoUri", mongo.uri);
  project.provide("mongoBackend", mongo.backend);
  return () => mongo.stop();
}
