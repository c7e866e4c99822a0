#!/usr/bin/env node
// End to end in Debian's Chromium (playwright-core, no downloaded browser) against the real
// product: `pathsix serve` on a FRESH database, serving the built app itself (PATHSIX_STATIC_DIR),
// so app and API share one origin as in production. Journeys (scripts/e2e/*):
//   offline   sign in, offline reload, create a lead, log an interaction in 3 taps, edit a
//             client, convert a lead, back online -> exactly those changes on the server
//   conflict  two users' devices edit one lead offline: merge, then a held status conflict
//   session   the session expires offline: work goes on, sign in again, it syncs once
//   update    a new version is published while a change is pending: the outbox survives
//   desktop   a refused change fixed on its form field; two tabs push each change once
//   tour      tenant config (labels, brand, currency, date format) and screenshots
//   trash     restore offline; an admin's purge: disabled offline with its reason, works online
//   search    the header's search finds records by word prefix (as the server does) and opens
//             them, offline too
// Screenshots (phone 390x844, desktop 1280x800) go to test-results/screenshots/.
//
//   npm run e2e                 (builds twice: this version and a bumped one for "update")
//   node scripts/e2e.mjs --no-build     (reuses the builds of the last run)
//   node scripts/e2e.mjs --only=offline,trash   (just those journeys, in the usual order)
// PATHSIX_E2E_OUT=<dir> puts both builds under <dir> instead of dist/ and test-results/build-next/,
// so that two runs at once do not overwrite each other's app.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { conflictJourney } from "./e2e/conflict-journey.mjs";
import { desktopJourney } from "./e2e/desktop-journey.mjs";
import { screenshots, tally } from "./e2e/lib.mjs";
import { offlineJourney } from "./e2e/offline-journey.mjs";
import { overviewsJourney } from "./e2e/overviews-journey.mjs";
import { reportsJourney } from "./e2e/reports-journey.mjs";
import { resolveJourney } from "./e2e/resolve-journey.mjs";
import { searchJourney } from "./e2e/search-journey.mjs";
import { sessionJourney } from "./e2e/session-journey.mjs";
import { settingsJourney } from "./e2e/settings-journey.mjs";
import { tourJourney } from "./e2e/tour-journey.mjs";
import { trashJourney } from "./e2e/trash-journey.mjs";
import { publish, updateJourney } from "./e2e/update-journey.mjs";
import { startServer } from "./server-harness.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const OUT = process.env.PATHSIX_E2E_OUT ? resolve(process.env.PATHSIX_E2E_OUT) : null;
const thisBuild = OUT ? join(OUT, "this") : resolve(root, "dist");
const nextBuild = OUT ? join(OUT, "next") : resolve(root, "test-results/build-next");
const only =
  process.argv
    .find((a) => a.startsWith("--only="))
    ?.slice("--only=".length)
    .split(",") ?? null;
const runs = (name) => only === null || only.includes(name);
const VERSIONS = ["0.1.0-e2e.1", "0.1.0-e2e.2"];

function build() {
  const env = (version) => ({ ...process.env, PATHSIX_APP_VERSION: version });
  execFileSync("npm", ["run", "--silent", "check:zod"], { cwd: root, stdio: "inherit" });
  execFileSync("npx", ["tsc", "-b"], { cwd: root, stdio: "inherit" });
  for (const [outDir, version] of [
    [thisBuild, VERSIONS[0]],
    [nextBuild, VERSIONS[1]],
  ]) {
    execFileSync("npx", ["vite", "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"], {
      cwd: root,
      stdio: "inherit",
      env: env(version),
    });
  }
}

async function main() {
  if (!process.argv.includes("--no-build")) build();
  for (const dir of [thisBuild, nextBuild]) {
    if (!existsSync(join(dir, "sw.js"))) throw new Error(`${dir}/sw.js missing: run without --no-build`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  rmSync(screenshots, { recursive: true, force: true });
  const staticDir = join(mkdtempSync(join(tmpdir(), "pathsix-static-")), "app");
  publish(thisBuild, staticDir);
  const api = await startServer({ staticDir });
  const base = api.url;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  console.log(`e2e: pathsix serve at ${base} (fresh database, app from ${staticDir})`);
  const ctx = { browser, base, api, staticDir, nextBuild, versions: VERSIONS };
  try {
    const made = runs("offline") || runs("tour") ? (await offlineJourney(ctx)).made : null;
    if (runs("conflict")) await conflictJourney(ctx);
    if (runs("session")) await sessionJourney(ctx);
    if (runs("desktop")) await desktopJourney(ctx);
    if (runs("tour")) await tourJourney({ ...ctx, made });
    if (runs("trash")) await trashJourney(ctx);
    if (runs("reports")) await reportsJourney(ctx);
    if (runs("overviews")) await overviewsJourney(ctx);
    if (runs("settings")) await settingsJourney(ctx);
    if (runs("resolve")) await resolveJourney(ctx);
    if (runs("search")) await searchJourney(ctx);
    if (runs("update")) await updateJourney(ctx); // last: it publishes the next version
  } finally {
    await browser.close();
    await api.stop();
    rmSync(dirname(staticDir), { recursive: true, force: true });
    console.log(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
  }
}

main().catch((err) => {
  if (tally.failed === 0) console.error(err);
  process.exitCode = 1;
});
