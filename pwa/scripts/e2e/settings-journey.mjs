// Admin settings: an admin adds a user, gives them a role, deactivates them (their sign-in
// then fails) and hands their records to someone else; relabels a status and changes the brand colour (this device shows it without a
// reload, another signed-in device after its sync); in Admin Trash restores one of three
// trashed leads and deletes two for good, each with its result. Offline, the screens say they
// need a connection. Screenshots of the three screens at phone and desktop sizes.
import { check, DESKTOP, eventually, openPages, PHONE, restAs, shootBoth, signIn, step, synced } from "./lib.mjs";

const BRAND = "#b45309";
const LABEL = "Hot prospect";

/** Open an admin area from the Admin home's card, inside the app (no page load). */
async function openCard(page, title) {
  await page.click("nav[aria-label=Main] >> text=Admin");
  await page.click(`a:has-text("${title}")`);
}

export async function settingsJourney({ browser, base, api }) {
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  openPages.add(page);
  const admin = await restAs(base, api.admin);
  const newcomer = { email: `newcomer-${Date.now().toString(36)}@example.com`, password: "Newcomer-Pass-1" };
  const row = () => page.locator(`[data-testid="users-list"] [data-email="${newcomer.email}"]`);

  await step("settings: an admin adds a user and gives them a role", async () => {
    await signIn(page, base, api.admin);
    await synced(page);
    await openCard(page, "Users and roles");
    await page.waitForSelector(`[data-testid="users-list"] >> text=${api.admin.email}`);
    await page.click("button:text-is('Add user')");
    await page.fill("#new-user-email", newcomer.email);
    await page.fill("#new-user-name", "Nia Newcomer");
    await page.fill("#new-user-password", newcomer.password);
    await page.click('[role="dialog"] button[type="submit"]');
    await page.waitForSelector(`[data-testid="users-notice"] >> text=Added ${newcomer.email}`);
    await row().locator("button:text-is('Roles')").click();
    await page.check('[role="dialog"] input[value="file_uploads"]');
    await page.click('[role="dialog"] button:text-is("Save roles")');
    await row().locator("text=File uploads").waitFor();
    const [user] = (await admin.call("GET", `admin/users?q=${encodeURIComponent(newcomer.email)}`)).json.items;
    check(JSON.stringify(user?.roles) === JSON.stringify(["file_uploads", "user"]), `roles: ${user?.roles}`);
    newcomer.id = user.id;
  });

  await step("settings: deactivation says what it cuts off; the user's sign-in then fails", async () => {
    const theirs = await restAs(base, newcomer);
    const lead = await admin.create("leads", { name: "Newcomer's lead", assigned_to: newcomer.id });
    check((await theirs.call("GET", "auth/me")).status === 200, "the new user cannot use the API");
    await row().locator("button:text-is('Deactivate')").click();
    const explained = await page.textContent('[data-testid="deactivate-explained"]');
    check(/token/.test(explained) && /devices/.test(explained) && /Nothing is deleted/.test(explained), explained);
    await page.click('[role="dialog"] button:has-text("Deactivate Nia Newcomer")');
    await row().locator("text=Deactivated").waitFor();
    await row().locator("button:text-is('Reactivate')").waitFor();
    await shootBoth(page, "admin-users");
    check((await theirs.call("GET", "auth/me")).status === 401, "the deactivated user's token still works");
    const other = await browser.newContext(PHONE);
    const login = await other.newPage();
    await login.goto(`${base}/login`);
    await login.fill("#email", newcomer.email);
    await login.fill("#password", newcomer.password);
    await login.click("button[type=submit]");
    await login.waitForSelector("[role=alert] >> text=deactivated");
    check(new URL(login.url()).pathname === "/login", "a deactivated user got in");
    await other.close();

    // A leaving user's records go to someone else, with the count of what moved.
    await row().locator("button:text-is('Reassign records')").click();
    await page.waitForSelector(`#reassign-to option[value="${api.user.id}"]`, { state: "attached" });
    await page.selectOption("#reassign-to", api.user.id);
    await page.click('[role="dialog"] button:text-is("Move their records")');
    await page.waitForSelector('[data-testid="reassign-result"] >> text=Moved 1 lead.');
    check((await admin.get(`leads/${lead.id}`))?.assigned_to === api.user.id, "the lead was not reassigned");
  });

  await step("settings: offline, the admin screens say they need a connection", async () => {
    await context.setOffline(true);
    await page.waitForSelector('[data-testid="needs-connection"]');
    check(await page.isDisabled("button:text-is('Add user')"), "Add user enabled offline");
    await context.setOffline(false);
    await page.waitForSelector('[data-testid="needs-connection"]', { state: "detached" });
  });

  const original = (await admin.call("GET", "admin/config")).json;
  await step(
    "settings: a relabelled status and a new brand colour show here without a reload, and on another device",
    async () => {
      const field = await browser.newContext(PHONE);
      const fieldPage = await field.newPage();
      openPages.add(fieldPage);
      await signIn(fieldPage, base, api.user);
      await synced(fieldPage);
      await fieldPage.goto(`${base}/leads`);
      await fieldPage.waitForSelector('select[aria-label="Filter by statuses"]');

      await page.evaluate(() => {
        window.__sameDocument = true;
      });
      await openCard(page, "Company configuration");
      await page.fill('[id="labels.lead_status.qualified"]', LABEL);
      await page.fill('[id="branding.primary_color"]', BRAND);
      const preview = await page.$eval(
        '[data-testid="brand-preview"] span:text-is("New lead")',
        (el) => getComputedStyle(el).backgroundColor,
      );
      check(preview === "rgb(180, 83, 9)", `preview colour ${preview}`);
      await shootBoth(page, "admin-config");
      await page.click("button:text-is('Save configuration')");
      await page.waitForSelector('[data-testid="config-notice"] >> text=Saved');
      const brandOf = (p) =>
        p.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--brand").trim());
      await eventually(
        async () => check((await brandOf(page)) === BRAND, `brand here: ${await brandOf(page)}`),
        10_000,
      );
      await page.click("nav[aria-label=Main] >> text=Leads");
      await page.waitForSelector(`select[aria-label="Filter by statuses"] option:text-is("${LABEL}")`, {
        state: "attached",
      });
      check(await page.evaluate(() => window.__sameDocument === true), "the page was reloaded");

      // The other device: the server pokes it, it syncs, and shows the change in place.
      await eventually(async () => check((await brandOf(fieldPage)) === BRAND, "brand on the other device"), 20_000);
      await fieldPage.waitForSelector(`select[aria-label="Filter by statuses"] option:text-is("${LABEL}")`, {
        state: "attached",
      });
      openPages.delete(fieldPage);
      await field.close();
    },
  );
  // The next journeys start from the configuration they expect.
  check((await admin.call("PUT", "admin/config", original)).status === 200, "config not restored");

  await step("settings: Admin Trash restores one lead and deletes two for good, each with its result", async () => {
    const names = ["Trash keeper", "Trash dupe A", "Trash dupe B"];
    const leads = [];
    for (const name of names) {
      const lead = await admin.create("leads", { name });
      check((await admin.call("DELETE", `leads/${lead.id}`)).status === 200, `trash ${name}`);
      leads.push(lead);
    }
    await openCard(page, "Admin Trash");
    const list = '[data-testid="admin-trash-list"]';
    for (const name of names) await page.waitForSelector(`${list} >> text=${name}`);
    const pick = (name) => page.check(`input[aria-label="Select ${name}"]`);
    await pick("Trash keeper");
    await page.click("button:text-is('Restore 1')");
    await page.waitForSelector('[data-testid="trash-result"] >> text=Restored 1 lead.');
    await page.waitForSelector(`${list} >> text=Trash keeper`, { state: "detached" });
    await pick("Trash dupe A");
    await pick("Trash dupe B");
    await shootBoth(page, "admin-trash");
    await page.click("button:text-is('Delete for good 2')");
    await page.waitForSelector('[role="dialog"] >> text=This cannot be undone.');
    await page.click('[role="dialog"] button:text-is("Delete for good")');
    await page.waitForSelector('[data-testid="trash-result"] >> text=Deleted 2 leads.');
    for (const name of names.slice(1)) await page.waitForSelector(`${list} >> text=${name}`, { state: "detached" });
    const [kept, ...purged] = await Promise.all(leads.map((l) => admin.get(`leads/${l.id}`)));
    check(kept?.deleted_at === null, "the restored lead is not back on the server");
    check(
      purged.every((l) => l === null),
      "a purged lead is still on the server",
    );
  });
  openPages.delete(page);
  await context.close();
}
