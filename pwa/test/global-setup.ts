// Starts one real server (temporary SQLite, one tenant, two users) for the whole run; the sync
// tests reach it through inject("server"). PATHSIX_TEST_NO_SERVER=1 skips it (and those tests).
import type { TestProject } from "vitest/node";
import { startServer } from "../scripts/server-harness.mjs";

export interface ServerInfo {
  url: string;
  tenantId: string;
  admin: { id: string; email: string; password: string };
  user: { id: string; email: string; password: string };
}

declare module "vitest" {
  export interface ProvidedContext {
    server: ServerInfo | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.PATHSIX_TEST_NO_SERVER === "1") {
    project.provide("server", null);
    return async () => undefined;
  }
  const server = await startServer();
  const { stop, ...info } = server;
  project.provide("server", info);
  return stop;
}
