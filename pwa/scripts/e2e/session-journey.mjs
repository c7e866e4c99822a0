// The session expires while the phone is offline: the app keeps working on the device, says
// "sign in again to sync", keeps the outbox; signing in again resumes and the change arrives
// once.
import { check, eventually, openPages, PHONE, restAs, signIn, step, synced } from "./lib.mjs";

export async function sessionJourney({ browser, base, api }) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  openPages.add(page);
  const rest = await restAs(base, api.user);

  await step("session expiry: offline with an expired session, the app keeps working locally", async () => {
    await signIn(page, base, api.user);
    await synced(page);
    await context.setOffline(true);
    // Thirty days pass on this device: the stored session is now past its expiry.
    await page.evaluate(() => {
      const session = JSON.parse(localStorage.getItem("pathsix.session"));
      localStorage.setItem("pathsix.session", JSON.stringify({ ...session, expiresAt: Date.now() - 1000 }));
    });
    await page.reload();
    await page.waitForSelector('[data-testid="auth-banner"]');
    await page.goto(`${base}/leads/new`);
    await page.fill("#name", "Typed after expiry");
    await page.click("button[type=submit]");
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    await page.waitForSelector('[data-testid="sync-indicator"][data-phase="auth-required"][data-pending="1"]');
    await page.screenshot({ path: `${import.meta.dirname}/../../test-results/session-expired.png` });
  });

  await step("session expiry: online again, nothing syncs until signing in; then it does, once", async () => {
    await context.setOffline(false);
    await page.waitForTimeout(1500);
    await page.waitForSelector('[data-testid="sync-indicator"][data-phase="auth-required"][data-pending="1"]');
    check((await rest.all("leads?q=Typed%20after%20expiry")).length === 0, "synced with an expired session");
    await page.click('[data-testid="auth-banner"] button:has-text("Sign in again")');
    await page.waitForURL(/\/login\?resume/);
    await page.fill("#password", api.user.password);
    await page.click("button[type=submit]");
    await synced(page);
    await eventually(async () => {
      const found = await rest.all("leads?q=Typed%20after%20expiry");
      check(found.length === 1, `expected the lead once on the server, got ${found.length}`);
    });
  });
  openPages.delete(page);
  await context.close();
}
