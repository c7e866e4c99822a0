// An app update arrives while changes are pending: the new version is published on the server,
// the service worker installs it, the page offers a reload, and after the reload the pending
// change is still in the outbox and reaches the server exactly once.
import { cpSync, rmSync } from "node:fs";
import { check, eventually, openPages, PHONE, restAs, signIn, step, synced } from "./lib.mjs";

/** Replace what the server serves (its PATHSIX_STATIC_DIR) with another build. */
export function publish(from, staticDir) {
  rmSync(staticDir, { recursive: true, force: true });
  cpSync(from, staticDir, { recursive: true });
}

const version = async (page, base) => {
  await page.goto(`${base}/sync`);
  return (await page.textContent('[data-testid="app-version"]')) ?? "";
};

export async function updateJourney({ browser, base, api, staticDir, nextBuild, versions }) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  openPages.add(page);
  const rest = await restAs(base, api.user);

  await step("app update: a change is pending when a new version is published", async () => {
    await signIn(page, base, api.user);
    await synced(page);
    check((await version(page, base)).includes(versions[0]), "not running the first version");
    // The server is unreachable for sync (the app shell still loads): the change stays pending.
    await context.route("**/api/v1/sync/**", (route) => route.abort("internetdisconnected"));
    await page.goto(`${base}/leads/new`);
    await page.fill("#name", "Pending across an update");
    await page.click("button[type=submit]");
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    await page.waitForSelector('[data-testid="sync-indicator"][data-pending="1"]');
    publish(nextBuild, staticDir);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await page.waitForSelector('[data-testid="update-banner"]', { timeout: 20_000 });
  });

  await step("app update: after the reload the new version runs and the outbox is intact", async () => {
    await Promise.all([
      page.waitForEvent("load"),
      page.click('[data-testid="update-banner"] button:has-text("Reload")'),
    ]);
    const running = await version(page, base);
    check(running.includes(versions[1]), `still running: ${running}`);
    await page.waitForSelector('[data-testid="sync-outbox"] >> text=create lead “Pending across an update”');
    check((await rest.all("leads?q=Pending%20across")).length === 0, "reached the server early");
  });

  await step("app update: the pending change reaches the server exactly once", async () => {
    await context.unroute("**/api/v1/sync/**");
    await page.click('button:has-text("Sync now")');
    await synced(page);
    await eventually(async () => {
      const found = await rest.all("leads?q=Pending%20across");
      check(found.length === 1, `expected the lead once on the server, got ${found.length}`);
    });
  });
  openPages.delete(page);
  await context.close();
}
