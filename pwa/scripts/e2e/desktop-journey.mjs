// On a desktop: a change the server refuses comes back onto the form field and is fixed; two
// tabs of one device push each change exactly once (Web Locks).
import { check, DESKTOP, eventually, openPages, restAs, signIn, step, synced } from "./lib.mjs";

export async function desktopJourney({ browser, base, api }) {
  const desktop = await browser.newContext(DESKTOP);
  const big = await desktop.newPage();
  openPages.add(big);
  const rest = await restAs(base, api.user);

  await step("desktop: a change the server refuses comes back onto the form field", async () => {
    await signIn(big, base, api.user);
    await synced(big);
    // Pydantic's email validator refuses special-use domains (.local); the exported schema says
    // only "format: email", so the app accepts it and the server refuses it with details.fields.
    await big.goto(`${base}/leads/new`);
    await big.fill("#name", "Refused email lead");
    await big.fill("#email", "dana@harbor.local");
    await big.click("button[type=submit]");
    await big.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    await big.waitForSelector("text=The server refused a change", { timeout: 20_000 });
    await big.goto(`${base}/sync`);
    await big.click("text=Fix and resend");
    const message = await (await big.waitForSelector("#email-error")).textContent();
    check(/email/i.test(message ?? ""), `email error not shown on the field: ${message}`);
    await big.fill("#email", "dana@harbor-plumbing.com");
    await big.click("button[type=submit]");
    await eventually(async () => {
      const items = await rest.all("leads?q=Refused%20email%20lead");
      check(
        items.length === 1 && items[0].email === "dana@harbor-plumbing.com",
        "the fixed lead did not reach the server",
      );
    });
    await synced(big);
  });

  await step("desktop: two tabs of one device push each change once (Web Locks)", async () => {
    const sent = [];
    const watch = (tab) =>
      tab.on("response", (response) => {
        const request = response.request();
        if (!request.url().endsWith("/api/v1/sync/push") || response.status() !== 200) return;
        sent.push(...request.postDataJSON().mutations.map((m) => m.mid));
      });
    const second = await desktop.newPage();
    watch(big);
    watch(second);
    await second.goto(`${base}/leads`);
    await second.waitForSelector('[data-testid="leads-list"]');
    await desktop.setOffline(true);
    for (let i = 0; i < 3; i += 1) {
      const tab = i % 2 ? second : big;
      await tab.goto(`${base}/leads/new`);
      await tab.fill("#name", `Two tabs ${i}`);
      await tab.click("button[type=submit]");
      await tab.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    }
    await desktop.setOffline(false);
    await Promise.all([synced(big), synced(second)]);
    await eventually(async () => {
      const items = await rest.all("leads?q=Two%20tabs");
      check(items.length === 3, `expected 3 leads on the server, got ${items.length}`);
    });
    check(sent.length === new Set(sent).size, `a mutation was pushed twice: ${sent.join(",")}`);
  });
  openPages.delete(big);
  await desktop.close();
}
