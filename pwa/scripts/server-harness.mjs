// Starts a real PathSix server for tests and e2e: a temporary SQLite database, migrated, with one
// tenant (an admin) and a second user, on a free port of 127.0.0.1. Used by Vitest's
// globalSetup and by scripts/e2e.mjs.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const python = process.env.PATHSIX_PYTHON ?? join(repoRoot, ".venv/bin/python");

export const PASSWORD = "Correct-Horse-9";

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function cli(env, ...args) {
  const { stdout } = await run(python, ["-m", "sync_server", ...args], { cwd: repoRoot, env });
  return stdout;
}

async function cliJson(env, ...args) {
  const out = await cli(env, ...args, "--json");
  return JSON.parse(out.trim().split("\n").pop());
}

async function waitForHealth(url, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server at ${url} did not become healthy`);
}

/**
 * @param {{ corsOrigins?: string[], log?: boolean, staticDir?: string }} options
 *   staticDir: the built app the server serves at / (PATHSIX_STATIC_DIR), so the app and the
 *   API share one origin exactly as in production (`pathsix serve`).
 */
export async function startServer(options = {}) {
  if (!existsSync(python)) {
    throw new Error(`no Python at ${python}: create the venv (see README) or set PATHSIX_PYTHON`);
  }
  const dir = mkdtempSync(join(tmpdir(), "pathsix-pwa-"));
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite+aiosqlite:///${join(dir, "db.sqlite")}`,
    PATHSIX_VAR_DIR: dir,
    PATHSIX_JWT_SECRET: "pwa-test-secret-not-for-production-0123456789",
    PATHSIX_BCRYPT_ROUNDS: "4",
    PATHSIX_LOGIN_LIMIT_PER_EMAIL: "1000",
    PATHSIX_LOGIN_LIMIT_PER_IP: "1000",
    PATHSIX_CORS_ORIGINS: JSON.stringify(options.corsOrigins ?? []),
    PATHSIX_LOG_LEVEL: "WARNING",
    ...(options.staticDir ? { PATHSIX_STATIC_DIR: options.staticDir } : {}),
  };
  await cli(env, "db", "upgrade");
  const stamp = Date.now().toString(36);
  const admin = await cliJson(
    env,
    "tenant",
    "create",
    "--name",
    "PWA Test Co",
    "--admin-email",
    `admin-${stamp}@pwa.test`,
    "--admin-password",
    PASSWORD,
  );
  const user = await cliJson(
    env,
    "user",
    "create",
    "--tenant-id",
    admin.tenant_id,
    "--email",
    `field-${stamp}@pwa.test`,
    "--password",
    PASSWORD,
    "--name",
    "Field User",
    "--role",
    "user",
  );
  const child = spawn(python, ["-m", "sync_server", "serve", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", options.log ? "inherit" : "ignore", options.log ? "inherit" : "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`${err.message}\n${stderr}`);
  }
  return {
    url,
    dir,
    tenantId: admin.tenant_id,
    admin: { id: admin.user_id, email: admin.email, password: PASSWORD },
    user: { id: user.user_id, email: user.email, password: PASSWORD },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
