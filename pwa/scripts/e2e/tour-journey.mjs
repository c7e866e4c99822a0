// The tenant's white-label config reaching the app (labels, brand colour, currency, date
// format; the closed lists never widened), then the main screens photographed at phone and
// desktop sizes with real data: today, leads, a lead, a client, projects.
import {
  check,
  DESKTOP,
  eventually,
  openFromList,
  openPages,
  restAs,
  shootBoth,
  signIn,
  step,
  synced,
} from "./lib.mjs";

const CONFIG = {
  branding: { name: "Harbor Field CRM", primary_color: "#7c3aed" },
  labels: { lead_status: { new: "Fresh", qualified: "Hot" }, project_status: { pending: "Planned" } },
  lead_sources: ["Referral", "Trade show", "Website"],
  currency: "EUR",
  date_format: "DD.MM.YYYY",
};

const hoursFromNow = (h) => new Date(Date.now() + h * 3_600_000).toISOString();

export async function tourJourney({ browser, base, api, made }) {
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  openPages.add(page);
  const rest = await restAs(base, api.user);
  const adminRest = await restAs(base, api.admin);
  let configured = false;
  const original = (await adminRest.call("GET", "admin/config")).json;

  await step("config: the tenant's labels, brand, currency and date format reach the app", async () => {
    const put = await adminRest.call("PUT", "admin/config", CONFIG);
    if (put.status === 404 || put.status === 405) return "skip"; // a server without /admin/config
    check(put.status === 200, `PUT /admin/config: ${put.status} ${JSON.stringify(put.json)}`);
    configured = true;
    await signIn(page, base, api.user);
    await synced(page);
    await page.goto(`${base}/leads`);
    await page.waitForSelector('select[aria-label="Filter by statuses"] option:text-is("Fresh")', {
      state: "attached",
    });
    const options = await page.$$eval('select[aria-label="Filter by statuses"] option', (os) => os.map((o) => o.value));
    check(
      JSON.stringify(options) === JSON.stringify(["", "new", "contacted", "qualified", "lost", "converted"]),
      `status options: ${options}`,
    );
    await eventually(async () => {
      // (after the buttons' colour transition)
      const brand = await page.$eval("a:text-is('New lead')", (el) => getComputedStyle(el).backgroundColor);
      check(brand === "rgb(124, 58, 237)", `brand colour not applied: ${brand}`);
    }, 5_000);
    await page.waitForSelector("text=Harbor Field CRM");
  });

  await step("client page: a contact, an account, a subscription and a note added and edited offline", async () => {
    if (!configured) {
      await signIn(page, base, api.user);
      await synced(page);
    }
    await page.goto(`${base}/clients/${made.client}`);
    await page.waitForSelector("h1:text-is('Seed Lead')");
    await context.setOffline(true);
    const add = async (tab, button, fill) => {
      await page.click(`[role="tab"]:has-text("${tab}")`);
      await page.click(`[role="tabpanel"] button:has-text("${button}")`);
      await fill();
      await page.click('[role="dialog"] button[type="submit"]');
      await page.waitForSelector('[role="dialog"]', { state: "detached" });
    };
    await add("Contacts", "Add contact", () => page.fill("#first_name", "Robin"));
    await page.click('button[aria-label="Edit contact Robin"]');
    await page.fill("#last_name", "Park");
    await page.fill("#phone", "555-0177");
    await page.click('[role="dialog"] button[type="submit"]');
    await page.waitForSelector('[data-testid="contact-list"] >> text=Robin Park');
    await add("Accounts", "Add account", () => page.fill("#account_number", "ACC-001"));
    await add("Subscriptions", "Add subscription", async () => {
      await page.fill("#plan_name", "Maintenance plan");
      await page.fill("#price", "49.90");
      await page.selectOption("#billing_cycle", "monthly");
    });
    if (configured) await page.waitForSelector('[data-testid="subscription-list"] >> text=€49.90');
    await add("Notes", "Add note", () => page.fill("#body", "Gate code 4421"));
    await context.setOffline(false);
    await synced(page);
    const server = async (path) => (await rest.all(`${path}?client_id=${made.client}`)).map((r) => r);
    await eventually(async () => {
      const contacts = await server("contacts");
      check(
        contacts.some((c) => c.first_name === "Robin" && c.last_name === "Park" && c.phone === "555-0177"),
        "contact",
      );
      check(
        (await server("accounts")).some((a) => a.account_number === "ACC-001"),
        "account",
      );
      check(
        (await server("subscriptions")).some((x) => x.plan_name === "Maintenance plan" && x.price === "49.90"),
        "subscription",
      );
      const notes = await rest.all("notes");
      check(
        notes.some((n) => n.entity_id === made.client && n.body === "Gate code 4421"),
        "note",
      );
    });
  });

  await step("tour: today, leads, a lead, a client and projects at phone and desktop sizes", async () => {
    await rest.create("interactions", {
      lead_id: made.lead,
      contact_date: hoursFromNow(-30),
      type: "visit",
      summary: "Site visit",
      follow_up: hoursFromNow(-26),
      followup_status: "pending",
    });
    await rest.create("interactions", {
      client_id: made.client,
      contact_date: hoursFromNow(-2),
      type: "call",
      summary: "Quote call",
      follow_up: new Date(new Date().setHours(23, 0, 0, 0)).toISOString(),
      followup_status: "pending",
    });
    for (const [name, status, source] of [
      ["Bayside Dental", "qualified", "Referral"],
      ["Northside Gym", "contacted", "Website"],
      ["Pine St Bakery", "new", "Trade show"],
    ]) {
      await rest.create("leads", {
        name,
        lead_status: status,
        lead_source: source,
        city: "Portland",
        phone: "555-0110",
      });
    }
    await page.goto(`${base}/projects/new?client_id=${made.client}`);
    await page.fill("#name", "Harbor remodel");
    await page.selectOption("#project_status", "active");
    await page.fill("#project_worth", "12500");
    await page.fill("#project_start", "2026-12-01");
    await page.click("button[type=submit]");
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    await synced(page);
    await page.goto(`${base}/today`);
    await page.waitForSelector("text=Overdue");
    await page.waitForSelector("text=Due today");
    await shootBoth(page, "today");
    await page.goto(`${base}/leads`);
    await page.waitForSelector("text=Bayside Dental");
    await shootBoth(page, "leads-list");
    await openFromList(page, base, "leads", "Offline Lead");
    await shootBoth(page, "lead-detail");
    await page.goto(`${base}/clients/${made.client}`);
    await page.waitForSelector("h1:text-is('Seed Lead')");
    await shootBoth(page, "client-detail");
    await page.goto(`${base}/projects`);
    await page.waitForSelector("text=Harbor remodel");
    if (configured) await page.waitForSelector("text=€12,500.00");
    await shootBoth(page, "projects");
  });
  // The journeys after this one read the default labels, currency and date format.
  if (configured) await adminRest.call("PUT", "admin/config", original);
  openPages.delete(page);
  await context.close();
}
